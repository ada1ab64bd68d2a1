// @params s, me
// D-21, C5: organisation `me` may change subscription `s` (quantity, suspend, reactivate, cancel)
// only when `s` was sold through it or ordered by it. Another partner of record of the customer
// reads `s` (fragments/subscription-visible.cypher) and is refused with FORBIDDEN.
EXISTS { (@s)-[:SOLD_THROUGH|ORDERED_BY]->(@me) }
