// C4, D-25: the relationship the caller's organisation asks customer $customerId for with request
// $requestId (made just before, in the same transaction: invitations/create), PENDING_APPROVAL
// until the customer accepts the request's link (D-17). Roles are given deduplicated, in
// DelegatedAdminRole's order; activatedAt and endsAt are set at approval (delegated-admin/approve).
// The edge's listKey places it in the organisation's list (migrations/0011).
MATCH (me:Partner {id: $viewerPartnerId})-[:SENT]->(r:RelationshipRequest {id: $requestId})-[:FOR_CUSTOMER]->(c:Customer {id: $customerId})
CREATE (me)-[held:HOLDS_DELEGATED_ADMIN]->(g:DelegatedAdminRelationship {
  id: $id, status: 'PENDING_APPROVAL', roles: $roles, durationDays: $durationDays, autoExtend: $autoExtend,
  createdAt: datetime({epochMillis: $now})
})-[:FOR_CUSTOMER]->(c)
SET held.listKey = @delegated-admin-list-key(me, g)
CREATE (r)-[:REQUESTS]->(g)
WITH me, g
RETURN g {@delegated-admin(g, me, datetime({epochMillis: $now}))} AS relationship
