// The provider directory (D-8): ACTIVE providers, by country and name.
CALL () {
  MATCH (p:Provider)
  WHERE p.enrollmentStatus = 'ACTIVE'
    AND ($countryCode IS NULL OR p.countryCode = $countryCode)
    AND ($search IS NULL OR p.nameLower CONTAINS $search)
  RETURN count(p) AS totalCount
}
CALL () {
  MATCH (p:Provider)
  WHERE p.enrollmentStatus = 'ACTIVE'
    AND ($countryCode IS NULL OR p.countryCode = $countryCode)
    AND ($search IS NULL OR p.nameLower CONTAINS $search)
    AND ($afterKey IS NULL OR p.nameLower > $afterKey OR (p.nameLower = $afterKey AND p.id > $afterId))
  WITH p ORDER BY p.nameLower, p.id LIMIT $limit
  RETURN collect(p {@partner}) AS nodes
}
RETURN totalCount, nodes
