// A provider's indirect resellers (D-9), one keyset page per provider; only the caller's own
// provider organisation has its list shown (T-3).
// With $withShared (the client selected sharedCustomers on the resellers, with one page size and
// cursor), each reseller comes with its page of customers shared with the caller, computed as
// partners/shared-customers.cypher does (the count stored on the partnership, migrations/0007),
// so the list needs one round trip instead of two.
// The page is an ordered seek of the provider's range of partnership list keys (migrations/0008)
// that stops after $limit entries; totalCount is the degree, which Neo4j keeps.
UNWIND $ids AS providerId
MATCH (p:Provider {id: providerId})
WHERE p.id = $viewerPartnerId
WITH providerId, p, COUNT { (p)-[:INDIRECT_PROVIDER_OF]->() } AS totalCount
CALL (p) {
  WITH p, p.id + "\u0000" + coalesce($afterKey + "\u0000" + $afterId, "") AS fromKey, p.id + "\u0001" AS toKey
  MATCH (owner:Provider)-[e:INDIRECT_PROVIDER_OF]->(r:Reseller)
  WHERE e.listKey > fromKey AND e.listKey < toKey AND owner = p
  WITH p, r, e ORDER BY e.listKey LIMIT $limit
  OPTIONAL CALL (p, r, e) {
    WITH p, r, e WHERE $withShared
    WITH r, e, COUNT { (p)-[:RESELLER_OF_RECORD]->() } <= COUNT { (r)-[:RESELLER_OF_RECORD]->() } AS fromMe, p
    WITH e, CASE WHEN fromMe THEN p ELSE r END AS small, CASE WHEN fromMe THEN r ELSE p END AS large
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
  WITH r, e, shared ORDER BY e.listKey
  RETURN collect(r {.id, .kind, .name, .nameLower, .mpnId, .countryCode, .enrollmentStatus, partnerSince: e.since.epochMillis,
                    sharedCustomers: shared}) AS nodes
}
RETURN providerId AS parentId, totalCount, nodes
