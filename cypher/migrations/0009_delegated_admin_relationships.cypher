// Granular delegated admin, GDAP (D-25, issue 13). Delegated admin was a yes/no flag on the
// RESELLER_OF_RECORD edge (`delegatedAdmin`, `delegatedAdminSince`); it is now a
// DelegatedAdminRelationship node (MODEL.md): (:Partner)-[:HOLDS_DELEGATED_ADMIN]->(g)-[:FOR_CUSTOMER]->(:Customer).
// Every grant becomes the default relationship (fragments/delegated-admin-default.cypher: the D-25
// default roles, 730 days, auto-extend), ACTIVE from the grant's delegatedAdminSince (an accepted
// C4 request) or else the edge's since, with migratedAt; a grant older than 730 days reads as
// auto-extended (fragments/delegated-admin.cypher), never as expired.
// Idempotent and resumable: each batch (an inner transaction of 5,000 edges) creates the
// relationships and removes the flag from the same edges, so an edge is converted exactly once,
// and a run after an interruption, or a second run, finds only what is left (nothing).
// Ids are made here (no parameters in a migration): gda_ + 26 characters of the alphabet of
// src/shared/ids.ts from a random UUID's hex digits (digits 0-9 read as q-z); unique (constraint).
// The HOLDS_DELEGATED_ADMIN edge gets its listKey (fragments/delegated-admin-list-key.cypher) here
// as everywhere a relationship is made; migrations/0011 indexes it and keys what came before.
CREATE CONSTRAINT delegated_admin_relationship_id IF NOT EXISTS FOR (g:DelegatedAdminRelationship) REQUIRE g.id IS UNIQUE;
MATCH (p:Partner)-[e:RESELLER_OF_RECORD]->(c:Customer)
WHERE e.delegatedAdmin = true
CALL (p, e, c) {
  WITH p, e, c, coalesce(e.delegatedAdminSince, e.since, datetime({epochMillis: timestamp()})) AS activatedAt,
       'gda_' + substring(reduce(s = replace(randomUUID(), '-', ''), d IN range(0, 9) | replace(s, toString(d), substring('qrstuvwxyz', d, 1))), 0, 26) AS id
  CREATE (p)-[held:HOLDS_DELEGATED_ADMIN]->(g:DelegatedAdminRelationship {
    id: id, @delegated-admin-default(activatedAt), migratedAt: datetime({epochMillis: timestamp()})
  })-[:FOR_CUSTOMER]->(c)
  SET held.listKey = @delegated-admin-list-key(p, g)
  REMOVE e.delegatedAdmin, e.delegatedAdminSince
} IN TRANSACTIONS OF 5000 ROWS;
// The flags that granted nothing (a provider's `delegatedAdmin: false`): nothing reads them any more.
MATCH (:Partner)-[e:RESELLER_OF_RECORD]->(:Customer)
WHERE e.delegatedAdmin IS NOT NULL OR e.delegatedAdminSince IS NOT NULL
CALL (e) {
  REMOVE e.delegatedAdmin, e.delegatedAdminSince
} IN TRANSACTIONS OF 10000 ROWS;
// A DELEGATED_ADMIN request still PENDING from before asked for the all-or-nothing grant: its link
// now approves the default relationship, PENDING_APPROVAL until then (delegated-admin/approve).
MATCH (p:Partner)-[:SENT]->(r:RelationshipRequest {kind: 'DELEGATED_ADMIN', status: 'PENDING'})-[:FOR_CUSTOMER]->(c:Customer)
WHERE NOT EXISTS { (r)-[:REQUESTS]->(:DelegatedAdminRelationship) }
CALL (p, r, c) {
  WITH p, r, c,
       'gda_' + substring(reduce(s = replace(randomUUID(), '-', ''), d IN range(0, 9) | replace(s, toString(d), substring('qrstuvwxyz', d, 1))), 0, 26) AS id
  CREATE (p)-[held:HOLDS_DELEGATED_ADMIN]->(g:DelegatedAdminRelationship {
    id: id, @delegated-admin-default(r.createdAt), migratedAt: datetime({epochMillis: timestamp()})
  })-[:FOR_CUSTOMER]->(c)
  SET g.status = 'PENDING_APPROVAL', g.activatedAt = null, g.endsAt = null,
      held.listKey = @delegated-admin-list-key(p, g)
  CREATE (r)-[:REQUESTS]->(g)
} IN TRANSACTIONS OF 5000 ROWS;
