// Floor for `Customers` (operations.graphql): the whole response in one statement, one round
// trip: count, one keyset page, and each customer's partners (the caller and its partnered
// organisations, T-3) and subscriptions (sold through or ordered by the caller, T-2).
MATCH (me:Partner {id: $viewerPartnerId})
CALL (me) {
  MATCH (me)-[:RESELLER_OF_RECORD]->(c:Customer)
  RETURN count(c) AS totalCount
}
CALL (me) {
  MATCH (me)-[:RESELLER_OF_RECORD]->(c:Customer)
  WHERE $afterKey IS NULL OR c.companyNameLower > $afterKey OR (c.companyNameLower = $afterKey AND c.id > $afterId)
  WITH c ORDER BY c.companyNameLower, c.id LIMIT $limit
  RETURN collect(c) AS page
}
RETURN {
  totalCount: totalCount,
  pageInfo: {hasNextPage: size(page) > $first},
  edges: [c IN page[0..$first] | {node: c {
    .id, .companyName, .domain, .countryCode,
    partners: COLLECT {
      MATCH (c)<-[:RESELLER_OF_RECORD]-(p:Partner)
      WHERE p = me OR EXISTS { (p)-[:INDIRECT_PROVIDER_OF]-(me) }
      WITH p ORDER BY p.nameLower, p.id
      RETURN p {.id, .name, .kind}
    },
    subscriptions: COLLECT {
      MATCH (c)-[:HAS_SUBSCRIPTION]->(s:Subscription)
      WHERE EXISTS { (s)-[:SOLD_THROUGH|ORDERED_BY]->(me) }
      WITH s ORDER BY s.createdAt, s.id
      RETURN s {.id, .offerName, .productFamily, .quantity, .status}
    }
  }}]
} AS data
