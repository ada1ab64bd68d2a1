// Floor for `ChannelStats` (operations.graphql): the counts of the caller's channel in one
// statement (the same Cypher as cypher/queries/stats/channel.cypher; the floor leaves out
// everything around it: token, viewer, authorization, GraphQL).
MATCH (me:Partner {id: $viewerPartnerId})
WITH me, COUNT { (me)-[:RESELLER_OF_RECORD]->() } AS customers,
     COLLECT { MATCH (me)-[:INDIRECT_PROVIDER_OF]-(o:Partner) RETURN COUNT { (o)-[:RESELLER_OF_RECORD]->() } } AS partnerDegrees
WITH me, customers, reduce(n = 0, d IN partnerDegrees | n + d) AS partnersCustomers
CALL (me, customers, partnersCustomers) {
  CALL (me, customers, partnersCustomers) {
    WITH me WHERE customers * 8 < partnersCustomers
    MATCH (me)-[:RESELLER_OF_RECORD]->(c:Customer)
    WHERE EXISTS { (c)<-[:RESELLER_OF_RECORD]-(o:Partner)-[:INDIRECT_PROVIDER_OF]-(me) }
    RETURN count(c) AS shared
    UNION ALL
    WITH me WHERE customers * 8 >= partnersCustomers
    MATCH (me)-[:INDIRECT_PROVIDER_OF]-(o:Partner)-[:RESELLER_OF_RECORD]->(c:Customer)
    WHERE (me)-[:RESELLER_OF_RECORD]->(c)
    RETURN count(DISTINCT c) AS shared
  }
  RETURN sum(shared) AS sharedCustomers
}
RETURN {
  providers: CASE WHEN me:Provider THEN 1 ELSE COUNT { (:Provider)-[:INDIRECT_PROVIDER_OF]->(me) } END,
  resellers: CASE WHEN me:Reseller THEN 1 ELSE COUNT { (me)-[:INDIRECT_PROVIDER_OF]->(:Reseller) } END,
  customers: customers, sharedCustomers: sharedCustomers,
  customersWithoutProvider: CASE WHEN me:Provider THEN 0 ELSE customers - sharedCustomers END
} AS data
