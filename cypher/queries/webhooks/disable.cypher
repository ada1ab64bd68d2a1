// replan=skip
// D-30: after 24 hours of failed attempts the webhook is disabled (active false, disabledReason)
// with its pending tasks deleted and nothing due; returns its organisation and the addresses of its global admins
// ($adminRoles, src/shared/auth/capabilities.ts) to mail after commit. No row: it was already
// disabled or deleted.
MATCH (p:Partner)-[:HAS_WEBHOOK]->(w:Webhook {id: $webhookId})
WHERE w.active
SET w.active = false, w.disabledReason = $reason, w.disabledAt = datetime({epochMillis: $now}),
  w.dueAt = null, w.leaseUntil = null, w.leaseHolder = null, w.leaseDeliveryId = null
WITH p, w
CALL (w) {
  OPTIONAL MATCH (w)<-[:FOR_WEBHOOK]-(t:WebhookTask)
  DETACH DELETE t
}
RETURN w {@webhook} AS webhook, p.id AS partnerId, p.name AS partnerName,
  [(u:User)-[:MEMBER_OF]->(p) WHERE u.adminRole IN $adminRoles | u.email] AS admins
