// Floor for `ChannelStats` (operations.graphql): the counts of the caller's channel in one
// statement (the same Cypher as cypher/queries/stats/channel.cypher; the floor leaves out
// everything around it: token, viewer, authorization, GraphQL).
MATCH (me:Partner {id: $viewerPartnerId})
CALL (me) {
  MATCH (me)-[:RESELLER_OF_RECORD]->(c:Customer)
  RETURN count(c) AS customers,
         count(CASE WHEN EXISTS { (me)-[:INDIRECT_PROVIDER_OF]-(o:Partner)-[:RESELLER_OF_RECORD]->(c) } THEN 1 END) AS sharedCustomers,
         count(CASE WHEN NOT EXISTS {
           MATCH (p:Provider)-[:RESELLER_OF_RECORD]->(c)
           WHERE p = me OR (p)-[:INDIRECT_PROVIDER_OF]->(me)
         } THEN 1 END) AS customersWithoutProvider
}
RETURN {
  providers: CASE WHEN me:Provider THEN 1 ELSE COUNT { (:Provider)-[:INDIRECT_PROVIDER_OF]->(me) } END,
  resellers: CASE WHEN me:Reseller THEN 1 ELSE COUNT { (me)-[:INDIRECT_PROVIDER_OF]->(:Reseller) } END,
  customers: customers, sharedCustomers: sharedCustomers, customersWithoutProvider: customersWithoutProvider
} AS data
