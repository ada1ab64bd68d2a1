// D-13 import, one batch (one transaction): customers merged by domain (an existing customer is
// left as it is) and the partner's RESELLER_OF_RECORD edge to each, merged, so a re-run changes
// nothing. Like an accepted invitation, a reseller's new relationship comes with the default
// delegated admin relationship, ACTIVE from $now (D-25), and a provider's with none. Ids and the
// time come from the caller, so a retried batch writes the same.
MATCH (p:Partner {id: $partnerId})
UNWIND $rows AS row
OPTIONAL MATCH (old:Customer {domain: row.domain})
WITH p, row, old IS NULL AS newCustomer,
     CASE WHEN old IS NULL THEN false ELSE EXISTS { (p)-[:RESELLER_OF_RECORD]->(old) } END AS hadEdge
MERGE (c:Customer {domain: row.domain})
  ON CREATE SET c.id = row.id, c.companyName = row.companyName, c.companyNameLower = toLower(row.companyName),
                c.countryCode = row.countryCode, c.createdAt = datetime({epochMillis: $now})
MERGE (p)-[e:RESELLER_OF_RECORD]->(c)
  ON CREATE SET e.since = datetime({epochMillis: $now}), e.importedAt = datetime({epochMillis: $now}),
                e.listKey = @customer-list-key(p, c)
WITH p, row, c, newCustomer, hadEdge
CALL (p, row, c, hadEdge) {
  WITH p, row, c, hadEdge WHERE p:Reseller AND NOT hadEdge
  CREATE (p)-[held:HOLDS_DELEGATED_ADMIN]->(g:DelegatedAdminRelationship {
    id: row.relationshipId, @delegated-admin-default(datetime({epochMillis: $now}))
  })-[:FOR_CUSTOMER]->(c)
  SET held.listKey = @delegated-admin-list-key(p, g)
}
RETURN count(row) AS rows,
       count(CASE WHEN newCustomer THEN 1 END) AS customersCreated,
       count(CASE WHEN NOT hadEdge THEN 1 END) AS relationshipsCreated,
       collect(CASE WHEN newCustomer OR NOT hadEdge THEN c.id END) AS changedCustomerIds
