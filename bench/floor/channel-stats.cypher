// Floor for `ChannelStats` (operations.graphql): the counts of the caller's channel in one
// statement (the same Cypher as cypher/queries/stats/channel.cypher: degrees and the stored
// shared-customer count; the floor leaves out everything around it: token, viewer, authorization,
// GraphQL).
MATCH (me:Partner {id: $viewerPartnerId})
WITH me, COUNT { (me)-[:RESELLER_OF_RECORD]->() } AS customers, coalesce(me.sharedCustomerCount, 0) AS sharedCustomers
RETURN {
  providers: CASE WHEN me:Provider THEN 1 ELSE COUNT { (me)<-[:INDIRECT_PROVIDER_OF]-() } END,
  resellers: CASE WHEN me:Reseller THEN 1 ELSE COUNT { (me)-[:INDIRECT_PROVIDER_OF]->() } END,
  customers: customers, sharedCustomers: sharedCustomers,
  customersWithoutProvider: CASE WHEN me:Provider THEN 0 ELSE customers - sharedCustomers END
} AS data
