// Customer.delegatedAdminRelationships (C4 or C1): per customer of $ids that the caller's
// organisation is reseller of record of (T-2; others read as none), that organisation's
// relationships with it (T-1), newest first, read at $now.
UNWIND $ids AS id
MATCH (me:Partner {id: $viewerPartnerId})-[:RESELLER_OF_RECORD]->(c:Customer {id: id})
CALL (me, c) {
  OPTIONAL MATCH (me)-[:HOLDS_DELEGATED_ADMIN]->(g:DelegatedAdminRelationship)-[:FOR_CUSTOMER]->(c)
  WITH me, g ORDER BY g.createdAt DESC, g.id DESC
  RETURN collect(g {@delegated-admin(g, me, datetime({epochMillis: $now}))}) AS relationships
}
RETURN c.id AS customerId, relationships
