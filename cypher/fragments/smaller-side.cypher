// @params a, b
// Of partners `a` and `b`, the one with fewer customers as `small` and the other as `large` (`a`
// on a tie): their RESELLER_OF_RECORD degrees, read from the count store (getDegree), without
// walking an edge. A clause that imports both and adds `small` and `large` to the row:
// `MATCH (p)-[ip]->(r) @smaller-side(p, r)`. What the two share (D-11) is then walked from `small`,
// each edge checked on `large`, so the bigger partner's customers are never walked:
// fragments/shared-customer-page.cypher (the lists) and counters/delete-partnership.cypher (D-22).
CALL (@a, @b) {
  WITH @a, @b, COUNT { (@a)-[:RESELLER_OF_RECORD]->() } <= COUNT { (@b)-[:RESELLER_OF_RECORD]->() } AS aSmaller
  RETURN CASE WHEN aSmaller THEN @a ELSE @b END AS small, CASE WHEN aSmaller THEN @b ELSE @a END AS large
}
