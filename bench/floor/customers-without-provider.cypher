// Floor for `CustomersWithoutProvider` p1 (lifecycle.graphql, D-27): the list behind
// channelStats.customersWithoutProvider (cypher/fragments/channel-stats.cypher): a reseller's
// customers that it shares with none of its providers, i.e. its RESELLER_OF_RECORD edges not
// flagged `shared` (migrations/0007); none for a provider (it is a provider itself). The count is
// the one channelStats reads (degree minus the stored shared count); the page is an ordered seek
// of the caller's listKey range (migrations/0006), in the customer list's order, skipping the
// shared edges.
MATCH (me:Partner {id: $viewerPartnerId})
WITH me, CASE WHEN me:Provider THEN 0 ELSE COUNT { (me)-[:RESELLER_OF_RECORD]->() } - coalesce(me.sharedCustomerCount, 0) END AS totalCount
CALL (me) {
  WITH me, me.id + "\u0000" AS fromKey, me.id + "\u0001" AS toKey
  WHERE NOT me:Provider
  MATCH (owner:Partner)-[e:RESELLER_OF_RECORD]->(c:Customer)
  WHERE e.listKey > fromKey AND e.listKey < toKey AND owner = me AND NOT coalesce(e.shared, false)
  WITH c, e ORDER BY e.listKey LIMIT $limit
  RETURN collect(c {.id, .companyName, .domain}) AS page
}
RETURN {
  totalCount: totalCount,
  pageInfo: {hasNextPage: size(page) > $first},
  edges: [c IN page[0..$first] | {node: c}]
} AS data
