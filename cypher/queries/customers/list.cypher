// The caller's customers (T-2: reseller of record), filtered, counted, and one keyset page.
// With $withPartners / $withSubscriptions (the client selected those fields), each customer of
// the page comes with them, read as customers/partners.cypher and customers/subscriptions.cypher
// read them (fragments/customer-partners.cypher, fragments/customer-subscriptions.cypher), so the
// page needs one round trip instead of three.
//
// $withoutProvider (D-27): true keeps the customers without a provider in the caller's channel
// (fragments/customer-without-provider.cypher), false those with one, null all.
//
// The page is an ordered seek of the listKey index (migrations/0006) in the caller's own range
// of keys (fragments/list-key-range.cypher), after the cursor: it stops after $limit entries
// however many customers the caller has, and a deep page costs what the first does (with a
// filter, it reads entries until $limit of them match; none when totalCount is 0). Unfiltered,
// totalCount is the degree Neo4j keeps per node; with only $withoutProvider, it comes from the
// count channelStats.customersWithoutProvider reads (fragments/customers-without-provider-count.cypher:
// the same formula, so the two agree exactly); any other filter has to look at every customer of
// the caller to count.
MATCH (me:Partner {id: $viewerPartnerId})
CALL (me) {
  // Aggregations without a grouping key return one row even when the WHERE drops everything,
  // hence the sum over the branches.
  CALL (me) {
    WITH me WHERE $search IS NULL AND $countryCode IS NULL AND $sharedWithPartnerId IS NULL
    WITH me, COUNT { (me)-[:RESELLER_OF_RECORD]->() } AS customers, @customers-without-provider-count(me) AS withoutProvider
    RETURN CASE $withoutProvider WHEN true THEN withoutProvider WHEN false THEN customers - withoutProvider ELSE customers END AS matching
    UNION ALL
    WITH me WHERE $search IS NOT NULL OR $countryCode IS NOT NULL OR $sharedWithPartnerId IS NOT NULL
    MATCH (me)-[e:RESELLER_OF_RECORD]->(c:Customer)
    WHERE ($search IS NULL OR c.companyNameLower CONTAINS $search OR c.domain CONTAINS $search)
      AND ($countryCode IS NULL OR c.countryCode = $countryCode)
      AND ($sharedWithPartnerId IS NULL OR EXISTS {
        MATCH (me)-[:INDIRECT_PROVIDER_OF]-(:Partner {id: $sharedWithPartnerId})-[:RESELLER_OF_RECORD]->(c)
      })
      AND ($withoutProvider IS NULL OR @customer-without-provider(me, e) = $withoutProvider)
    RETURN count(c) AS matching
  }
  RETURN sum(matching) AS totalCount
}
CALL (me, totalCount) {
  WITH me, totalCount, @list-key-range(me, $afterKey, $afterId) WHERE totalCount > 0
  MATCH (owner:Partner)-[e:RESELLER_OF_RECORD]->(c:Customer)
  WHERE e.listKey > fromKey AND e.listKey < toKey AND owner = me
    AND ($search IS NULL OR c.companyNameLower CONTAINS $search OR c.domain CONTAINS $search)
    AND ($countryCode IS NULL OR c.countryCode = $countryCode)
    AND ($sharedWithPartnerId IS NULL OR EXISTS {
      MATCH (me)-[:INDIRECT_PROVIDER_OF]-(:Partner {id: $sharedWithPartnerId})-[:RESELLER_OF_RECORD]->(c)
    })
    AND ($withoutProvider IS NULL OR @customer-without-provider(me, e) = $withoutProvider)
  WITH c, e ORDER BY e.listKey LIMIT $limit
  CALL (me, c) {
    // The fragment's aggregation has no grouping key: one row (an empty list) even when the WHERE
    // drops everything.
    WITH me, c WHERE $withPartners
    @customer-partners(me, c)
  }
  CALL (me, c) {
    WITH me, c WHERE $withSubscriptions
    @customer-subscriptions(me, c)
  }
  WITH c, e, partners, subscriptions ORDER BY e.listKey
  RETURN collect(c {@customer(c), partners: partners, subscriptions: subscriptions}) AS nodes
}
RETURN totalCount, nodes
