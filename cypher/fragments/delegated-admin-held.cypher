// @params me, c, g
// Rows: each relationship `g` that organisation `me` holds with customer `c` (T-1), reached from
// the customer (a customer has a few relationships; a reseller at scale holds one per customer,
// ~146k for the largest at 1M customers): the inner subquery sees only `c`, so the planner cannot
// start at `me`. No row when there is none. Used by delegated-admin/list (customerId filter) and
// fragments/delegated-admin-of-customer.cypher.
CALL (@c) {
  MATCH (@c)<-[:FOR_CUSTOMER]-(@g:DelegatedAdminRelationship)<-[:HOLDS_DELEGATED_ADMIN]-(daHolder:Partner)
  RETURN @g, daHolder
}
WITH * WHERE daHolder = @me
