// D-20, under the locks: whether the caller's organisation is still a reseller of record of the
// customer, and the ids of the customer's subscriptions sold through or ordered by it that are
// ACTIVE (SUSPENDED and CANCELLED do not block), sorted.
// Both ends found by id first, the edge then checked between them (Expand(Into)): as one pattern,
// the planner once expanded the organisation's edges (20,000 db hits for a reseller with 20,000
// customers) to find this one.
MATCH (me:Partner {id: $viewerPartnerId})
OPTIONAL MATCH (customer:Customer {id: $customerId})
WITH me, CASE WHEN EXISTS { (me)-[:RESELLER_OF_RECORD]->(customer) } THEN customer END AS c
CALL (me, c) {
  MATCH (c)-[:HAS_SUBSCRIPTION]->(s:Subscription {status: 'ACTIVE'})
  WHERE EXISTS { (s)-[:SOLD_THROUGH|ORDERED_BY]->(me) }
  WITH s ORDER BY s.id
  RETURN collect(s.id) AS activeSubscriptionIds
}
RETURN c IS NOT NULL AS ofRecord, activeSubscriptionIds
