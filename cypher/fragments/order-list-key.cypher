// @params owner, o
// The listKey of order `o`'s PLACED_BY edge (owner: its provider) or ON_RECORD_FOR edge (owner:
// its reseller), migrations/0010: an organisation's orders newest first, then by id
// (fragments/newest-first-key.cypher). Every statement that creates the edges sets it:
// `e.listKey = @order-list-key(p, o)` (orders/create.cypher, the backfill); Cypher written outside
// cypher/ (seed:scale, test fixtures) takes it from cypherFragment("order-list-key", "p", "o").
@list-key(@owner, @newest-first-key(@o.createdAt), @o.id)
