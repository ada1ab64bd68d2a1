// terminateDelegatedAdmin (C4): one of the caller's organisation's relationships (T-1; another's,
// or an unknown id, reads as missing: T-4), write-locked first, then read at $now as the API
// reads it (its computed status decides whether it can still be terminated).
MATCH (me:Partner {id: $viewerPartnerId})-[:HOLDS_DELEGATED_ADMIN]->(g:DelegatedAdminRelationship {id: $id})
SET g.lockedAt = datetime({epochMillis: $now})
WITH me, g
RETURN g {@delegated-admin(g, me, datetime({epochMillis: $now}))} AS relationship
