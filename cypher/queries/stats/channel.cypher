// Counts within the caller's channel (operations.graphql, ChannelStats), all read, none counted
// here: customers is the degree of the caller's RESELLER_OF_RECORD edges (every one ends at a
// Customer), which Neo4j keeps per node; sharedCustomers is the caller's stored count of customers
// shared with a partnered organisation (migrations/0007, kept by every write of those edges).
// Counting them instead meant visiting every customer of one side: 0.9 s alone, 5.8 s under load,
// for the largest provider at 1M customers. providers and resellers are degrees too:
// INDIRECT_PROVIDER_OF always runs provider -> reseller.
// customersWithoutProvider: a reseller's partners are all providers, so its customers without a
// provider are the ones it shares with none; a provider is itself one.
// auth/viewer.cypher computes the same when the request names channelStats (then this one is not run).
MATCH (me:Partner {id: $viewerPartnerId})
WITH me, COUNT { (me)-[:RESELLER_OF_RECORD]->() } AS customers, coalesce(me.sharedCustomerCount, 0) AS sharedCustomers
RETURN
  CASE WHEN me:Provider THEN 1 ELSE COUNT { (me)<-[:INDIRECT_PROVIDER_OF]-() } END AS providers,
  CASE WHEN me:Reseller THEN 1 ELSE COUNT { (me)-[:INDIRECT_PROVIDER_OF]->() } END AS resellers,
  customers, sharedCustomers,
  CASE WHEN me:Provider THEN 0 ELSE customers - sharedCustomers END AS customersWithoutProvider
