// D-25, D-17: the customer accepted a DELEGATED_ADMIN request's link (the request is locked and
// checked in this transaction): its PENDING_APPROVAL relationship, write-locked first, becomes
// ACTIVE at $now and ends durationDays later, while the sender is still a reseller of record of the
// customer (T-2). No row: that relationship ended since the request, or the relationship was
// terminated (delegated-admin/terminate), and the acceptance is refused.
MATCH (:RelationshipRequest {id: $requestId})-[:REQUESTS]->(g:DelegatedAdminRelationship)
SET g.lockedAt = datetime({epochMillis: $now})
WITH g
MATCH (sender:Partner)-[:HOLDS_DELEGATED_ADMIN]->(g)-[:FOR_CUSTOMER]->(c:Customer)
WHERE g.status = 'PENDING_APPROVAL' AND EXISTS { (sender)-[:RESELLER_OF_RECORD]->(c) }
SET g.status = 'ACTIVE',
    g.activatedAt = datetime({epochMillis: $now}),
    g.endsAt = datetime({epochMillis: $now}) + duration({days: g.durationDays})
RETURN g {@delegated-admin(g, sender, datetime({epochMillis: $now}))} AS relationship, c {@customer(c)} AS customer
