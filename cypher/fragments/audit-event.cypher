// An audit event as every query returns it: AuditEventRecord (src/modules/audit/audit.type.ts),
// inside the map projection of the event: `e {@audit-event}`. Never the actor's user id.
.id, .at, .operation, .actorEmail, .targetIds
