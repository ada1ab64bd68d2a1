// Floor for `IndirectProviders` (operations.graphql): the caller's (a reseller's) providers, each
// with its first $first shared customers (D-11), their count and whether more follow. Like the
// API, it reads the count stored on the partnership (cypher/migrations/0007), walks the side with
// fewer customers and seeks the page in its listKey range (cypher/migrations/0006).
MATCH (me:Reseller {id: $viewerPartnerId})
CALL (me) {
  MATCH (p:Provider)-[ip:INDIRECT_PROVIDER_OF]->(me)
  WITH me, p, coalesce(ip.sharedCustomerCount, 0) AS totalCount,
       COUNT { (me)-[:RESELLER_OF_RECORD]->() } <= COUNT { (p)-[:RESELLER_OF_RECORD]->() } AS fromMe
  WITH p, totalCount, CASE WHEN fromMe THEN me ELSE p END AS small, CASE WHEN fromMe THEN p ELSE me END AS large
  CALL (small, large) {
    WITH small, large, small.id + "\u0000" AS fromKey, small.id + "\u0001" AS toKey
    MATCH (owner:Partner)-[e:RESELLER_OF_RECORD]->(c:Customer)
    WHERE e.listKey > fromKey AND e.listKey < toKey AND owner = small AND e.shared
      AND EXISTS { (large)-[:RESELLER_OF_RECORD]->(c) }
    WITH c, e ORDER BY e.listKey LIMIT $limit
    RETURN collect(c {.id, .companyName, .domain}) AS page
  }
  WITH p, totalCount, page ORDER BY p.nameLower, p.id
  RETURN collect(p {
    .id, .name, .countryCode,
    sharedCustomers: {
      totalCount: totalCount,
      pageInfo: {hasNextPage: size(page) > $first},
      edges: [c IN page[0..$first] | {node: c}]
    }
  }) AS providers
}
RETURN {indirectProviders: providers} AS data
