// The orders of the caller's organisation (D-27, C1), newest first (createdAt descending, then
// id), filtered, counted, and one keyset page. Tenant scope: a provider's orders are those it
// placed (PLACED_BY), a reseller's those it is partner of record of (ON_RECORD_FOR, D-19); an
// order's PLACED_BY always ends at a Provider and its ON_RECORD_FOR at a Reseller, so
// `(o)-[:PLACED_BY|ON_RECORD_FOR]->(me)` is "o is the caller's" for either kind.
//
// Filters: $providerId / $resellerId on the caller's own side must be the caller (else nothing);
// on the other side they name `other`, an organisation of the other kind (else nothing).
// $customerId must be a customer the caller is of record for (T-2, T-4: else nothing).
//
// The page (after the cursor: $afterKey, the ISO createdAt, and $afterId):
// - with $customerId: that customer's orders, sorted in memory (a customer has few);
// - otherwise an ordered seek of the listKey index of PLACED_BY or ON_RECORD_FOR (migrations/0010,
//   fragments/order-list-key.cypher, fragments/list-key-range.cypher) in the range of the caller,
//   or of `other` when it has fewer orders (degrees from the count store), checking the other
//   side order by order; it stops after $limit orders however many the organisation has.
// totalCount: the degree of the caller's order edges (count store) when unfiltered; otherwise a
// count over the customer's or the smaller side's orders.
MATCH (me:Partner {id: $viewerPartnerId})
WITH me,
  CASE WHEN me:Provider THEN $providerId ELSE $resellerId END AS ownFilter,
  CASE WHEN me:Provider THEN $resellerId ELSE $providerId END AS otherFilter
OPTIONAL MATCH (other:Partner {id: otherFilter}) WHERE other.kind <> me.kind
OPTIONAL MATCH (me)-[:RESELLER_OF_RECORD]->(customer:Customer {id: $customerId})
WITH me, other, customer,
  (ownFilter IS NULL OR ownFilter = me.id) AND (otherFilter IS NULL OR other IS NOT NULL)
    AND ($customerId IS NULL OR customer IS NOT NULL) AS possible
WITH me, other, customer, possible,
  CASE WHEN other IS NOT NULL AND COUNT { (other)<-[:PLACED_BY|ON_RECORD_FOR]-() } < COUNT { (me)<-[:PLACED_BY|ON_RECORD_FOR]-() }
    THEN other ELSE me END AS walker
WITH me, other, customer, possible, walker, CASE WHEN walker = me THEN other ELSE me END AS checked
CALL (me, other, customer, possible, walker, checked) {
  // Aggregations without a grouping key return one row even when the WHERE drops everything,
  // hence the sum over the branches.
  CALL (me, other, customer, possible, walker, checked) {
    WITH * WHERE possible AND customer IS NULL AND other IS NULL
    RETURN COUNT { (me)<-[:PLACED_BY|ON_RECORD_FOR]-() } AS matching
    UNION ALL
    WITH * WHERE possible AND customer IS NULL AND other IS NOT NULL
    RETURN COUNT { (walker)<-[:PLACED_BY|ON_RECORD_FOR]-(o:Order) WHERE EXISTS { (o)-[:PLACED_BY|ON_RECORD_FOR]->(checked) } } AS matching
    UNION ALL
    WITH * WHERE possible AND customer IS NOT NULL
    RETURN COUNT {
      (customer)<-[:FOR_CUSTOMER]-(o:Order)-[:PLACED_BY|ON_RECORD_FOR]->(me)
      WHERE other IS NULL OR EXISTS { (o)-[:PLACED_BY|ON_RECORD_FOR]->(other) }
    } AS matching
  }
  RETURN sum(matching) AS totalCount
}
CALL (me, other, customer, possible, walker, checked, totalCount) {
  CALL (me, other, customer, possible, walker, checked, totalCount) {
    WITH * WHERE possible AND totalCount > 0 AND customer IS NOT NULL
    WITH me, other, customer, @list-key-range(customer, @newest-first-key(datetime($afterKey)), $afterId)
    MATCH (customer)<-[:FOR_CUSTOMER]-(o:Order)-[:PLACED_BY|ON_RECORD_FOR]->(me)
    WHERE other IS NULL OR EXISTS { (o)-[:PLACED_BY|ON_RECORD_FOR]->(other) }
    WITH o, @order-list-key(customer, o) AS key, fromKey, toKey
    WHERE key > fromKey AND key < toKey
    RETURN o, key ORDER BY key LIMIT $limit
    UNION ALL
    WITH * WHERE possible AND totalCount > 0 AND customer IS NULL AND walker:Provider
    WITH walker, checked, @list-key-range(walker, @newest-first-key(datetime($afterKey)), $afterId)
    MATCH (o:Order)-[e:PLACED_BY]->(owner:Provider)
    WHERE e.listKey > fromKey AND e.listKey < toKey AND owner = walker
      AND (checked IS NULL OR EXISTS { (o)-[:ON_RECORD_FOR]->(checked) })
    RETURN o, e.listKey AS key ORDER BY e.listKey LIMIT $limit
    UNION ALL
    WITH * WHERE possible AND totalCount > 0 AND customer IS NULL AND walker:Reseller
    WITH walker, checked, @list-key-range(walker, @newest-first-key(datetime($afterKey)), $afterId)
    MATCH (o:Order)-[e:ON_RECORD_FOR]->(owner:Reseller)
    WHERE e.listKey > fromKey AND e.listKey < toKey AND owner = walker
      AND (checked IS NULL OR EXISTS { (o)-[:PLACED_BY]->(checked) })
    RETURN o, e.listKey AS key ORDER BY e.listKey LIMIT $limit
  }
  WITH me, o, key ORDER BY key
  RETURN collect(o {@order(o, me)}) AS nodes
}
RETURN totalCount, nodes
