// D-22: the pair's PENDING partnership invitations (the provider's PROVIDER_RESELLER requests
// addressed to the reseller; not those already past expiresAt, which read EXPIRED) become
// REVOKED at $now, each write-locked first (lockedAt), so none of their links can start the
// partnership again. Returns their ids.
// From the reseller's side: the invitations addressed to it are few, a provider's sent requests many.
MATCH (p:Provider {id: $providerId}), (res:Reseller {id: $resellerId})
MATCH (res)<-[:ADDRESSED_TO]-(r:RelationshipRequest {kind: 'PROVIDER_RESELLER'})
WHERE r.status = 'PENDING' AND EXISTS { (p)-[:SENT]->(r) }
SET r.lockedAt = datetime({epochMillis: $now})
WITH r WHERE r.status = 'PENDING' AND r.expiresAt > datetime({epochMillis: $now})
SET r.status = 'REVOKED', r.revokedAt = datetime({epochMillis: $now})
WITH r ORDER BY r.id
RETURN collect(r.id) AS revokedIds
