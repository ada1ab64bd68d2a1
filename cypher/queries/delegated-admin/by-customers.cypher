// Customer.delegatedAdminRelationships (C4 or C1) when not planned with the customers' own read:
// per customer of $ids that the caller's organisation is reseller of record of (T-2; others read
// as none), that organisation's relationships with it (T-1), newest first, read at $now (the
// request's time, Context.now): fragments/delegated-admin-of-customer.cypher.
UNWIND $ids AS id
MATCH (me:Partner {id: $viewerPartnerId})-[:RESELLER_OF_RECORD]->(c:Customer {id: id})
CALL (me, c) {
  @delegated-admin-of-customer(me, c, datetime({epochMillis: $now}))
}
RETURN c.id AS customerId, delegatedAdminRelationships AS relationships
