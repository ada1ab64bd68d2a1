// 2xx answers (D-30): the tasks $keys are done; the webhook's circuit closes (its run of failures
// ends) and it is due at its next task's `nextAt`, or now if that is past (behind the webhooks
// waiting longer: round robin), or null when it has none left. A batch that then failed opens the
// circuit again after this (webhooks/circuit-open).
MATCH (w:Webhook {id: $webhookId})
CALL (w) {
  UNWIND $keys AS key
  MATCH (done:WebhookTask {key: key})
  DETACH DELETE done
}
SET w.failures = 0, w.failingSince = null
WITH w, datetime({epochMillis: $now}) AS now
CALL (w) {
  OPTIONAL MATCH (t:WebhookTask)
  WHERE t.webhookId = w.id AND t.nextAt IS NOT NULL
  WITH t ORDER BY t.nextAt ASC
  LIMIT 1
  RETURN t.nextAt AS first
}
SET w.dueAt = CASE WHEN first IS NULL THEN null WHEN first < now THEN now ELSE first END
RETURN w.id AS id
