// Moves a request (already locked and checked in this transaction) to ACCEPTED or REVOKED, and
// ties an accepted customer request to the customer it bound (D-18). The hash stays, so a reused
// link is recognised and refused by its status (D-17).
MATCH (r:RelationshipRequest {id: $id})
SET r.status = $status,
    r.acceptedAt = CASE WHEN $status = 'ACCEPTED' THEN datetime({epochMillis: $now}) ELSE r.acceptedAt END,
    r.revokedAt = CASE WHEN $status = 'REVOKED' THEN datetime({epochMillis: $now}) ELSE r.revokedAt END
WITH r
CALL (r) {
  MATCH (c:Customer {id: $customerId})
  MERGE (r)-[:BOUND_TO]->(c)
}
RETURN r {@relationship-request(r.status)} AS request
