// One order (D-19: the reseller's MPN ID as partner of record) and one ACTIVE subscription per
// line item, sold through the reseller and ordered by the provider. Line items are kept on the
// order as parallel lists (offerIds[i], quantities[i]): the quantity ordered, while the
// subscription's own quantity may change later (C5). The PLACED_BY and ON_RECORD_FOR edges carry
// the orders list's key (fragments/order-list-key.cypher, migrations/0010). Run after
// orders/submit-check.
MATCH (me:Provider {id: $viewerPartnerId}), (r:Reseller {id: $resellerId}), (c:Customer {id: $customerId})
CREATE (o:Order {
  id: $orderId, status: 'COMPLETED', createdAt: datetime({epochMillis: $now}), partnerIdOnRecord: r.mpnId,
  offerIds: [li IN $lineItems | li.offerId], quantities: [li IN $lineItems | toInteger(li.quantity)]
})
CREATE (o)-[:FOR_CUSTOMER]->(c)
CREATE (o)-[placed:PLACED_BY]->(me)
CREATE (o)-[onRecord:ON_RECORD_FOR]->(r)
SET placed.listKey = @order-list-key(me, o), onRecord.listKey = @order-list-key(r, o)
WITH o, me, r, c
CALL (o, me, r, c) {
  UNWIND $lineItems AS li
  MATCH (offer:Offer {id: li.offerId})
  CREATE (c)-[:HAS_SUBSCRIPTION]->(s:Subscription {
    id: li.subscriptionId, offerId: offer.id, offerName: offer.name, productFamily: offer.productFamily,
    quantity: toInteger(li.quantity), status: 'ACTIVE', createdAt: datetime({epochMillis: $now})
  })
  CREATE (s)-[:OF_OFFER]->(offer)
  CREATE (s)-[:SOLD_THROUGH]->(r)
  CREATE (s)-[:ORDERED_BY]->(me)
  CREATE (o)-[:CREATED]->(s)
  WITH li, s ORDER BY li.position
  RETURN collect(s {@subscription(s, me)}) AS subscriptions
}
RETURN o {@order(o, me)} AS order, subscriptions
