// Second statement of a claim (after webhooks/claim-lock): whether the webhook is still active, due
// and not leased, and its oldest task (a seek of (webhookId, nextAt), migrations/0015), due or not
// (`taskDue`), with what the claim decides on: the task's attempts and window, the webhook's run of
// failures, the delivery of its last attempt if no answer was recorded (`pendingDeliveryId`).
// No row: another process claimed it, or it is not due any more.
MATCH (w:Webhook {id: $webhookId})
WHERE w.active AND w.dueAt <= datetime({epochMillis: $now})
  AND (w.leaseUntil IS NULL OR w.leaseUntil < datetime({epochMillis: timestamp()}))
CALL (w) {
  OPTIONAL MATCH (t:WebhookTask)
  WHERE t.webhookId = w.id AND t.nextAt IS NOT NULL
  WITH t ORDER BY t.nextAt ASC
  LIMIT 1
  RETURN t
}
OPTIONAL MATCH (t)-[:OF_EVENT]->(e:ChannelEvent)
RETURN t.key AS key,
  t.nextAt <= datetime({epochMillis: $now}) AS taskDue,
  t.nextAt.epochMillis AS taskNextAt,
  e IS NOT NULL AS deliverable,
  coalesce(t.attempts, 0) AS attempts,
  t.firstAt.epochMillis AS firstAt,
  t.lastAttemptAt.epochMillis AS taskLastAttemptAt,
  coalesce(w.failures, 0) AS failures,
  w.failingSince.epochMillis AS failingSince,
  w.lastAttemptAt.epochMillis AS lastAttemptAt
