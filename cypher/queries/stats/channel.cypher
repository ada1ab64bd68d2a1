// Counts within the caller's channel (operations.graphql, ChannelStats).
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
RETURN
  CASE WHEN me:Provider THEN 1 ELSE COUNT { (:Provider)-[:INDIRECT_PROVIDER_OF]->(me) } END AS providers,
  CASE WHEN me:Reseller THEN 1 ELSE COUNT { (me)-[:INDIRECT_PROVIDER_OF]->(:Reseller) } END AS resellers,
  customers, sharedCustomers, customersWithoutProvider
