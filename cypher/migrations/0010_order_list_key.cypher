// The orders list (D-27) pages an organisation's orders newest first (createdAt descending, then
// id): a provider's through its PLACED_BY edges, a reseller's through its ON_RECORD_FOR edges. A
// big provider at 1M customers has some 1M orders; sorting them all for a page of 20 is what the
// customers lists stopped doing with migrations/0006. Each of the two edges now carries its
// organisation's order: listKey = partner id + U+0000 + newest-first time key + U+0000 + order id
// (fragments/order-list-key.cypher), range-indexed, so a page is an ordered index seek that stops
// after `first` entries. Every statement that creates the edges sets the key (orders/create,
// seed:scale), as this backfill does.
CREATE INDEX placed_by_list_key IF NOT EXISTS FOR ()-[e:PLACED_BY]-() ON (e.listKey);
CREATE INDEX on_record_for_list_key IF NOT EXISTS FOR ()-[e:ON_RECORD_FOR]-() ON (e.listKey);
// Edges written before this migration: in batches, in auto-commit transactions (idempotent).
MATCH (o:Order)-[e:PLACED_BY]->(p:Provider)
WHERE e.listKey IS NULL
CALL (o, e, p) {
  SET e.listKey = @order-list-key(p, o)
} IN TRANSACTIONS OF 10000 ROWS;
MATCH (o:Order)-[e:ON_RECORD_FOR]->(r:Reseller)
WHERE e.listKey IS NULL
CALL (o, e, r) {
  SET e.listKey = @order-list-key(r, o)
} IN TRANSACTIONS OF 10000 ROWS;
