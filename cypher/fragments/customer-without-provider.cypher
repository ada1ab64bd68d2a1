// @params p, e
// D-27: customer `c` of partner `p` (its RESELLER_OF_RECORD edge `e`) has no provider in `p`'s
// channel: `p` is a reseller and shares `c` with no provider it is partnered with (the edge's
// `shared` flag, migrations/0007; a reseller's partners are all providers). A provider is itself
// one, so none of its customers is. customers(where: {withoutProvider}) lists by it;
// fragments/customers-without-provider-count.cypher counts it (channelStats.customersWithoutProvider).
(@p:Reseller AND NOT coalesce(@e.shared, false))
