// The caller's organisation's audit trail (T-1), newest first, keyset-paged on (at, id): a seek
// in the (partnerId, at, id) index of migration 0004, read in index order and stopped at $limit,
// so page 1,000 costs what page 1 does. $maxAt is the cursor's time as a DATETIME (the far future
// on the first page), a parameter so that the index can seek on it; the hint keeps the planner
// from an ordered scan of every organisation's events (it picks one when $maxAt looks
// unselective). totalCount is the degree of HAS_AUDIT_EVENT, which audit/record writes together
// with partnerId.
MATCH (p:Partner {id: $viewerPartnerId})
CALL (p) {
  RETURN COUNT { (p)-[:HAS_AUDIT_EVENT]->() } AS totalCount
}
CALL () {
  MATCH (e:AuditEvent)
  USING INDEX SEEK e:AuditEvent(partnerId, at, id)
  WHERE e.partnerId = $viewerPartnerId AND e.at <= $maxAt AND e.id IS NOT NULL
    AND ($afterId IS NULL OR e.at < $maxAt OR e.id < $afterId)
  WITH e ORDER BY e.partnerId DESC, e.at DESC, e.id DESC LIMIT $limit
  RETURN collect(e {@audit-event}) AS nodes
}
RETURN totalCount, nodes
