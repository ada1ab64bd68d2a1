// deleteWebhook (D-30, C18): a webhook of the caller's organisation (another's reads as none: no
// row, NOT_FOUND, T-4), with its pending tasks (no more deliveries) and its delivery log. After
// webhooks/delete-lock (the webhook's lock first).
MATCH (:Partner {id: $viewerPartnerId})-[:HAS_WEBHOOK]->(w:Webhook {id: $id})
WITH w, w {@webhook} AS webhook
CALL (w) {
  OPTIONAL MATCH (w)<-[:FOR_WEBHOOK]-(t:WebhookTask)
  DETACH DELETE t
}
CALL (w) {
  OPTIONAL MATCH (w)-[:LOGGED]->(d:WebhookDelivery)
  DETACH DELETE d
}
DETACH DELETE w
RETURN webhook
