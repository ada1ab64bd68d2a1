// replan=skip
// A failed attempt of an event read from the cursor (D-30, issue 14: tasks exist only for
// failures): its task, with that first attempt made ($attemptAt: its 24-hour window starts there)
// and its next one due after the backoff ($nextAt), the error kept; the webhook's cursor then moves
// past it (webhooks/delivered), and its other events wait for the circuit's retry.
MATCH (w:Webhook {id: $webhookId})
MATCH (e:ChannelEvent {id: $eventId})
MERGE (t:WebhookTask {key: e.id + ":" + w.id})
ON CREATE SET t.eventId = e.id, t.webhookId = w.id, t.seq = e.seq, t.attempts = 1,
  t.firstAt = datetime({epochMillis: $attemptAt}), t.lastAttemptAt = datetime({epochMillis: $attemptAt}),
  t.nextAt = datetime({epochMillis: $nextAt}), t.createdAt = datetime({epochMillis: $attemptAt})
SET t.lastError = $error
MERGE (t)-[:FOR_WEBHOOK]->(w)
MERGE (t)-[:OF_EVENT]->(e)
RETURN t.key AS key, t.firstAt.epochMillis AS firstAt
