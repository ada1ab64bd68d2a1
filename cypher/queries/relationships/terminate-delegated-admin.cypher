// D-20, D-25: the caller's organisation's delegated admin relationships with the customer that are
// not yet ended (stored PENDING_APPROVAL or ACTIVE; an ACTIVE one past endsAt too) become
// TERMINATED at $now; each is write-locked first (lockedAt) and its status read after the lock.
// Its PENDING requests for delegated admin with that customer are revoked, so no link of them can
// be approved later. Works whether or not there are any. Returns the terminated relationships' ids.
MATCH (me:Partner {id: $viewerPartnerId})
CALL (me) {
  MATCH (me)-[:HOLDS_DELEGATED_ADMIN]->(d:DelegatedAdminRelationship)-[:FOR_CUSTOMER]->(:Customer {id: $customerId})
  SET d.lockedAt = datetime({epochMillis: $now})
  WITH d WHERE d.status IN ['PENDING_APPROVAL', 'ACTIVE']
  SET d.status = 'TERMINATED', d.terminatedAt = datetime({epochMillis: $now})
  WITH d ORDER BY d.id
  RETURN collect(d.id) AS terminatedIds
}
CALL (me) {
  MATCH (me)-[:SENT]->(r:RelationshipRequest {kind: 'DELEGATED_ADMIN'})-[:FOR_CUSTOMER]->(:Customer {id: $customerId})
  SET r.lockedAt = datetime({epochMillis: $now})
  WITH r WHERE r.status = 'PENDING'
  SET r.status = 'REVOKED', r.revokedAt = datetime({epochMillis: $now})
  WITH r ORDER BY r.id
  RETURN collect(r.id) AS revokedRequestIds
}
RETURN terminatedIds, revokedRequestIds
