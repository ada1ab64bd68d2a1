// Shared-customer flags of the given partners' RESELLER_OF_RECORD edges and their counts, from
// scratch (migrations/0007 does the same for every partner). For bulk loads (the demo, seed:scale);
// the API's own writes adjust the values instead (counters/refresh-customer-flags).
UNWIND $partnerIds AS partnerId
MATCH (y:Partner {id: partnerId})
CALL (y) {
  MATCH (y)-[e:RESELLER_OF_RECORD]->(c:Customer)
  WITH e, EXISTS { MATCH (c)<-[:RESELLER_OF_RECORD]-(z:Partner) WHERE z <> y AND EXISTS { (z)-[:INDIRECT_PROVIDER_OF]-(y) } } AS shared
  SET e.shared = shared
  RETURN count(CASE WHEN shared THEN 1 END) AS sharedCount
}
SET y.sharedCustomerCount = sharedCount
RETURN count(y) AS partners
