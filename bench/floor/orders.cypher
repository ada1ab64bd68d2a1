// Floor for `Orders` p1 (lifecycle.graphql, D-27): the orders the caller placed (a provider) or
// is partner of record of (a reseller, D-19), newest first (createdAt descending, then id), one
// page with each order's customer, reseller, provider and line items, and their count. Like the
// API (cypher/queries/orders/list.cypher) it counts by the degree of the caller's PLACED_BY /
// ON_RECORD_FOR edges (the count store) and seeks the page in the caller's range of those edges'
// listKey index (migrations/0010, fragments/order-list-key.cypher), which stops after $limit
// orders however many the caller has; a relationship index is per type, hence one branch each.
MATCH (me:Partner {id: $viewerPartnerId})
WITH me, COUNT { (me)<-[:PLACED_BY|ON_RECORD_FOR]-() } AS totalCount
CALL (me) {
  CALL (me) {
    WITH me, me.id + "\u0000" AS fromKey, me.id + "\u0001" AS toKey
    WHERE me:Provider
    MATCH (o:Order)-[e:PLACED_BY]->(owner:Provider)
    WHERE e.listKey > fromKey AND e.listKey < toKey AND owner = me
    RETURN o, e.listKey AS key ORDER BY e.listKey LIMIT $limit
    UNION ALL
    WITH me, me.id + "\u0000" AS fromKey, me.id + "\u0001" AS toKey
    WHERE me:Reseller
    MATCH (o:Order)-[e:ON_RECORD_FOR]->(owner:Reseller)
    WHERE e.listKey > fromKey AND e.listKey < toKey AND owner = me
    RETURN o, e.listKey AS key ORDER BY e.listKey LIMIT $limit
  }
  WITH o, key ORDER BY key
  RETURN collect(o) AS page
}
RETURN {
  totalCount: totalCount,
  pageInfo: {hasNextPage: size(page) > $first},
  edges: [o IN page[0..$first] | {node: o {
    .id, .status, .createdAt, .partnerIdOnRecord,
    customer: COLLECT { MATCH (o)-[:FOR_CUSTOMER]->(c:Customer) RETURN c {.id, .companyName} }[0],
    reseller: COLLECT { MATCH (o)-[:ON_RECORD_FOR]->(r:Reseller) RETURN r {.id, .name, .mpnId} }[0],
    provider: COLLECT { MATCH (o)-[:PLACED_BY]->(p:Provider) RETURN p {.id, .name} }[0],
    lineItems: [i IN range(0, size(o.offerIds) - 1) | {offerId: o.offerIds[i], quantity: o.quantities[i]}]
  }}]
} AS data
