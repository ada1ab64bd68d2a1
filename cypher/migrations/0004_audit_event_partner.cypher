// An organisation's audit trail (auditEvents), newest first: events are read by partnerId and
// ordered by (at, id), so a keyset page is an index seek within the organisation.
CREATE INDEX audit_event_partner_time IF NOT EXISTS FOR (e:AuditEvent) ON (e.partnerId, e.at, e.id);
