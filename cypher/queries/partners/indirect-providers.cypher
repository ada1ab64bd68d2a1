// A reseller's indirect providers (D-9); only the caller's own reseller organisation (T-3).
// With $withShared (the client selected sharedCustomers on the providers, with one page size and
// cursor), each provider comes with its page of customers shared with the caller, computed as
// partners/shared-customers.cypher does (the count stored on the partnership, migrations/0007),
// so the list needs one round trip instead of two.
UNWIND $ids AS resellerId
MATCH (r:Reseller {id: resellerId})<-[e:INDIRECT_PROVIDER_OF]-(p:Provider)
WHERE r.id = $viewerPartnerId
OPTIONAL CALL (r, p, e) {
  WITH r, p, e WHERE $withShared
  WITH r, p, e, COUNT { (r)-[:RESELLER_OF_RECORD]->() } <= COUNT { (p)-[:RESELLER_OF_RECORD]->() } AS fromMe
  WITH e, CASE WHEN fromMe THEN r ELSE p END AS small, CASE WHEN fromMe THEN p ELSE r END AS large
  CALL (small, large) {
    WITH small, large,
         small.id + "\u0000" + coalesce($sharedAfterKey + "\u0000" + $sharedAfterId, "") AS fromKey, small.id + "\u0001" AS toKey
    MATCH (owner:Partner)-[ror:RESELLER_OF_RECORD]->(c:Customer)
    WHERE ror.listKey > fromKey AND ror.listKey < toKey AND owner = small AND ror.shared
      AND EXISTS { (large)-[:RESELLER_OF_RECORD]->(c) }
    WITH c, ror ORDER BY ror.listKey LIMIT $sharedLimit
    RETURN collect(c {.id, .companyName, .companyNameLower, .domain, .countryCode, createdAt: c.createdAt.epochMillis}) AS sharedNodes
  }
  RETURN {totalCount: coalesce(e.sharedCustomerCount, 0), nodes: sharedNodes} AS shared
}
WITH resellerId, p, e, shared ORDER BY p.nameLower, p.id
RETURN resellerId, collect(p {.id, .kind, .name, .nameLower, .mpnId, .countryCode, .enrollmentStatus, partnerSince: e.since.epochMillis,
                              sharedCustomers: shared}) AS providers
