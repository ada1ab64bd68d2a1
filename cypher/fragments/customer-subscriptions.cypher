// @params me, c
// The subscriptions of customer `c` that organisation `me` may see (T-2: sold through or ordered by
// it), oldest first. The body of a subquery that imports both:
// `CALL (me, c) { @customer-subscriptions(me, c) }` gives one row, `subscriptions` (a list).
@visible-subscriptions(@me, @c, s)
WITH s ORDER BY s.createdAt, s.id
RETURN collect(s {@subscription(s)}) AS subscriptions
