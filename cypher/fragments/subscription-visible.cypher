// @params s, me
// T-2: organisation `me` sees subscription `s` (of one of its customers) when the subscription was
// sold through it or ordered by it.
EXISTS { (@s)-[:SOLD_THROUGH|ORDERED_BY]->(@me) }
