// @params p
// ChannelStats (src/modules/stats/stats.type.ts) of organisation `p`, all read, none counted here:
// customers is the degree of its RESELLER_OF_RECORD edges (every one ends at a Customer), which
// Neo4j keeps per node; sharedCustomers is its stored count of customers shared with a partnered
// organisation (migrations/0007, kept by every write of those edges). Counting them instead meant
// visiting every customer of one side: 0.9 s alone, 5.8 s under load, for the largest provider at
// 1M customers. providers and resellers are degrees too: INDIRECT_PROVIDER_OF always runs
// provider -> reseller. customersWithoutProvider: fragments/customers-without-provider-count.cypher,
// the one formula the list customers(where: {withoutProvider: true}) counts by too (D-27).
// The body of a subquery that imports `p`: one row, `channelStats` (a map).
WITH @p, COUNT { (@p)-[:RESELLER_OF_RECORD]->() } AS customers, coalesce(@p.sharedCustomerCount, 0) AS sharedCustomers
RETURN {
  providers: CASE WHEN @p:Provider THEN 1 ELSE COUNT { (@p)<-[:INDIRECT_PROVIDER_OF]-() } END,
  resellers: CASE WHEN @p:Reseller THEN 1 ELSE COUNT { (@p)-[:INDIRECT_PROVIDER_OF]->() } END,
  customers: customers, sharedCustomers: sharedCustomers,
  customersWithoutProvider: @customers-without-provider-count(@p)
} AS channelStats
