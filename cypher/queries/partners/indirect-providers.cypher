// A reseller's indirect providers (D-9); only the caller's own reseller organisation (T-3).
// With $withShared (the client selected sharedCustomers on the providers, with one page size and
// cursor), each provider comes with its page of customers shared with the caller, read as
// partners/shared-customers.cypher reads it (fragments/shared-customer-page.cypher; the count
// stored on the partnership, migrations/0007), so the list needs one round trip instead of two.
UNWIND $ids AS resellerId
MATCH (r:Reseller {id: resellerId})<-[e:INDIRECT_PROVIDER_OF]-(p:Provider)
WHERE r.id = $viewerPartnerId
OPTIONAL CALL (r, p, e) {
  WITH r, p, e WHERE $withShared
  CALL (r, p) {
    @shared-customer-page(r, p, $sharedAfterKey, $sharedAfterId, $sharedLimit)
  }
  RETURN {totalCount: coalesce(e.sharedCustomerCount, 0), nodes: nodes} AS shared
}
WITH resellerId, p, e, shared ORDER BY p.nameLower, p.id
RETURN resellerId, collect(p {@partner, partnerSince: e.since.epochMillis, sharedCustomers: shared}) AS providers
