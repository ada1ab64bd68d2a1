// The users of the caller's organisation (C6, T-1), by email.
MATCH (p:Partner {id: $viewerPartnerId})
CALL (p) {
  MATCH (u:User)-[:MEMBER_OF]->(p)
  RETURN count(u) AS totalCount
}
CALL (p) {
  MATCH (u:User)-[:MEMBER_OF]->(p)
  WHERE $afterKey IS NULL OR u.email > $afterKey OR (u.email = $afterKey AND u.id > $afterId)
  WITH u ORDER BY u.email, u.id LIMIT $limit
  RETURN collect(u {@user}) AS nodes
}
RETURN totalCount, nodes
