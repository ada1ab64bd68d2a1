// D-17, D-25: a DELEGATED_ADMIN request was revoked (in this transaction): its relationship, still
// PENDING_APPROVAL, is TERMINATED with it, so it never becomes ACTIVE. No row: it was not pending.
MATCH (:RelationshipRequest {id: $requestId})-[:REQUESTS]->(g:DelegatedAdminRelationship)
SET g.lockedAt = datetime({epochMillis: $now})
WITH g
WHERE g.status = 'PENDING_APPROVAL'
SET g.status = 'TERMINATED', g.terminatedAt = datetime({epochMillis: $now})
// The customer's name is for the DELEGATED_ADMIN_TERMINATED event's summary (D-28): the holder is of record.
RETURN g.id AS id, [(g)-[:FOR_CUSTOMER]->(c:Customer) | c.companyName][0] AS customerName
