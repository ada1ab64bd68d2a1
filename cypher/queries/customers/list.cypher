// The caller's customers (T-2: reseller of record), filtered, counted, and one keyset page.
MATCH (me:Partner {id: $viewerPartnerId})
CALL (me) {
  MATCH (me)-[:RESELLER_OF_RECORD]->(c:Customer)
  WHERE ($search IS NULL OR c.companyNameLower CONTAINS $search OR c.domain CONTAINS $search)
    AND ($countryCode IS NULL OR c.countryCode = $countryCode)
    AND ($sharedWithPartnerId IS NULL OR EXISTS {
      MATCH (me)-[:INDIRECT_PROVIDER_OF]-(:Partner {id: $sharedWithPartnerId})-[:RESELLER_OF_RECORD]->(c)
    })
  RETURN count(c) AS totalCount
}
CALL (me) {
  MATCH (me)-[:RESELLER_OF_RECORD]->(c:Customer)
  WHERE ($search IS NULL OR c.companyNameLower CONTAINS $search OR c.domain CONTAINS $search)
    AND ($countryCode IS NULL OR c.countryCode = $countryCode)
    AND ($sharedWithPartnerId IS NULL OR EXISTS {
      MATCH (me)-[:INDIRECT_PROVIDER_OF]-(:Partner {id: $sharedWithPartnerId})-[:RESELLER_OF_RECORD]->(c)
    })
    AND ($afterKey IS NULL OR c.companyNameLower > $afterKey OR (c.companyNameLower = $afterKey AND c.id > $afterId))
  WITH c ORDER BY c.companyNameLower, c.id LIMIT $limit
  RETURN collect(c {.id, .companyName, .companyNameLower, .domain, .countryCode, .createdAt}) AS nodes
}
RETURN totalCount, nodes
