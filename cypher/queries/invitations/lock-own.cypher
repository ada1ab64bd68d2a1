// One of the caller's organisation's own requests (T-1, T-4), write-locked before its status is read.
MATCH (:Partner {id: $viewerPartnerId})-[:SENT]->(r:RelationshipRequest {id: $id})
SET r.lockedAt = datetime({epochMillis: $now})
WITH r
RETURN r.id AS id, r.kind AS kind, r.status AS status, r.expiresAt <= datetime({epochMillis: $now}) AS expired
