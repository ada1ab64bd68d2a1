// @params p, c
// The listKey of the RESELLER_OF_RECORD edge from partner `p` to customer `c` (migrations/0006):
// a partner's customers in the order (companyNameLower, id). Every statement that creates the
// edge sets it: `e.listKey = @customer-list-key(p, c)`; Cypher written outside cypher/ (seed:scale,
// test fixtures) takes it from cypherFragment("customer-list-key", "p", "c").
@list-key(@p, @c.companyNameLower, @c.id)
