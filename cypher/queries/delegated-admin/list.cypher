// delegatedAdminRelationships (C4 or C1): the caller's organisation's relationships only (T-1),
// newest first (createdAt, id: a keyset at millisecond precision, like relationshipRequests),
// optionally of one customer, filtered by the status as read at $now (the fragment computes it:
// EXPIRED is never stored; without a status filter only the page's rows are projected). A
// relationship whose customer left the caller's scope (D-20 ended the reseller relationship, and
// with it the relationship: TERMINATED) is still listed, with its customer null (T-2).
MATCH (me:Partner {id: $viewerPartnerId})
WITH me, datetime({epochMillis: $now}) AS now
CALL (me, now) {
  MATCH (me)-[:HOLDS_DELEGATED_ADMIN]->(g:DelegatedAdminRelationship)
  WHERE $customerId IS NULL OR EXISTS { (g)-[:FOR_CUSTOMER]->(:Customer {id: $customerId}) }
  WITH g, CASE WHEN $status IS NULL THEN null ELSE g {@delegated-admin(g, me, now)} END AS read
  WHERE $status IS NULL OR read.status = $status
  RETURN count(g) AS totalCount
}
CALL (me, now) {
  MATCH (me)-[:HOLDS_DELEGATED_ADMIN]->(g:DelegatedAdminRelationship)
  WHERE ($customerId IS NULL OR EXISTS { (g)-[:FOR_CUSTOMER]->(:Customer {id: $customerId}) })
    AND ($afterKey IS NULL OR g.createdAt < datetime($afterKey) OR (g.createdAt = datetime($afterKey) AND g.id < $afterId))
  WITH g, CASE WHEN $status IS NULL THEN null ELSE g {@delegated-admin(g, me, now)} END AS read
  WHERE $status IS NULL OR read.status = $status
  WITH g ORDER BY g.createdAt DESC, g.id DESC LIMIT $limit
  RETURN collect(g {@delegated-admin(g, me, now)}) AS nodes
}
RETURN totalCount, nodes
