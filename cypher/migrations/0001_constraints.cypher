// Uniqueness for every id, MPN ID, user email and customer domain. Each constraint is backed by
// a range index, which also serves the lookups by these properties.
CREATE CONSTRAINT migration_name IF NOT EXISTS FOR (m:Migration) REQUIRE m.name IS UNIQUE;
CREATE CONSTRAINT partner_id IF NOT EXISTS FOR (p:Partner) REQUIRE p.id IS UNIQUE;
CREATE CONSTRAINT partner_mpn_id IF NOT EXISTS FOR (p:Partner) REQUIRE p.mpnId IS UNIQUE;
CREATE CONSTRAINT customer_id IF NOT EXISTS FOR (c:Customer) REQUIRE c.id IS UNIQUE;
CREATE CONSTRAINT customer_domain IF NOT EXISTS FOR (c:Customer) REQUIRE c.domain IS UNIQUE;
CREATE CONSTRAINT user_id IF NOT EXISTS FOR (u:User) REQUIRE u.id IS UNIQUE;
CREATE CONSTRAINT user_email IF NOT EXISTS FOR (u:User) REQUIRE u.email IS UNIQUE;
CREATE CONSTRAINT offer_id IF NOT EXISTS FOR (o:Offer) REQUIRE o.id IS UNIQUE;
CREATE CONSTRAINT subscription_id IF NOT EXISTS FOR (s:Subscription) REQUIRE s.id IS UNIQUE;
CREATE CONSTRAINT order_id IF NOT EXISTS FOR (o:Order) REQUIRE o.id IS UNIQUE;
CREATE CONSTRAINT relationship_request_id IF NOT EXISTS FOR (r:RelationshipRequest) REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT relationship_request_token IF NOT EXISTS FOR (r:RelationshipRequest) REQUIRE r.tokenHash IS UNIQUE;
CREATE CONSTRAINT service_request_id IF NOT EXISTS FOR (s:ServiceRequest) REQUIRE s.id IS UNIQUE;
CREATE CONSTRAINT lead_id IF NOT EXISTS FOR (l:Lead) REQUIRE l.id IS UNIQUE;
CREATE CONSTRAINT audit_event_id IF NOT EXISTS FOR (e:AuditEvent) REQUIRE e.id IS UNIQUE;
CREATE CONSTRAINT service_status_service IF NOT EXISTS FOR (s:ServiceStatus) REQUIRE s.service IS UNIQUE;
