// The caller's organisation's leads (C11, T-1), newest first.
MATCH (p:Partner {id: $viewerPartnerId})
CALL (p) {
  MATCH (p)-[:OWNS]->(l:Lead)
  RETURN count(l) AS totalCount
}
CALL (p) {
  MATCH (p)-[:OWNS]->(l:Lead)
  WHERE $afterKey IS NULL OR l.createdAt < datetime($afterKey) OR (l.createdAt = datetime($afterKey) AND l.id < $afterId)
  WITH l ORDER BY l.createdAt DESC, l.id DESC LIMIT $limit
  RETURN collect(l {@lead}) AS nodes
}
RETURN totalCount, nodes
