// Customers by id, only those the caller is reseller of record for (T-2, T-4).
UNWIND $ids AS id
MATCH (:Partner {id: $viewerPartnerId})-[:RESELLER_OF_RECORD]->(c:Customer {id: id})
RETURN c {@customer(c)} AS customer
