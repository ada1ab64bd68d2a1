// A provider's indirect resellers page in the order (reseller nameLower, reseller id). Walking
// and sorting all of a provider's partnerships read 2,532 edges for a page of 20 at 1M customers
// (the floor's statement: 9 ms at 10k, 40 ms at 1M). Each INDIRECT_PROVIDER_OF edge now carries
// that order, prefixed by the provider, like RESELLER_OF_RECORD's listKey (migrations/0006):
// listKey = provider id + U+0000 + reseller nameLower + U+0000 + reseller id, range-indexed, so a
// page is an ordered index seek that stops after `first` entries. Every statement that creates
// the edge sets it (invitations/authorize-provider, the demo, seed:scale), all through
// fragments/partnership-list-key.cypher, as this backfill does.
CREATE INDEX indirect_provider_of_list_key IF NOT EXISTS FOR ()-[e:INDIRECT_PROVIDER_OF]-() ON (e.listKey);
MATCH (p:Provider)-[e:INDIRECT_PROVIDER_OF]->(r:Reseller)
WHERE e.listKey IS NULL
CALL (p, e, r) {
  SET e.listKey = @partnership-list-key(p, r)
} IN TRANSACTIONS OF 10000 ROWS;
