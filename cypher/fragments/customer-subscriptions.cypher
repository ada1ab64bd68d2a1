// @params me, c
// The subscriptions of customer `c` that organisation `me` may see (T-2, D-21: all of them, `c`
// being of record for `me`), oldest first. The body of a subquery that imports both:
// `CALL (me, c) { @customer-subscriptions(me, c) }` gives one row, `subscriptions` (a list).
@visible-subscriptions(@me, @c, s)
WITH @me, s ORDER BY s.createdAt, s.id
RETURN collect(s {@subscription(s, @me)}) AS subscriptions
