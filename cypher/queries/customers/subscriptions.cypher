// Subscriptions of each customer that were sold through or ordered by the caller's organisation:
// fragments/customer-subscriptions.cypher.
UNWIND $ids AS customerId
MATCH (me:Partner {id: $viewerPartnerId})-[:RESELLER_OF_RECORD]->(c:Customer {id: customerId})
CALL (me, c) {
  @customer-subscriptions(me, c)
}
RETURN customerId, subscriptions
