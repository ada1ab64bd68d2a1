// @params p, me
// T-3: partner `p` is one organisation `me` may see beside a customer or an order: itself, or an
// organisation it has a partnership edge with (either way round). Customers' `partners`
// (fragments/customer-partners.cypher), a subscription's soldThrough/orderedBy
// (fragments/subscription.cypher) and an order's reseller/provider (fragments/order.cypher) read it.
(@p = @me OR EXISTS { (@p)-[:INDIRECT_PROVIDER_OF]-(@me) })
