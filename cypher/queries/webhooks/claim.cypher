// Second statement of a claim (after webhooks/claim-lock): whether the webhook is still active, due
// and not leased, and its oldest tasks, up to $batch (WEBHOOK_BATCH; a seek of (webhookId, nextAt),
// migrations/0015), due or not (`due`), oldest first, with what the claim decides on: each task's
// attempts and window, whether its event still exists, and the webhook's run of failures.
// No row: another process claimed it, or it is not due any more.
MATCH (w:Webhook {id: $webhookId})
WHERE w.active AND w.dueAt <= datetime({epochMillis: $now})
  AND (w.leaseUntil IS NULL OR w.leaseUntil < datetime({epochMillis: timestamp()}))
CALL (w) {
  OPTIONAL MATCH (t:WebhookTask)
  WHERE t.webhookId = w.id AND t.nextAt IS NOT NULL
  WITH t ORDER BY t.nextAt ASC
  LIMIT $batch
  OPTIONAL MATCH (t)-[:OF_EVENT]->(e:ChannelEvent)
  WITH t, e WHERE t IS NOT NULL
  RETURN collect({
    key: t.key,
    due: t.nextAt <= datetime({epochMillis: $now}),
    nextAt: t.nextAt.epochMillis,
    deliverable: e IS NOT NULL,
    attempts: coalesce(t.attempts, 0),
    firstAt: t.firstAt.epochMillis,
    lastAttemptAt: t.lastAttemptAt.epochMillis
  }) AS tasks
}
RETURN tasks,
  coalesce(w.failures, 0) AS failures,
  w.failingSince.epochMillis AS failingSince,
  w.lastAttemptAt.epochMillis AS lastAttemptAt
