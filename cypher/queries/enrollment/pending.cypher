// The operator's review queue (D-4): verified enrollments waiting for a decision, oldest first.
CALL () {
  MATCH (p:Partner {enrollmentStatus: 'UNDER_REVIEW'})
  RETURN count(p) AS totalCount
}
CALL () {
  MATCH (p:Partner {enrollmentStatus: 'UNDER_REVIEW'})
  WHERE $afterKey IS NULL OR p.createdAt > datetime($afterKey) OR (p.createdAt = datetime($afterKey) AND p.id > $afterId)
  WITH p ORDER BY p.createdAt, p.id LIMIT $limit
  RETURN collect(p {@partner, .createdAt}) AS nodes
}
RETURN totalCount, nodes
