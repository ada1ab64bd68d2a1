// Floor for `IndirectResellers` (operations.graphql): the caller's (a provider's) resellers, one
// keyset page, each with its first $sharedFirst shared customers (D-11) and their count.
MATCH (me:Provider {id: $viewerPartnerId})
WITH me, COUNT { (me)-[:INDIRECT_PROVIDER_OF]->() } AS totalCount
CALL (me) {
  // Like the API: the page is an ordered seek of the provider's partnership list keys
  // (cypher/migrations/0008).
  WITH me, me.id + "\u0000" AS fromKey, me.id + "\u0001" AS toKey
  MATCH (owner:Provider)-[ip:INDIRECT_PROVIDER_OF]->(r:Reseller)
  WHERE ip.listKey > fromKey AND ip.listKey < toKey AND owner = me
  WITH me, r, ip ORDER BY ip.listKey LIMIT $limit
  // Like the API: the count stored on the partnership (cypher/migrations/0007); the side with
  // fewer customers is walked, its listKey range seeked for the page (cypher/migrations/0006).
  WITH me, r, ip, coalesce(ip.sharedCustomerCount, 0) AS sharedCount,
       COUNT { (me)-[:RESELLER_OF_RECORD]->() } <= COUNT { (r)-[:RESELLER_OF_RECORD]->() } AS fromMe
  WITH r, ip, sharedCount, CASE WHEN fromMe THEN me ELSE r END AS small, CASE WHEN fromMe THEN r ELSE me END AS large
  CALL (small, large) {
    WITH small, large, small.id + "\u0000" AS fromKey, small.id + "\u0001" AS toKey
    MATCH (owner:Partner)-[e:RESELLER_OF_RECORD]->(c:Customer)
    WHERE e.listKey > fromKey AND e.listKey < toKey AND owner = small AND e.shared
      AND EXISTS { (large)-[:RESELLER_OF_RECORD]->(c) }
    WITH c, e ORDER BY e.listKey LIMIT $sharedFirst
    RETURN collect({node: c {.id, .companyName}}) AS sharedPage
  }
  WITH r, ip, sharedCount, sharedPage ORDER BY ip.listKey
  RETURN collect(r {.id, .name, .countryCode, .mpnId, sharedCustomers: {totalCount: sharedCount, edges: sharedPage}}) AS page
}
RETURN {
  totalCount: totalCount,
  pageInfo: {hasNextPage: size(page) > $first},
  edges: [r IN page[0..$first] | {node: r}]
} AS data
