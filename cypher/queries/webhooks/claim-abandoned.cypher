// replan=skip
// In a claim (after webhooks/claim): the webhook's last batch was claimed by a process that stopped
// before recording any answer (its lease ran out) and some of its attempts were of events read from
// the cursor (no task: webhooks/claim-events). Each such event ($deliveryIds: their log entries)
// becomes a task that has had one attempt (the log shows it abandoned, webhooks/start-attempt), due
// at the webhook's retry (`dueAt`, which the claim set as if it failed: the circuit), and the cursor
// moves past it (from $deliveredSeq, what webhooks/claim read): the next attempt is number 2, made by whichever process, after the backoff (D-30).
MATCH (w:Webhook {id: $webhookId})
UNWIND $deliveryIds AS deliveryId
MATCH (d:WebhookDelivery {id: deliveryId})
MATCH (e:ChannelEvent {id: d.eventId})
MERGE (t:WebhookTask {key: e.id + ":" + w.id})
ON CREATE SET t.eventId = e.id, t.webhookId = w.id, t.seq = e.seq, t.attempts = 1, t.firstAt = d.at,
  t.lastAttemptAt = d.at, t.nextAt = coalesce(w.dueAt, datetime({epochMillis: $now})), t.createdAt = datetime({epochMillis: $now})
MERGE (t)-[:FOR_WEBHOOK]->(w)
MERGE (t)-[:OF_EVENT]->(e)
SET d.taskKey = t.key
WITH w, max(e.seq) AS last
SET w.deliveredSeq = CASE WHEN last > $deliveredSeq THEN last ELSE $deliveredSeq END
RETURN w.deliveredSeq AS deliveredSeq
