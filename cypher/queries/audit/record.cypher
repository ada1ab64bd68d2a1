// One audit event per successful mutation, in the mutation's own transaction (never secrets).
CREATE (e:AuditEvent {
  id: $id, at: datetime({epochMillis: timestamp()}), operation: $operation,
  actorUserId: $actorUserId, actorEmail: $actorEmail, partnerId: $partnerId, targetIds: $targetIds
})
WITH e
OPTIONAL MATCH (p:Partner {id: $partnerId})
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | CREATE (p)-[:HAS_AUDIT_EVENT]->(e))
RETURN e.id AS id
