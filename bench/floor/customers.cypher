// Floor for `Customers` (operations.graphql): the whole response in one statement, one round
// trip: count, one keyset page, and each customer's partners (the caller and its partnered
// organisations, T-3) and subscriptions (all of them, the caller being of record: T-2, D-21). Like the
// API it counts by the node's degree and seeks the page in the listKey index
// (cypher/migrations/0006), the fastest way this data model offers.
MATCH (me:Partner {id: $viewerPartnerId})
WITH me, COUNT { (me)-[:RESELLER_OF_RECORD]->() } AS totalCount
CALL (me) {
  WITH me, me.id + "\u0000" + coalesce($afterKey + "\u0000" + $afterId, "") AS fromKey, me.id + "\u0001" AS toKey
  MATCH (owner:Partner)-[e:RESELLER_OF_RECORD]->(c:Customer)
  WHERE e.listKey > fromKey AND e.listKey < toKey AND owner = me
  WITH c, e ORDER BY e.listKey LIMIT $limit
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
      WITH s ORDER BY s.createdAt, s.id
      RETURN s {.id, .offerName, .productFamily, .quantity, .status}
    }
  }}]
} AS data
