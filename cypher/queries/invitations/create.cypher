// A new request sent by the caller's organisation. Only the token's hash is stored (D-17, T-5).
// Kind-specific edges: ADDRESSED_TO the invited reseller (PROVIDER_RESELLER), WITH_PROVIDER the
// provider joining a customer invitation (CUSTOMER_RESELLER_AND_PROVIDER), FOR_CUSTOMER the
// customer asked for delegated admin (DELEGATED_ADMIN). A null id matches nothing.
MATCH (me:Partner {id: $viewerPartnerId})
CREATE (me)-[:SENT]->(r:RelationshipRequest {
  id: $id, kind: $kind, status: 'PENDING', tokenHash: $tokenHash,
  invitedEmail: $invitedEmail, invitedDomain: $invitedDomain, sentByUserId: $viewerUserId,
  createdAt: datetime({epochMillis: $now}), expiresAt: datetime({epochMillis: $expiresAt})
})
WITH r
CALL (r) {
  MATCH (reseller:Reseller {id: $resellerId})
  CREATE (r)-[:ADDRESSED_TO]->(reseller)
}
CALL (r) {
  MATCH (provider:Provider {id: $providerId})
  CREATE (r)-[:WITH_PROVIDER]->(provider)
}
CALL (r) {
  MATCH (customer:Customer {id: $customerId})
  CREATE (r)-[:FOR_CUSTOMER]->(customer)
}
RETURN r {@relationship-request(r.status)} AS request
