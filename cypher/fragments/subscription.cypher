// @params s
// A subscription as every query returns it: SubscriptionRecord
// (src/modules/customers/customer.type.ts), inside the map projection of `s`: `s {@subscription(s)}`.
// createdAt as epoch milliseconds, as in fragments/customer.cypher.
.id, .offerId, .offerName, .productFamily, .quantity, .status, createdAt: @s.createdAt.epochMillis
