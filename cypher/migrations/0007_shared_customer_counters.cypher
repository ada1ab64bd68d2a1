// Counts of shared customers (D-11), kept in the graph instead of computed per read. Counting them
// meant visiting every customer of one side: 0.2-1 s for the largest reseller at 1M customers, 4 s
// for ChannelStats of the largest provider. Three stored values, kept by every write that creates
// a RESELLER_OF_RECORD or INDIRECT_PROVIDER_OF edge (src/shared/shared-counters.ts):
//   (:Partner)-[:RESELLER_OF_RECORD {shared}]->(:Customer)   the customer is shared with at least
//                                                             one organisation partnered with it
//   (:Partner {sharedCustomerCount})                          how many of its edges are shared
//   (:Provider)-[:INDIRECT_PROVIDER_OF {sharedCustomerCount}]->(:Reseller)
//                                                             customers both have (D-11)
// The backfill sets absolute values, so an interrupted run is simply run again. The same
// statements, for given partners, are cypher/queries/counters/recount-*.cypher.
MATCH (y:Partner)
CALL (y) {
  CALL (y) {
    MATCH (y)-[e:RESELLER_OF_RECORD]->(c:Customer)
    WITH e, EXISTS { MATCH (c)<-[:RESELLER_OF_RECORD]-(z:Partner) WHERE z <> y AND EXISTS { (z)-[:INDIRECT_PROVIDER_OF]-(y) } } AS shared
    SET e.shared = shared
    RETURN count(CASE WHEN shared THEN 1 END) AS sharedCount
  }
  SET y.sharedCustomerCount = sharedCount
} IN TRANSACTIONS OF 20 ROWS;
MATCH (p:Provider)-[ip:INDIRECT_PROVIDER_OF]->(r:Reseller)
CALL (p, ip, r) {
  SET ip.sharedCustomerCount = COUNT { MATCH (r)-[:RESELLER_OF_RECORD]->(c:Customer) WHERE EXISTS { (p)-[:RESELLER_OF_RECORD]->(c) } }
} IN TRANSACTIONS OF 200 ROWS;
