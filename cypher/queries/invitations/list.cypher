// The caller's organisation's own requests (T-1), newest first. createdAt is written at
// millisecond precision, so the cursor's ISO time compares exactly. A PENDING request past its
// expiresAt reads as EXPIRED (D-17): the status is computed here, never written on read. Only
// listed properties leave the graph: never tokenHash (T-5).
MATCH (p:Partner {id: $viewerPartnerId})
WITH p, datetime({epochMillis: timestamp()}) AS now
CALL (p, now) {
  MATCH (p)-[:SENT]->(r:RelationshipRequest)
  WITH r, CASE WHEN r.status = 'PENDING' AND r.expiresAt <= now THEN 'EXPIRED' ELSE r.status END AS status
  WHERE $status IS NULL OR status = $status
  RETURN count(r) AS totalCount
}
CALL (p, now) {
  MATCH (p)-[:SENT]->(r:RelationshipRequest)
  WHERE $afterKey IS NULL OR r.createdAt < datetime($afterKey) OR (r.createdAt = datetime($afterKey) AND r.id < $afterId)
  WITH r, CASE WHEN r.status = 'PENDING' AND r.expiresAt <= now THEN 'EXPIRED' ELSE r.status END AS status
  WHERE $status IS NULL OR status = $status
  WITH r, status ORDER BY r.createdAt DESC, r.id DESC LIMIT $limit
  RETURN collect(r {@relationship-request(status)}) AS nodes
}
RETURN totalCount, nodes
