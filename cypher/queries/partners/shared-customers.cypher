// Customers that the caller's organisation and each partnered organisation both have a reseller
// relationship with (D-11), one keyset page per partner. No partnership edge, no list.
UNWIND $ids AS otherId
MATCH (me:Partner {id: $viewerPartnerId})-[:INDIRECT_PROVIDER_OF]-(o:Partner {id: otherId})
CALL (me, o) {
  MATCH (me)-[:RESELLER_OF_RECORD]->(c:Customer)<-[:RESELLER_OF_RECORD]-(o)
  RETURN count(c) AS totalCount
}
CALL (me, o) {
  MATCH (me)-[:RESELLER_OF_RECORD]->(c:Customer)<-[:RESELLER_OF_RECORD]-(o)
  WHERE $afterKey IS NULL OR c.companyNameLower > $afterKey OR (c.companyNameLower = $afterKey AND c.id > $afterId)
  WITH c ORDER BY c.companyNameLower, c.id LIMIT $limit
  RETURN collect(c {.id, .companyName, .companyNameLower, .domain, .countryCode, .createdAt}) AS nodes
}
RETURN otherId AS parentId, totalCount, nodes
