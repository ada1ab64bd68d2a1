// @params me, c
// The partners of record of customer `c` that organisation `me` may see (T-3,
// fragments/partner-in-view.cypher): itself and the organisations it has a partnership edge with,
// by name. The body of a subquery that imports both: `CALL (me, c) { @customer-partners(me, c) }`
// gives one row, `partners` (a list). customers/partners.cypher is this for a batch of customers;
// customers/list and customers/detail run it along when the partners are selected.
MATCH (@c)<-[:RESELLER_OF_RECORD]-(p:Partner)
WHERE @partner-in-view(p, @me)
WITH p ORDER BY p.nameLower, p.id
RETURN collect(p {@partner}) AS partners
