// Floor for `Customer` (operations.graphql): one customer of the caller (T-2, T-4) with its
// partners (T-3), channel paths through the caller (T-3, D-12) and subscriptions (all of
// them, the caller being of record: T-2, D-21).
MATCH (me:Partner {id: $viewerPartnerId})-[:RESELLER_OF_RECORD]->(c:Customer {id: $id})
RETURN c {
  .id, .companyName, .domain, .countryCode,
  partners: COLLECT {
    MATCH (c)<-[:RESELLER_OF_RECORD]-(p:Partner)
    WHERE p = me OR EXISTS { (p)-[:INDIRECT_PROVIDER_OF]-(me) }
    WITH p ORDER BY p.nameLower, p.id
    RETURN p {.id, .name, .kind}
  },
  channelPaths: COLLECT {
    MATCH (p:Provider)-[:INDIRECT_PROVIDER_OF]->(r:Reseller)-[:RESELLER_OF_RECORD]->(c)
    WHERE p = me OR r = me
    WITH p, r ORDER BY p.nameLower, r.nameLower
    RETURN {provider: p {.id, .name}, reseller: r {.id, .name}, providerCanOrder: EXISTS { (p)-[:RESELLER_OF_RECORD]->(c) }}
  },
  subscriptions: COLLECT {
    MATCH (c)-[:HAS_SUBSCRIPTION]->(s:Subscription)
    WITH s ORDER BY s.createdAt, s.id
    RETURN s {.id, .offerName, .productFamily, .quantity, .status}
  }
} AS data
