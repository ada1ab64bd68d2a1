// Partners of record of each customer, limited to the caller's organisation and the
// organisations it has a partnership edge with (T-3): fragments/customer-partners.cypher.
UNWIND $ids AS customerId
MATCH (me:Partner {id: $viewerPartnerId})-[:RESELLER_OF_RECORD]->(c:Customer {id: customerId})
CALL (me, c) {
  @customer-partners(me, c)
}
RETURN customerId, partners
