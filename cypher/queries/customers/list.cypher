// The caller's customers (T-2: reseller of record), filtered, counted, and one keyset page.
// With $withPartners / $withSubscriptions (the client selected those fields), each customer of
// the page comes with them, under the same rules as customers/partners.cypher and
// customers/subscriptions.cypher, so the page needs one round trip instead of three.
MATCH (me:Partner {id: $viewerPartnerId})
CALL (me) {
  MATCH (me)-[:RESELLER_OF_RECORD]->(c:Customer)
  WHERE ($search IS NULL OR c.companyNameLower CONTAINS $search OR c.domain CONTAINS $search)
    AND ($countryCode IS NULL OR c.countryCode = $countryCode)
    AND ($sharedWithPartnerId IS NULL OR EXISTS {
      MATCH (me)-[:INDIRECT_PROVIDER_OF]-(:Partner {id: $sharedWithPartnerId})-[:RESELLER_OF_RECORD]->(c)
    })
  RETURN count(c) AS totalCount
}
CALL (me) {
  MATCH (me)-[:RESELLER_OF_RECORD]->(c:Customer)
  WHERE ($search IS NULL OR c.companyNameLower CONTAINS $search OR c.domain CONTAINS $search)
    AND ($countryCode IS NULL OR c.countryCode = $countryCode)
    AND ($sharedWithPartnerId IS NULL OR EXISTS {
      MATCH (me)-[:INDIRECT_PROVIDER_OF]-(:Partner {id: $sharedWithPartnerId})-[:RESELLER_OF_RECORD]->(c)
    })
    AND ($afterKey IS NULL OR c.companyNameLower > $afterKey OR (c.companyNameLower = $afterKey AND c.id > $afterId))
  WITH c ORDER BY c.companyNameLower, c.id LIMIT $limit
  // Aggregations without a grouping key return one row even when the WHERE drops everything.
  CALL (me, c) {
    WITH me, c WHERE $withPartners
    MATCH (c)<-[:RESELLER_OF_RECORD]-(p:Partner)
    WHERE p = me OR EXISTS { (p)-[:INDIRECT_PROVIDER_OF]-(me) }
    WITH p ORDER BY p.nameLower, p.id
    RETURN collect(p {.id, .kind, .name, .nameLower, .mpnId, .countryCode, .enrollmentStatus}) AS partners
  }
  CALL (me, c) {
    WITH me, c WHERE $withSubscriptions
    MATCH (c)-[:HAS_SUBSCRIPTION]->(s:Subscription)
    WHERE EXISTS { (s)-[:SOLD_THROUGH|ORDERED_BY]->(me) }
    WITH s ORDER BY s.createdAt, s.id
    RETURN collect(s {.id, .offerId, .offerName, .productFamily, .quantity, .status, .createdAt}) AS subscriptions
  }
  WITH c, partners, subscriptions ORDER BY c.companyNameLower, c.id
  RETURN collect(c {.id, .companyName, .companyNameLower, .domain, .countryCode, .createdAt,
                    partners: partners, subscriptions: subscriptions}) AS nodes
}
RETURN totalCount, nodes
