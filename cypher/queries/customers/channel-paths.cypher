// Provider->reseller pairs serving each customer (the reseller is of record), within the caller's
// scope: a reseller sees its own paths, a provider the paths through its own resellers (T-3):
// fragments/customer-channel-paths.cypher.
UNWIND $ids AS customerId
MATCH (me:Partner {id: $viewerPartnerId})-[:RESELLER_OF_RECORD]->(c:Customer {id: customerId})
CALL (me, c) {
  @customer-channel-paths(me, c)
}
RETURN customerId, paths
