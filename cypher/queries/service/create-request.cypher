// A service request: a ticket of the partner itself (C7, no customer) or on behalf of a customer
// (C3), optionally about one of its subscriptions. Scope is checked by service/request-scope in
// the same transaction.
MATCH (me:Partner {id: $viewerPartnerId})
CREATE (me)-[:OPENED]->(sr:ServiceRequest {
  id: $id, title: $title, description: $description, severity: $severity, status: 'OPEN',
  createdAt: datetime({epochMillis: $now})
})
WITH sr
OPTIONAL MATCH (c:Customer {id: $customerId})
FOREACH (_ IN CASE WHEN c IS NULL THEN [] ELSE [1] END | CREATE (sr)-[:FOR_CUSTOMER]->(c))
WITH sr
OPTIONAL MATCH (s:Subscription {id: $subscriptionId})
FOREACH (_ IN CASE WHEN s IS NULL THEN [] ELSE [1] END | CREATE (sr)-[:ABOUT]->(s))
RETURN sr {@service-request} AS request
