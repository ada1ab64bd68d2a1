// @params me, c, s
// The subscriptions `s` of customer `c` that organisation `me` sees (T-2, D-21,
// fragments/subscription-visible.cypher): `@visible-subscriptions(me, c, s)` matches them, one row each.
MATCH (@c)-[:HAS_SUBSCRIPTION]->(@s:Subscription)
WHERE @subscription-visible(@s, @me)
