// Partners of record of each customer, limited to the caller's organisation and the
// organisations it has a partnership edge with (T-3).
UNWIND $ids AS customerId
MATCH (me:Partner {id: $viewerPartnerId})-[:RESELLER_OF_RECORD]->(c:Customer {id: customerId})
MATCH (c)<-[:RESELLER_OF_RECORD]-(p:Partner)
WHERE p = me OR EXISTS { (p)-[:INDIRECT_PROVIDER_OF]-(me) }
WITH customerId, p ORDER BY p.nameLower, p.id
RETURN customerId, collect(p {.id, .kind, .name, .nameLower, .mpnId, .countryCode, .enrollmentStatus}) AS partners
