// @params me, c
// The provider->reseller pairs serving customer `c` (the reseller is of record) within the scope of
// organisation `me`: a reseller sees its own paths, a provider the paths through its own resellers
// (T-3). Each is a ChannelPathRecord (src/modules/customers/customer.type.ts). The body of a
// subquery that imports both: `CALL (me, c) { @customer-channel-paths(me, c) }` gives one row,
// `paths` (a list).
MATCH (p:Provider)-[:INDIRECT_PROVIDER_OF]->(r:Reseller)-[:RESELLER_OF_RECORD]->(@c)
WHERE p = @me OR r = @me
WITH @c, p, r, EXISTS { (p)-[:RESELLER_OF_RECORD]->(@c) } AS providerCanOrder
ORDER BY p.nameLower, r.nameLower
RETURN collect({
  provider: p {@partner},
  reseller: r {@partner},
  providerCanOrder: providerCanOrder
}) AS paths
