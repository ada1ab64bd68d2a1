// Floor for `IndirectProviders` (operations.graphql): the caller's (a reseller's) providers, each
// with its first $first shared customers (D-11), their count and whether more follow.
MATCH (me:Reseller {id: $viewerPartnerId})
CALL (me) {
  MATCH (p:Provider)-[:INDIRECT_PROVIDER_OF]->(me)
  CALL (me, p) {
    MATCH (me)-[:RESELLER_OF_RECORD]->(c:Customer)<-[:RESELLER_OF_RECORD]-(p)
    RETURN count(c) AS totalCount
  }
  CALL (me, p) {
    MATCH (me)-[:RESELLER_OF_RECORD]->(c:Customer)<-[:RESELLER_OF_RECORD]-(p)
    WITH c ORDER BY c.companyNameLower, c.id LIMIT $limit
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
