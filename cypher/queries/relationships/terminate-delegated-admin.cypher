// D-20, D-25: the caller's organisation's delegated admin relationships with the customer that are
// not yet ended (stored PENDING_APPROVAL or ACTIVE; an ACTIVE one past endsAt too) become
// TERMINATED at $now; each is write-locked first (lockedAt, in id order: ORDER BY before the SET,
// so concurrent writers queue instead of deadlocking) and its status read after the lock.
// Its PENDING requests for delegated admin with that customer are revoked, so no link of them can
// be approved later. Works whether or not there are any. Returns the terminated relationships' ids.
// Both walks start at the customer (its relationships and requests are few; the organisation's may be many).
MATCH (me:Partner {id: $viewerPartnerId}), (c:Customer {id: $customerId})
CALL (me, c) {
  MATCH (c)<-[:FOR_CUSTOMER]-(d:DelegatedAdminRelationship)<-[:HOLDS_DELEGATED_ADMIN]-(me)
  WITH d ORDER BY d.id
  SET d.lockedAt = datetime({epochMillis: $now})
  WITH d WHERE d.status IN ['PENDING_APPROVAL', 'ACTIVE']
  SET d.status = 'TERMINATED', d.terminatedAt = datetime({epochMillis: $now})
  WITH d ORDER BY d.id
  RETURN collect(d.id) AS terminatedIds
}
CALL (me, c) {
  MATCH (c)<-[:FOR_CUSTOMER]-(r:RelationshipRequest {kind: 'DELEGATED_ADMIN'})
  WHERE EXISTS { (me)-[:SENT]->(r) }
  WITH r ORDER BY r.id
  SET r.lockedAt = datetime({epochMillis: $now})
  WITH r WHERE r.status = 'PENDING'
  SET r.status = 'REVOKED', r.revokedAt = datetime({epochMillis: $now})
  WITH r ORDER BY r.id
  RETURN collect(r.id) AS revokedRequestIds
}
RETURN terminatedIds, revokedRequestIds
