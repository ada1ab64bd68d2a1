// @params o, me
// An order as every query returns it to organisation `me`: OrderRecord
// (src/modules/orders/order.type.ts), inside the map projection of `o`: `o {@order(o, me)}`.
// lineItems from the parallel lists the order stores (offerIds[i] x quantities[i]). Its channel
// (D-19, D-27): the customer, null once `me` is no longer of record for it (T-2, T-4: the order,
// the organisation's own record, stays listed); the reseller and the provider, each null when
// outside what `me` may see of other organisations (T-3, fragments/partner-in-view.cypher).
.id, .status, createdAt: @o.createdAt.epochMillis, .partnerIdOnRecord,
lineItems: [i IN range(0, size(@o.offerIds) - 1) | {offerId: @o.offerIds[i], quantity: @o.quantities[i]}],
customer: [(@o)-[:FOR_CUSTOMER]->(orderCustomer:Customer) WHERE EXISTS { (@me)-[:RESELLER_OF_RECORD]->(orderCustomer) } | orderCustomer {@customer(orderCustomer)}][0],
reseller: [(@o)-[:ON_RECORD_FOR]->(orderReseller:Reseller) WHERE @partner-in-view(orderReseller, @me) | orderReseller {@partner}][0],
provider: [(@o)-[:PLACED_BY]->(orderProvider:Provider) WHERE @partner-in-view(orderProvider, @me) | orderProvider {@partner}][0]
