// replan=skip
// Third statement of a claim: the batch's attempts, scheduled as if each fails (so a process that
// dies before recording the answers still moves the schedule, D-30): the failed events' tasks first
// ($attempts, oldest first: each a task's `key`, its `deliveryId` and `taskNextAt`, the backoff
// after this attempt: per task its attempt number, first attempt (its 24-hour window starts
// there), `lastAttemptAt` and `nextAt`), then the events read from the cursor ($events, in `seq`
// order: each `eventId` and `deliveryId`; attempt 1, no task: webhooks/claim-events); the
// webhook's one lease over the whole batch ($leaseMs on the database's clock, to $holder, named by
// the batch's first delivery `leaseDeliveryId`, all of them in `leaseDeliveryIds`), its run of
// failures ($failures, $failingSince) and `dueAt` ($dueAt: the circuit's next retry); and each
// attempt's own entry in the delivery log (pending until webhooks/record-attempt). The previous
// batch's entries that never got an answer (its process stopped and its lease ran out) are marked
// abandoned in the log.
MATCH (w:Webhook {id: $webhookId})
CALL (w) {
  UNWIND coalesce(w.leaseDeliveryIds, CASE WHEN w.leaseDeliveryId IS NULL THEN [] ELSE [w.leaseDeliveryId] END) AS abandonedId
  MATCH (abandoned:WebhookDelivery {id: abandonedId})
  WHERE abandoned.statusCode IS NULL AND abandoned.error = $pendingError
  SET abandoned.error = $abandonedError
}
WITH w, datetime({epochMillis: $now}) AS now
SET w.leaseUntil = datetime({epochMillis: timestamp() + $leaseMs}),
    w.leaseHolder = $holder,
    w.leaseDeliveryId = $leaseId,
    w.leaseDeliveryIds = [a IN $attempts | a.deliveryId] + [a IN $events | a.deliveryId],
    w.failures = $failures,
    w.failingSince = datetime({epochMillis: $failingSince}),
    w.lastAttemptAt = now,
    w.dueAt = datetime({epochMillis: $dueAt})
WITH w, now
CALL (w, now) {
  UNWIND $attempts AS a
  MATCH (t:WebhookTask {key: a.key})-[:OF_EVENT]->(e:ChannelEvent)
  SET t.attempts = coalesce(t.attempts, 0) + 1,
      t.firstAt = coalesce(t.firstAt, now),
      t.lastAttemptAt = now,
      t.nextAt = datetime({epochMillis: a.taskNextAt}),
      t.pendingDeliveryId = a.deliveryId
  RETURN a.deliveryId AS deliveryId, t.key AS key, t.attempts AS attempt, t.firstAt AS firstAt, e
  UNION
  UNWIND $events AS a
  MATCH (e:ChannelEvent {id: a.eventId})
  RETURN a.deliveryId AS deliveryId, null AS key, 1 AS attempt, now AS firstAt, e
}
CREATE (w)-[l:LOGGED]->(d:WebhookDelivery {
  id: deliveryId, eventId: e.id, taskKey: key, attempt: attempt, at: now,
  statusCode: null, durationMs: null, error: $pendingError
})
SET l.listKey = @webhook-delivery-list-key(w, d)
RETURN key, d.id AS deliveryId, attempt, firstAt.epochMillis AS firstAt, e.seq AS seq,
  w {.id, .url, .secretSealed} AS webhook, e {@channel-event} AS event
