// @params a, b, afterKey, afterId, limit
// One keyset page of the customers that partnered organisations `a` and `b` both have a reseller
// relationship with (D-11), in (companyNameLower, id) order, after the cursor. The walk takes
// whichever of the two has fewer customers (fragments/smaller-side.cypher: degrees from the count
// store; `a` on a tie) in its listKey order (fragments/list-key-range.cypher, migrations/0006),
// skips customers it shares with nobody (the edge's `shared` flag, migrations/0007), checks the
// other side edge by edge and stops after `limit` shared customers. The body of a subquery that imports both:
// `CALL (me, o) { @shared-customer-page(me, o, $afterKey, $afterId, $limit) }` gives one row,
// `nodes` (a list). The page's totalCount is the partnership's stored sharedCustomerCount.
@smaller-side(@a, @b)
WITH small, large, @list-key-range(small, @afterKey, @afterId)
MATCH (owner:Partner)-[ror:RESELLER_OF_RECORD]->(c:Customer)
WHERE ror.listKey > fromKey AND ror.listKey < toKey AND owner = small AND ror.shared
  AND EXISTS { (large)-[:RESELLER_OF_RECORD]->(c) }
WITH c, ror ORDER BY ror.listKey LIMIT @limit
RETURN collect(c {@customer(c)}) AS nodes
