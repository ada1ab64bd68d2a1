// @params owner, g
// The listKey of the HOLDS_DELEGATED_ADMIN edge from partner `owner` to its relationship `g`
// (migrations/0011): a partner's delegated admin relationships newest first (createdAt), then by
// id (fragments/newest-first-key.cypher, fragments/list-key.cypher), the order of
// delegatedAdminRelationships. Every statement that creates a relationship sets it on the edge,
// once `g` exists: `SET e.listKey = @delegated-admin-list-key(p, g)` (delegated-admin/create, the
// default relationships of invitations/bind-customer and invitations/import-batch, demo/load,
// migrations 0009 and 0011); Cypher written outside cypher/ (seed:scale, test fixtures) takes it
// from cypherFragment("delegated-admin-list-key", "p", "g").
@list-key(@owner, @newest-first-key(@g.createdAt), @g.id)
