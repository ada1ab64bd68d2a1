// Indexes for what is filtered, sorted or paged on. Lists page by (sort key, id); the sort keys
// are the lower-cased names, also used by case-insensitive search.
CREATE INDEX partner_name_lower IF NOT EXISTS FOR (p:Partner) ON (p.nameLower, p.id);
CREATE INDEX partner_enrollment_status IF NOT EXISTS FOR (p:Partner) ON (p.enrollmentStatus);
CREATE INDEX provider_status_name IF NOT EXISTS FOR (p:Provider) ON (p.enrollmentStatus, p.nameLower, p.id);
CREATE INDEX partner_country IF NOT EXISTS FOR (p:Partner) ON (p.countryCode);
CREATE INDEX partner_tenant_domain IF NOT EXISTS FOR (p:Partner) ON (p.tenantDomain);
CREATE INDEX customer_name_lower IF NOT EXISTS FOR (c:Customer) ON (c.companyNameLower, c.id);
CREATE INDEX customer_country IF NOT EXISTS FOR (c:Customer) ON (c.countryCode);
CREATE INDEX user_email_id IF NOT EXISTS FOR (u:User) ON (u.email, u.id);
CREATE INDEX subscription_family IF NOT EXISTS FOR (s:Subscription) ON (s.productFamily);
CREATE INDEX relationship_request_status IF NOT EXISTS FOR (r:RelationshipRequest) ON (r.status);
CREATE INDEX relationship_request_created IF NOT EXISTS FOR (r:RelationshipRequest) ON (r.createdAt, r.id);
CREATE INDEX lead_created IF NOT EXISTS FOR (l:Lead) ON (l.createdAt, l.id);
CREATE INDEX audit_event_time IF NOT EXISTS FOR (e:AuditEvent) ON (e.at, e.id);
CREATE TEXT INDEX customer_name_text IF NOT EXISTS FOR (c:Customer) ON (c.companyNameLower);
CREATE TEXT INDEX customer_domain_text IF NOT EXISTS FOR (c:Customer) ON (c.domain);
CREATE TEXT INDEX partner_name_text IF NOT EXISTS FOR (p:Partner) ON (p.nameLower);
