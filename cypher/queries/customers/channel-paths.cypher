// Provider->reseller pairs serving each customer (the reseller is of record), within the caller's
// scope: a reseller sees its own paths, a provider the paths through its own resellers (T-3).
UNWIND $ids AS customerId
MATCH (me:Partner {id: $viewerPartnerId})-[:RESELLER_OF_RECORD]->(c:Customer {id: customerId})
MATCH (p:Provider)-[:INDIRECT_PROVIDER_OF]->(r:Reseller)-[:RESELLER_OF_RECORD]->(c)
WHERE p = me OR r = me
WITH customerId, p, r, EXISTS { (p)-[:RESELLER_OF_RECORD]->(c) } AS providerCanOrder
ORDER BY p.nameLower, r.nameLower
RETURN customerId, collect({
  provider: p {.id, .kind, .name, .nameLower, .mpnId, .countryCode, .enrollmentStatus},
  reseller: r {.id, .kind, .name, .nameLower, .mpnId, .countryCode, .enrollmentStatus},
  providerCanOrder: providerCanOrder
}) AS paths
