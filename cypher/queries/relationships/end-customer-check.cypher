// D-20, under the locks: whether the caller's organisation is still a reseller of record of the
// customer, and the ids of the customer's subscriptions sold through or ordered by it that are
// ACTIVE (SUSPENDED and CANCELLED do not block), sorted.
MATCH (me:Partner {id: $viewerPartnerId})
OPTIONAL MATCH (me)-[:RESELLER_OF_RECORD]->(c:Customer {id: $customerId})
CALL (me, c) {
  MATCH (c)-[:HAS_SUBSCRIPTION]->(s:Subscription {status: 'ACTIVE'})
  WHERE EXISTS { (s)-[:SOLD_THROUGH|ORDERED_BY]->(me) }
  WITH s ORDER BY s.id
  RETURN collect(s.id) AS activeSubscriptionIds
}
RETURN c IS NOT NULL AS ofRecord, activeSubscriptionIds
