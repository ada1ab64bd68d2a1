// D-14, D-18: the customer of the invited domain (created with the given profile when new;
// an existing one is never changed) and the sender's reseller relationship with it. A reseller
// also gets the default delegated admin relationship, ACTIVE from $domainNow (D-25; the domain's
// clock), unless it already holds one that reads ACTIVE; a provider's own relationship gets none.
MATCH (sender:Partner {id: $senderId})
MERGE (c:Customer {domain: $domain})
  ON CREATE SET c.id = $customerId, c.companyName = $companyName, c.companyNameLower = toLower($companyName),
                c.countryCode = $countryCode, c.createdAt = datetime({epochMillis: $now})
MERGE (sender)-[e:RESELLER_OF_RECORD]->(c)
  ON CREATE SET e.since = datetime({epochMillis: $now}),
                e.listKey = @customer-list-key(sender, c)
WITH sender, c
CALL (sender, c) {
  WITH sender, c
  WHERE sender:Reseller
    AND NOT any(held IN [(sender)-[:HOLDS_DELEGATED_ADMIN]->(h:DelegatedAdminRelationship)-[:FOR_CUSTOMER]->(c) | h {@delegated-admin(h, sender, datetime({epochMillis: $domainNow}))}]
                WHERE held.status = 'ACTIVE')
  CREATE (sender)-[heldEdge:HOLDS_DELEGATED_ADMIN]->(g:DelegatedAdminRelationship {
    id: $relationshipId, @delegated-admin-default(datetime({epochMillis: $domainNow}))
  })-[:FOR_CUSTOMER]->(c)
  SET heldEdge.listKey = @delegated-admin-list-key(sender, g)
}
// delegatedAdminCreated: whether that default relationship was made now (its DELEGATED_ADMIN_APPROVED
// event, D-28), read on the new node's id.
RETURN c {@customer(c)} AS customer, sender.primaryContactEmail AS senderContactEmail,
       EXISTS { (sender)-[:HOLDS_DELEGATED_ADMIN]->(:DelegatedAdminRelationship {id: $relationshipId}) } AS delegatedAdminCreated
