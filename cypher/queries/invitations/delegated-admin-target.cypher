// A customer the caller is reseller of record for (T-2), with the state of its delegated admin.
MATCH (:Partner {id: $viewerPartnerId})-[e:RESELLER_OF_RECORD]->(c:Customer {id: $customerId})
RETURN c {@customer(c)} AS customer, coalesce(e.delegatedAdmin, false) AS delegatedAdmin
