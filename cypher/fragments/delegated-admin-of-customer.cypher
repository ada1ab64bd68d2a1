// @params me, c, now
// Customer.delegatedAdminRelationships (D-25, C4 or C1): the relationships organisation `me`
// holds with customer `c` (T-1; `c` is of record for `me`, T-2, where this is used), newest first
// then by id (the order of delegatedAdminRelationships, fragments/delegated-admin-list-key.cypher),
// each as fragments/delegated-admin.cypher reads it at `now`. The body of a subquery that imports
// both: `CALL (me, c) { @delegated-admin-of-customer(me, c, datetime({epochMillis: $now})) }`
// gives one row, `delegatedAdminRelationships` (a list; empty when there is none). Read by
// delegated-admin/by-customers (the DataLoader) and, planned with the customer,
// customers/detail and customers/list.
@delegated-admin-held(@me, @c, daOfCustomer)
WITH @me, daOfCustomer ORDER BY daOfCustomer.createdAt DESC, daOfCustomer.id
RETURN collect(daOfCustomer {@delegated-admin(daOfCustomer, @me, @now)}) AS delegatedAdminRelationships
