// The caller's organisation's own requests (T-1), newest first. createdAt is written at
// millisecond precision, so the cursor's ISO time compares exactly.
MATCH (p:Partner {id: $viewerPartnerId})
CALL (p) {
  MATCH (p)-[:SENT]->(r:RelationshipRequest)
  WHERE $status IS NULL OR r.status = $status
  RETURN count(r) AS totalCount
}
CALL (p) {
  MATCH (p)-[:SENT]->(r:RelationshipRequest)
  WHERE ($status IS NULL OR r.status = $status)
    AND ($afterKey IS NULL OR r.createdAt < datetime($afterKey) OR (r.createdAt = datetime($afterKey) AND r.id < $afterId))
  WITH r ORDER BY r.createdAt DESC, r.id DESC LIMIT $limit
  RETURN collect(r {.id, .kind, .status, .createdAt, .expiresAt, .invitedEmail}) AS nodes
}
RETURN totalCount, nodes
