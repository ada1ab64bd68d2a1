// A provider's indirect resellers (D-9), one keyset page per provider; only the caller's own
// provider organisation has its list shown (T-3).
UNWIND $ids AS providerId
MATCH (p:Provider {id: providerId})
WHERE p.id = $viewerPartnerId
CALL (p) {
  MATCH (p)-[:INDIRECT_PROVIDER_OF]->(r:Reseller)
  RETURN count(r) AS totalCount
}
CALL (p) {
  MATCH (p)-[e:INDIRECT_PROVIDER_OF]->(r:Reseller)
  WHERE $afterKey IS NULL OR r.nameLower > $afterKey OR (r.nameLower = $afterKey AND r.id > $afterId)
  WITH r, e ORDER BY r.nameLower, r.id LIMIT $limit
  RETURN collect(r {.id, .kind, .name, .nameLower, .mpnId, .countryCode, .enrollmentStatus, partnerSince: e.since}) AS nodes
}
RETURN providerId AS parentId, totalCount, nodes
