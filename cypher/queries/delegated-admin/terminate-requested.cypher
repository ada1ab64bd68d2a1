// D-17, D-25: a DELEGATED_ADMIN request was revoked (in this transaction): its relationship, still
// PENDING_APPROVAL, is TERMINATED with it, so it never becomes ACTIVE.
MATCH (:RelationshipRequest {id: $requestId})-[:REQUESTS]->(g:DelegatedAdminRelationship)
SET g.lockedAt = datetime({epochMillis: $now})
WITH g
WHERE g.status = 'PENDING_APPROVAL'
SET g.status = 'TERMINATED', g.terminatedAt = datetime({epochMillis: $now})
RETURN g.id AS id
