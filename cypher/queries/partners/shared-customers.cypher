// Customers that the caller's organisation and each partnered organisation both have a reseller
// relationship with (D-11), one keyset page per partner. No partnership edge, no list.
// totalCount is the partnership's stored count (migrations/0007). The page walks whichever of the
// two has fewer customers (degrees come from the count store) in its listKey order
// (migrations/0006), skips customers it shares with nobody (the edge's `shared` flag), checks the
// other side edge by edge and stops after $limit shared customers.
UNWIND $ids AS otherId
MATCH (me:Partner {id: $viewerPartnerId})-[partnership:INDIRECT_PROVIDER_OF]-(o:Partner {id: otherId})
WITH me, o, coalesce(partnership.sharedCustomerCount, 0) AS totalCount,
     COUNT { (me)-[:RESELLER_OF_RECORD]->() } <= COUNT { (o)-[:RESELLER_OF_RECORD]->() } AS fromMe
WITH o, totalCount, CASE WHEN fromMe THEN me ELSE o END AS small, CASE WHEN fromMe THEN o ELSE me END AS large
CALL (small, large) {
  WITH small, large,
       small.id + "\u0000" + coalesce($afterKey + "\u0000" + $afterId, "") AS fromKey, small.id + "\u0001" AS toKey
  MATCH (owner:Partner)-[e:RESELLER_OF_RECORD]->(c:Customer)
  WHERE e.listKey > fromKey AND e.listKey < toKey AND owner = small AND e.shared
    AND EXISTS { (large)-[:RESELLER_OF_RECORD]->(c) }
  WITH c, e ORDER BY e.listKey LIMIT $limit
  RETURN collect(c {.id, .companyName, .companyNameLower, .domain, .countryCode, createdAt: c.createdAt.epochMillis}) AS nodes
}
RETURN o.id AS parentId, totalCount, nodes
