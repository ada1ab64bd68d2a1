// Customers that the caller's organisation and each partnered organisation both have a reseller
// relationship with (D-11), one keyset page per partner. No partnership edge, no list.
// The walk starts from whichever of the two has fewer customers (degrees come from the count
// store), then checks the other side edge by edge: a provider with thousands of customers and a
// reseller with sixty cost sixty expansions, not thousands. The page is an ordered seek of the
// smaller side's listKey range (migrations/0006) that stops after $limit shared customers, so
// only the count still visits every customer of the smaller side.
UNWIND $ids AS otherId
MATCH (me:Partner {id: $viewerPartnerId})-[:INDIRECT_PROVIDER_OF]-(o:Partner {id: otherId})
WITH me, o, COUNT { (me)-[:RESELLER_OF_RECORD]->() } <= COUNT { (o)-[:RESELLER_OF_RECORD]->() } AS fromMe
WITH o, CASE WHEN fromMe THEN me ELSE o END AS small, CASE WHEN fromMe THEN o ELSE me END AS large
CALL (small, large) {
  MATCH (small)-[:RESELLER_OF_RECORD]->(c:Customer)
  WHERE EXISTS { (large)-[:RESELLER_OF_RECORD]->(c) }
  RETURN count(c) AS totalCount
}
CALL (small, large) {
  WITH small, large,
       small.id + "\u0000" + coalesce($afterKey + "\u0000" + $afterId, "") AS fromKey, small.id + "\u0001" AS toKey
  MATCH (owner:Partner)-[e:RESELLER_OF_RECORD]->(c:Customer)
  WHERE e.listKey > fromKey AND e.listKey < toKey AND owner = small
    AND EXISTS { (large)-[:RESELLER_OF_RECORD]->(c) }
  WITH c, e ORDER BY e.listKey LIMIT $limit
  RETURN collect(c {.id, .companyName, .companyNameLower, .domain, .countryCode, createdAt: c.createdAt.epochMillis}) AS nodes
}
RETURN o.id AS parentId, totalCount, nodes
