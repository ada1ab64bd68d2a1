// replan=skip
// A batch's answers, after webhooks/record-attempt (under the webhook's lock, the lease still the
// batch's): the webhook's cursor moves to $deliveredTo (null: unchanged; every event of the webhook
// up to there was delivered or has a task: the events answered, and when every attempt of the
// batch succeeded the events read past that were not the webhook's); caught up with its last event
// fanned out (`fannedOutSeq`), its `nextSeq` hint is cleared (the fan-out sets it again). With a 2xx answer
// ($succeeded, D-30): the tasks $keys are done (deleted); the circuit closes (its run of failures
// ends) and the webhook is due at its next task's `nextAt` (now if past; its other events wait
// behind it), else now while events fanned out to it lie after its cursor, else null
// (behind the webhooks waiting longer: round robin). A batch that then failed opens the circuit
// again after this (webhooks/circuit-open).
MATCH (w:Webhook {id: $webhookId})
OPTIONAL MATCH (c:WebhookCursor {name: "webhooks"})
SET w.deliveredSeq = CASE WHEN $deliveredTo IS NOT NULL AND $deliveredTo > coalesce(w.deliveredSeq, -1) THEN $deliveredTo ELSE w.deliveredSeq END
SET w.nextSeq = CASE WHEN w.deliveredSeq >= coalesce(w.fannedOutSeq, c.lastSeq) THEN null ELSE w.nextSeq END
WITH w, c
CALL (w) {
  UNWIND $keys AS key
  MATCH (done:WebhookTask {key: key})
  DETACH DELETE done
}
WITH w, c, datetime({epochMillis: $now}) AS now
CALL (w) {
  OPTIONAL MATCH (t:WebhookTask)
  WHERE t.webhookId = w.id AND t.nextAt IS NOT NULL
  WITH t ORDER BY t.nextAt ASC
  LIMIT 1
  RETURN t.nextAt AS first
}
WITH w, c, now, first
WHERE $succeeded
SET w.failures = 0, w.failingSince = null,
    w.dueAt = CASE
      WHEN first IS NOT NULL THEN CASE WHEN first < now THEN now ELSE first END
      WHEN coalesce(w.fannedOutSeq, c.lastSeq) > w.deliveredSeq THEN now
      ELSE null END
RETURN w.id AS id
