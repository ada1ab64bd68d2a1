// One customer of the caller's organisation (T-2, T-4) with, when selected, its partners,
// subscriptions and channel paths, under the same rules as customers/partners.cypher,
// customers/subscriptions.cypher and customers/channel-paths.cypher: one round trip.
MATCH (me:Partner {id: $viewerPartnerId})-[:RESELLER_OF_RECORD]->(c:Customer {id: $id})
CALL (me, c) {
  WITH me, c WHERE $withPartners
  MATCH (c)<-[:RESELLER_OF_RECORD]-(p:Partner)
  WHERE p = me OR EXISTS { (p)-[:INDIRECT_PROVIDER_OF]-(me) }
  WITH p ORDER BY p.nameLower, p.id
  RETURN collect(p {.id, .kind, .name, .nameLower, .mpnId, .countryCode, .enrollmentStatus}) AS partners
}
CALL (me, c) {
  WITH me, c WHERE $withSubscriptions
  MATCH (c)-[:HAS_SUBSCRIPTION]->(s:Subscription)
  WHERE EXISTS { (s)-[:SOLD_THROUGH|ORDERED_BY]->(me) }
  WITH s ORDER BY s.createdAt, s.id
  RETURN collect(s {.id, .offerId, .offerName, .productFamily, .quantity, .status, createdAt: s.createdAt.epochMillis}) AS subscriptions
}
CALL (me, c) {
  WITH me, c WHERE $withChannelPaths
  MATCH (p:Provider)-[:INDIRECT_PROVIDER_OF]->(r:Reseller)-[:RESELLER_OF_RECORD]->(c)
  WHERE p = me OR r = me
  WITH c, p, r, EXISTS { (p)-[:RESELLER_OF_RECORD]->(c) } AS providerCanOrder
  ORDER BY p.nameLower, r.nameLower
  RETURN collect({
    provider: p {.id, .kind, .name, .nameLower, .mpnId, .countryCode, .enrollmentStatus},
    reseller: r {.id, .kind, .name, .nameLower, .mpnId, .countryCode, .enrollmentStatus},
    providerCanOrder: providerCanOrder
  }) AS paths
}
RETURN c {.id, .companyName, .companyNameLower, .domain, .countryCode, createdAt: c.createdAt.epochMillis} AS customer, partners, subscriptions, paths
