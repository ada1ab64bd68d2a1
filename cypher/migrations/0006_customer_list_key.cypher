// Customers lists page in the order (companyNameLower, id) of one partner's customers. With only
// node indexes, a partner's page meant reading and sorting all of its customers (1.8 s for a
// reseller of 146,090 at 1M customers). Each RESELLER_OF_RECORD edge now carries that order,
// prefixed by the partner: listKey = partner id + U+0000 + companyNameLower + U+0000 + customer id
// (U+0000 sorts before any character a name may hold, so the string order is the tuple order).
// A range index on it serves a page as one ordered index seek that stops after `first` entries.
// Every statement that creates the edge sets the key (cypher/queries/**, seed:scale, the demo),
// all through fragments/customer-list-key.cypher, as this backfill does.
CREATE INDEX reseller_of_record_list_key IF NOT EXISTS FOR ()-[e:RESELLER_OF_RECORD]-() ON (e.listKey);
// Edges written before this migration: in batches, in auto-commit transactions (idempotent).
MATCH (p:Partner)-[e:RESELLER_OF_RECORD]->(c:Customer)
WHERE e.listKey IS NULL
CALL (p, e, c) {
  SET e.listKey = @customer-list-key(p, c)
} IN TRANSACTIONS OF 10000 ROWS;
