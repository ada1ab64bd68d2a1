// @params s, me
// A subscription as every query returns it to organisation `me`: SubscriptionRecord
// (src/modules/customers/customer.type.ts), inside the map projection of `s`: `s {@subscription(s, me)}`.
// createdAt as epoch milliseconds, as in fragments/customer.cypher. Its channel (D-21, D-19):
// soldThrough (the reseller) and orderedBy (the provider), each null when there is none or it is
// outside what `me` may see of other organisations (T-3, fragments/partner-in-view.cypher);
// partnerIdOnRecord, the MPN ID the order that created it recorded (null for one no order made).
.id, .offerId, .offerName, .productFamily, .quantity, .status, createdAt: @s.createdAt.epochMillis,
soldThrough: [(@s)-[:SOLD_THROUGH]->(soldThroughReseller:Reseller) WHERE @partner-in-view(soldThroughReseller, @me) | soldThroughReseller {@partner}][0],
orderedBy: [(@s)-[:ORDERED_BY]->(orderedByProvider:Provider) WHERE @partner-in-view(orderedByProvider, @me) | orderedByProvider {@partner}][0],
partnerIdOnRecord: [(creatingOrder:Order)-[:CREATED]->(@s) | creatingOrder.partnerIdOnRecord][0]
