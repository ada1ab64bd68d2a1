// terminateDelegatedAdmin (C4, D-25): the relationship (locked and checked in this transaction by
// delegated-admin/lock-own) is TERMINATED at $now. A PENDING request for it is REVOKED with it,
// so its link stops working (D-17).
MATCH (me:Partner {id: $viewerPartnerId})-[:HOLDS_DELEGATED_ADMIN]->(g:DelegatedAdminRelationship {id: $id})
SET g.status = 'TERMINATED', g.terminatedAt = datetime({epochMillis: $now})
WITH me, g
CALL (g) {
  MATCH (r:RelationshipRequest {status: 'PENDING'})-[:REQUESTS]->(g)
  SET r.lockedAt = datetime({epochMillis: $now}), r.status = 'REVOKED', r.revokedAt = datetime({epochMillis: $now})
}
RETURN g {@delegated-admin(g, me, datetime({epochMillis: $now}))} AS relationship
