// Third statement of a claim: the attempt, scheduled as if it fails (so a process that dies before
// recording its answer still moves the schedule, D-30): the task's attempt number, first attempt
// (its 24-hour window starts there), `lastAttemptAt` and `nextAt` ($taskNextAt: the backoff after
// this attempt); the webhook's lease ($leaseMs on the database's clock, to $holder, naming this
// attempt's delivery), its run of failures ($failures, $failingSince) and `dueAt` ($dueAt: the
// circuit's next retry); and the attempt's entry in the delivery log (pending until
// webhooks/record-attempt). The webhook's previous attempt, if its answer was never recorded (its
// process stopped and its lease ran out), is marked abandoned in the log.
MATCH (w:Webhook {id: $webhookId})
MATCH (t:WebhookTask {key: $key})-[:OF_EVENT]->(e:ChannelEvent)
OPTIONAL MATCH (abandoned:WebhookDelivery {id: w.leaseDeliveryId})
SET abandoned.error = $abandonedError
WITH w, t, e, datetime({epochMillis: $now}) AS now
SET t.attempts = coalesce(t.attempts, 0) + 1,
    t.firstAt = coalesce(t.firstAt, now),
    t.lastAttemptAt = now,
    t.nextAt = datetime({epochMillis: $taskNextAt}),
    t.pendingDeliveryId = $deliveryId,
    w.leaseUntil = datetime({epochMillis: timestamp() + $leaseMs}),
    w.leaseHolder = $holder,
    w.leaseDeliveryId = $deliveryId,
    w.failures = $failures,
    w.failingSince = datetime({epochMillis: $failingSince}),
    w.lastAttemptAt = now,
    w.dueAt = datetime({epochMillis: $dueAt})
CREATE (w)-[l:LOGGED]->(d:WebhookDelivery {
  id: $deliveryId, eventId: e.id, taskKey: t.key, attempt: t.attempts, at: now,
  statusCode: null, durationMs: null, error: $pendingError
})
SET l.listKey = @webhook-delivery-list-key(w, d)
RETURN t.attempts AS attempt, t.firstAt.epochMillis AS firstAt, w {.id, .url, .secretSealed} AS webhook, e {@channel-event} AS event
