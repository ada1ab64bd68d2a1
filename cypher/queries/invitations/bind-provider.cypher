// D-16: the provider named in the request gets its own reseller relationship with the customer
// (no delegated admin relationship: D-25), while it is still an indirect provider of the sending
// reseller. No row: the partnership ended since the invitation, and the whole acceptance is
// rolled back. Its name and primary contact are for the D-24 mail.
MATCH (:RelationshipRequest {id: $requestId})-[:WITH_PROVIDER]->(p:Provider)-[:INDIRECT_PROVIDER_OF]->(:Reseller {id: $senderId})
MATCH (c:Customer {id: $customerId})
MERGE (p)-[e:RESELLER_OF_RECORD]->(c)
  ON CREATE SET e.since = datetime({epochMillis: $now}),
                e.listKey = @customer-list-key(p, c)
RETURN p.id AS providerId, p.name AS providerName, p.primaryContactEmail AS providerContactEmail
