// The demo channel of DEMO.md, written in one transaction; the data comes from
// src/demo/demo-data.ts with ids and password hashes made by src/demo/load-demo.ts.
CREATE (:Demo {loadedAt: datetime({epochMillis: timestamp()}), passwordHash: $demoPasswordHash})
WITH 1 AS ignored
CALL () {
  UNWIND $partners AS p
  CREATE (n:Partner {id: p.id})
  SET n += p.props, n.createdAt = datetime(p.createdAt)
  FOREACH (_ IN CASE WHEN p.props.kind = 'PROVIDER' THEN [1] ELSE [] END | SET n:Provider)
  FOREACH (_ IN CASE WHEN p.props.kind = 'RESELLER' THEN [1] ELSE [] END | SET n:Reseller)
}
CALL () {
  UNWIND $partnerships AS e
  MATCH (p:Provider {id: e.providerId}), (r:Reseller {id: e.resellerId})
  CREATE (p)-[:INDIRECT_PROVIDER_OF {since: datetime(e.since),
                                     listKey: @partnership-list-key(p, r)}]->(r)
}
CALL () {
  UNWIND $customers AS c
  CREATE (n:Customer {id: c.id})
  SET n += c.props, n.createdAt = datetime(c.createdAt)
}
CALL () {
  UNWIND $resellerOfRecord AS e
  MATCH (p:Partner {id: e.partnerId}), (c:Customer {id: e.customerId})
  CREATE (p)-[:RESELLER_OF_RECORD {since: datetime(e.since), listKey: @customer-list-key(p, c)}]->(c)
}
CALL () {
  UNWIND $delegatedAdmin AS g
  MATCH (p:Partner {id: g.partnerId}), (c:Customer {id: g.customerId})
  CREATE (p)-[held:HOLDS_DELEGATED_ADMIN]->(d:DelegatedAdminRelationship {
    id: g.id, @delegated-admin-default(datetime(g.since))
  })-[:FOR_CUSTOMER]->(c)
  SET held.listKey = @delegated-admin-list-key(p, d)
}
CALL () {
  UNWIND $offers AS o
  CREATE (:Offer {id: o.id, name: o.name, productFamily: o.productFamily})
}
CALL () {
  UNWIND $subscriptions AS s
  MATCH (c:Customer {id: s.customerId}), (o:Offer {id: s.offerId}), (p:Provider {id: s.providerId})
  CREATE (c)-[:HAS_SUBSCRIPTION]->(n:Subscription {
    id: s.id, offerId: o.id, offerName: o.name, productFamily: o.productFamily,
    quantity: toInteger(s.quantity), status: 'ACTIVE', createdAt: datetime(s.createdAt)
  })-[:OF_OFFER]->(o)
  CREATE (n)-[:ORDERED_BY]->(p)
  WITH n, s
  OPTIONAL MATCH (r:Reseller {id: s.resellerId})
  FOREACH (_ IN CASE WHEN r IS NULL THEN [] ELSE [1] END | CREATE (n)-[:SOLD_THROUGH]->(r))
}
CALL () {
  UNWIND $users AS u
  CREATE (n:User {id: u.id})
  SET n += u.props, n.createdAt = datetime(u.createdAt)
  FOREACH (_ IN CASE WHEN u.operator THEN [1] ELSE [] END | SET n:Operator)
  WITH n, u
  OPTIONAL MATCH (p:Partner {id: u.partnerId})
  FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | CREATE (n)-[:MEMBER_OF]->(p))
}
CALL () {
  UNWIND $services AS s
  MERGE (n:ServiceStatus {service: s.service})
  ON CREATE SET n.productFamily = s.productFamily, n.status = 'HEALTHY', n.updatedAt = datetime(s.updatedAt)
}
RETURN size($partners) AS partners, size($customers) AS customers, size($users) AS users
