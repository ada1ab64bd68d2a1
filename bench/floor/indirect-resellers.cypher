// Floor for `IndirectResellers` (operations.graphql): the caller's (a provider's) resellers, one
// keyset page, each with its first $sharedFirst shared customers (D-11) and their count.
MATCH (me:Provider {id: $viewerPartnerId})
CALL (me) {
  MATCH (me)-[:INDIRECT_PROVIDER_OF]->(r:Reseller)
  RETURN count(r) AS totalCount
}
CALL (me) {
  MATCH (me)-[:INDIRECT_PROVIDER_OF]->(r:Reseller)
  WITH r ORDER BY r.nameLower, r.id LIMIT $limit
  RETURN collect(r) AS page
}
RETURN {
  totalCount: totalCount,
  pageInfo: {hasNextPage: size(page) > $first},
  edges: [r IN page[0..$first] | {node: r {
    .id, .name, .countryCode, .mpnId,
    sharedCustomers: {
      totalCount: COUNT { (me)-[:RESELLER_OF_RECORD]->(:Customer)<-[:RESELLER_OF_RECORD]-(r) },
      edges: COLLECT {
        MATCH (me)-[:RESELLER_OF_RECORD]->(c:Customer)<-[:RESELLER_OF_RECORD]-(r)
        WITH c ORDER BY c.companyNameLower, c.id LIMIT $sharedFirst
        RETURN {node: c {.id, .companyName}}
      }
    }
  }}]
} AS data
