// delegatedAdminRelationships (C4 or C1): the caller's organisation's relationships only (T-1),
// newest first, then by id: the order of the listKey of its HOLDS_DELEGATED_ADMIN edges
// (migrations/0011, fragments/delegated-admin-list-key.cypher); the cursor is ($afterKey: the ISO
// createdAt, $afterId). Optionally of one customer, and filtered by the status as read at $now
// (fragments/delegated-admin-status.cypher: EXPIRED is never stored). A relationship whose customer
// left the caller's scope (D-20 ended the reseller relationship, and with it the relationship:
// TERMINATED) is still listed, with its customer null (T-2), but not under a customerId filter.
//
// The page:
// - without $customerId: an ordered seek of the listKey index in the caller's range of keys
//   (fragments/list-key-range.cypher), after the cursor; it stops after $limit relationships
//   however many the organisation holds (the largest reseller at 1M customers: ~146k). With
//   $status, the entries are read in that order until $limit of them read with that status (a
//   rare status walks further, up to the whole range when fewer than $limit match);
// - with $customerId: that customer's relationships (fragments/delegated-admin-held.cypher starts
//   at the customer; a customer has few), keyed by the same fragment and sorted in memory.
// Only the page's rows are projected (fragments/delegated-admin.cypher).
// totalCount: unfiltered, the degree of the caller's HOLDS_DELEGATED_ADMIN edges (count store);
// with $customerId, a count over that customer's relationships; with only $status, a count over
// every relationship of the caller (the status depends on the clock: nothing stored can count it).
MATCH (me:Partner {id: $viewerPartnerId})
// The customerId filter names a customer in the caller's scope, or none (T-2, T-4: a customer the
// caller is no longer of record for lists nothing, as `orders(where: {customerId})` does; its
// TERMINATED relationships stay in the unfiltered list, customer null). Found by id, then the edge.
OPTIONAL MATCH (customer:Customer {id: $customerId}) WHERE EXISTS { (me)-[:RESELLER_OF_RECORD]->(customer) }
WITH me, customer, datetime({epochMillis: $now}) AS now
CALL (me, customer, now) {
  // Aggregations without a grouping key return one row even when the WHERE drops everything,
  // hence the sum over the branches.
  CALL (me, customer, now) {
    WITH * WHERE $customerId IS NULL AND $status IS NULL
    RETURN COUNT { (me)-[:HOLDS_DELEGATED_ADMIN]->() } AS matching
    UNION ALL
    WITH * WHERE $customerId IS NULL AND $status IS NOT NULL
    MATCH (me)-[:HOLDS_DELEGATED_ADMIN]->(g:DelegatedAdminRelationship)
    WHERE @delegated-admin-status(g, now) = $status
    RETURN count(g) AS matching
    UNION ALL
    WITH * WHERE customer IS NOT NULL
    @delegated-admin-held(me, customer, g)
    WITH g, now WHERE $status IS NULL OR @delegated-admin-status(g, now) = $status
    RETURN count(g) AS matching
  }
  RETURN sum(matching) AS totalCount
}
CALL (me, customer, now, totalCount) {
  CALL (me, customer, now, totalCount) {
    WITH * WHERE totalCount > 0 AND $customerId IS NULL
    WITH me, now, @list-key-range(me, @newest-first-key(datetime($afterKey)), $afterId)
    MATCH (owner:Partner)-[e:HOLDS_DELEGATED_ADMIN]->(g:DelegatedAdminRelationship)
    WHERE e.listKey > fromKey AND e.listKey < toKey AND owner = me
      AND ($status IS NULL OR @delegated-admin-status(g, now) = $status)
    RETURN g, e.listKey AS key ORDER BY e.listKey LIMIT $limit
    UNION ALL
    WITH * WHERE totalCount > 0 AND customer IS NOT NULL
    WITH me, customer, now, @list-key-range(me, @newest-first-key(datetime($afterKey)), $afterId)
    @delegated-admin-held(me, customer, g)
    WITH g, @delegated-admin-list-key(me, g) AS key, fromKey, toKey, now
    WHERE key > fromKey AND key < toKey AND ($status IS NULL OR @delegated-admin-status(g, now) = $status)
    RETURN g, key ORDER BY key LIMIT $limit
  }
  WITH me, now, g, key ORDER BY key
  RETURN collect(g {@delegated-admin(g, me, now)}) AS nodes
}
RETURN totalCount, nodes
