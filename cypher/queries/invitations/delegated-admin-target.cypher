// A customer the caller is reseller of record for (T-2), asked for delegated admin (C4). The
// caller's relationships with it decide nothing here: several may exist (D-25, MODEL.md).
MATCH (:Partner {id: $viewerPartnerId})-[:RESELLER_OF_RECORD]->(c:Customer {id: $customerId})
RETURN c {@customer(c)} AS customer
