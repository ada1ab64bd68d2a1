// replan=skip
// Second statement of a claim (after webhooks/claim-lock): whether the webhook is still active, due
// and not leased; its failed events' tasks, up to $batch (a seek of (webhookId, nextAt),
// migrations/0015), due or not (`due`), oldest first, with each task's attempts and window and
// whether its event still exists; the webhook's run of failures; its delivery cursor
// (`deliveredSeq`: every event of it up to there was delivered or has a task; before migrations/0017
// the later of `fromSeq` and the fan-out's cursor), its first event fanned out since it was last
// caught up (`nextSeq`: none of its events lies between the cursor and it) and its last event
// fanned out (`fannedOutSeq`: every event up to it has committed; webhooks/claim-events reads up to
// it; before migrations/0017 the fan-out's `lastSeq`); and the entries of its last batch that never
// got an answer (its process stopped, its lease ran out) for events read from the cursor (no task):
// webhooks/claim-abandoned turns them into tasks; its sealed signing secret and since when it is
// due (a process that cannot open the secret leaves it to the others for a while). No row: another process claimed it, or it is not
// due any more.
MATCH (p:Partner)-[:HAS_WEBHOOK]->(w:Webhook {id: $webhookId})
WHERE w.active AND w.dueAt <= datetime({epochMillis: $now})
  AND (w.leaseUntil IS NULL OR w.leaseUntil < datetime({epochMillis: timestamp()}))
OPTIONAL MATCH (c:WebhookCursor {name: "webhooks"})
CALL (w) {
  OPTIONAL MATCH (t:WebhookTask)
  WHERE t.webhookId = w.id AND t.nextAt IS NOT NULL
  WITH t ORDER BY t.nextAt ASC, t.seq ASC
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
CALL (w) {
  UNWIND coalesce(w.leaseDeliveryIds, []) AS leasedId
  MATCH (d:WebhookDelivery {id: leasedId})
  WHERE d.taskKey IS NULL AND d.statusCode IS NULL AND d.error = $pendingError
  RETURN collect(d.id) AS abandoned
}
WITH p, w, c, tasks, abandoned,
  coalesce(w.deliveredSeq, CASE WHEN c.lastSeq > w.fromSeq THEN c.lastSeq ELSE w.fromSeq END) AS deliveredSeq
RETURN tasks, abandoned,
  p.id AS partnerId,
  w.events AS types,
  w.fromSeq AS fromSeq,
  deliveredSeq,
  w.nextSeq AS nextSeq,
  coalesce(w.fannedOutSeq, c.lastSeq, deliveredSeq) AS fannedOut,
  coalesce(w.failures, 0) AS failures,
  w.failingSince.epochMillis AS failingSince,
  w.lastAttemptAt.epochMillis AS lastAttemptAt,
  w.secretSealed AS secretSealed,
  w.dueAt.epochMillis AS dueAt
