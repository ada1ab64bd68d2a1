// D-22: the pair's PENDING partnership invitations (the provider's PROVIDER_RESELLER requests
// addressed to the reseller; not those already past expiresAt, which read EXPIRED) become
// REVOKED at $now, each write-locked first (lockedAt, in id order: ORDER BY before the SET, so
// concurrent writers queue instead of deadlocking), so none of their links can start the
// partnership again. Returns their ids.
// From the reseller's side: the invitations addressed to it are few, a provider's sent requests
// many, and the PENDING requests of the whole graph more (with the filters in the pattern, the
// planner started at the status index; in the subquery they are checked on the reseller's requests).
MATCH (res:Reseller {id: $resellerId})
CALL (res) {
  MATCH (res)<-[:ADDRESSED_TO]-(r:RelationshipRequest)
  WITH r WHERE r.kind = 'PROVIDER_RESELLER' AND r.status = 'PENDING' AND EXISTS { (:Provider {id: $providerId})-[:SENT]->(r) }
  RETURN r
}
WITH r ORDER BY r.id
SET r.lockedAt = datetime({epochMillis: $now})
WITH r WHERE r.status = 'PENDING' AND r.expiresAt > datetime({epochMillis: $now})
SET r.status = 'REVOKED', r.revokedAt = datetime({epochMillis: $now})
WITH r ORDER BY r.id
RETURN collect(r.id) AS revokedIds
