// Third statement of a claim: the lease ($leaseMs on the database's clock, to $holder), the
// attempt's number, the first attempt's time (the 24-hour window starts there, D-30) and the
// attempt's entry in the delivery log (pending until webhooks/record-attempt). An attempt whose
// process stopped before recording its answer (its lease ran out) is marked so in the log.
MATCH (t:WebhookTask {key: $key})-[:FOR_WEBHOOK]->(w:Webhook)
MATCH (t)-[:OF_EVENT]->(e:ChannelEvent)
OPTIONAL MATCH (abandoned:WebhookDelivery {id: t.pendingDeliveryId})
SET abandoned.error = $abandonedError
SET t.attempts = t.attempts + 1,
    t.leaseUntil = datetime({epochMillis: timestamp() + $leaseMs}),
    t.leaseHolder = $holder,
    t.firstAt = coalesce(t.firstAt, datetime({epochMillis: $now})),
    t.pendingDeliveryId = $deliveryId
CREATE (w)-[l:LOGGED]->(d:WebhookDelivery {
  id: $deliveryId, eventId: e.id, taskKey: t.key, attempt: t.attempts, at: datetime({epochMillis: $now}),
  statusCode: null, durationMs: null, error: $pendingError
})
SET l.listKey = @webhook-delivery-list-key(w, d)
RETURN t.attempts AS attempt, t.firstAt.epochMillis AS firstAt, w {.id, .url, .secretSealed} AS webhook, e {@channel-event} AS event
