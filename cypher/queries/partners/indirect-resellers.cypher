// A provider's indirect resellers (D-9), one keyset page per provider; only the caller's own
// provider organisation has its list shown (T-3).
// With $withShared (the client selected sharedCustomers on the resellers, with one page size and
// cursor), each reseller comes with its page of customers shared with the caller, computed as
// partners/shared-customers.cypher does (the count stored on the partnership, migrations/0007),
// so the list needs one round trip instead of two.
UNWIND $ids AS providerId
MATCH (p:Provider {id: providerId})
WHERE p.id = $viewerPartnerId
CALL (p) {
  MATCH (p)-[:INDIRECT_PROVIDER_OF]->(r:Reseller)
  RETURN count(r) AS totalCount
}
CALL (p) {
  MATCH (p)-[e:INDIRECT_PROVIDER_OF]->(r:Reseller)
  WHERE $afterKey IS NULL OR r.nameLower > $afterKey OR (r.nameLower = $afterKey AND r.id > $afterId)
  WITH r, e ORDER BY r.nameLower, r.id LIMIT $limit
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
  WITH r, e, shared ORDER BY r.nameLower, r.id
  RETURN collect(r {.id, .kind, .name, .nameLower, .mpnId, .countryCode, .enrollmentStatus, partnerSince: e.since.epochMillis,
                    sharedCustomers: shared}) AS nodes
}
RETURN providerId AS parentId, totalCount, nodes
