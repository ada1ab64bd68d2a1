// A provider's indirect resellers (D-9), one keyset page per provider; only the caller's own
// provider organisation has its list shown (T-3).
// With $withShared (the client selected sharedCustomers on the resellers, with one page size and
// cursor), each reseller comes with its page of customers shared with the caller, read as
// partners/shared-customers.cypher reads it (fragments/shared-customer-page.cypher; the count
// stored on the partnership, migrations/0007), so the list needs one round trip instead of two.
// The page is an ordered seek of the provider's range of partnership list keys (migrations/0008,
// fragments/list-key-range.cypher) that stops after $limit entries; totalCount is the degree,
// which Neo4j keeps.
UNWIND $ids AS providerId
MATCH (p:Provider {id: providerId})
WHERE p.id = $viewerPartnerId
WITH providerId, p, COUNT { (p)-[:INDIRECT_PROVIDER_OF]->() } AS totalCount
CALL (p) {
  WITH p, @list-key-range(p, $afterKey, $afterId)
  MATCH (owner:Provider)-[e:INDIRECT_PROVIDER_OF]->(r:Reseller)
  WHERE e.listKey > fromKey AND e.listKey < toKey AND owner = p
  WITH p, r, e ORDER BY e.listKey LIMIT $limit
  OPTIONAL CALL (p, r, e) {
    WITH p, r, e WHERE $withShared
    CALL (p, r) {
      @shared-customer-page(p, r, $sharedAfterKey, $sharedAfterId, $sharedLimit)
    }
    RETURN {totalCount: coalesce(e.sharedCustomerCount, 0), nodes: nodes} AS shared
  }
  WITH r, e, shared ORDER BY e.listKey
  RETURN collect(r {@partner, partnerSince: e.since.epochMillis, sharedCustomers: shared}) AS nodes
}
RETURN providerId AS parentId, totalCount, nodes
