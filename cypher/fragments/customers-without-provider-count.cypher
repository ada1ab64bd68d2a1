// @params p
// D-27: how many customers of partner `p` have no provider (fragments/customer-without-provider.cypher,
// edge by edge), read from counts Neo4j and the counters keep rather than by visiting them: for a
// reseller, its RESELLER_OF_RECORD edges (the degree, from the count store) less the shared ones
// (its stored sharedCustomerCount: the edges whose `shared` is true, migrations/0007); for a
// provider, 0. channelStats.customersWithoutProvider is this (fragments/channel-stats.cypher), and
// so is the totalCount of customers(where: {withoutProvider: true}) (customers/list.cypher).
CASE WHEN @p:Reseller THEN COUNT { (@p)-[:RESELLER_OF_RECORD]->() } - coalesce(@p.sharedCustomerCount, 0) ELSE 0 END
