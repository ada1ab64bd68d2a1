// delegatedAdminRelationships (D-25, issue 13) pages an organisation's relationships newest first
// (createdAt descending, then id). A reseller holds the default relationship with each of its
// customers (D-13, D-14, D-16, migrations/0009): ~146k for the largest at 1M customers, which a
// page of 20 must not sort. Each HOLDS_DELEGATED_ADMIN edge now carries its organisation's order:
// listKey = partner id + U+0000 + newest-first time key of createdAt + U+0000 + relationship id
// (fragments/delegated-admin-list-key.cypher), range-indexed, so a page is an ordered index seek
// that stops after `first` entries. On the edge, as every listKey of the model (RESELLER_OF_RECORD,
// INDIRECT_PROVIDER_OF, PLACED_BY, ON_RECORD_FOR): the key is the owner's order of what it holds,
// and the edge is what makes the relationship the owner's (T-1). Every statement that creates a
// relationship sets the key (delegated-admin/create, invitations/bind-customer and import-batch,
// demo/load, migrations/0009, seed:scale), as this backfill does.
CREATE INDEX holds_delegated_admin_list_key IF NOT EXISTS FOR ()-[e:HOLDS_DELEGATED_ADMIN]-() ON (e.listKey);
// Edges written before this migration: in batches, in auto-commit transactions (idempotent: only
// edges without a key; an interrupted run resumes where it stopped).
MATCH (p:Partner)-[e:HOLDS_DELEGATED_ADMIN]->(g:DelegatedAdminRelationship)
WHERE e.listKey IS NULL
CALL (p, e, g) {
  SET e.listKey = @delegated-admin-list-key(p, g)
} IN TRANSACTIONS OF 10000 ROWS;
