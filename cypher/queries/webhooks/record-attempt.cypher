// replan=skip
// A batch's answers in the delivery log (D-30), in one statement: each attempt made ($answers) gets
// its status code, duration and error. `ours`: the webhook's lease still names this batch
// ($leaseId, its first delivery; a lease that ran out may have let another process make the next
// attempts: then that one decides what comes next); then the lease is given back, and the
// attempts claimed but not made ($untried: the batch stopped at a failure, or the process was
// stopping) are undone: their tasks get back the attempts, window and `nextAt` they had before
// the claim, and their log entries are deleted (no request was sent: not an attempt). When not
// ours, those entries say they were not sent. Returns the webhook's run of failures.
CALL () {
  UNWIND $answers AS a
  MATCH (d:WebhookDelivery {id: a.deliveryId})
  SET d.statusCode = a.statusCode, d.durationMs = a.durationMs, d.error = a.error
}
OPTIONAL MATCH (w:Webhook {id: $webhookId})
WHERE w.leaseDeliveryId = $leaseId
SET w.leaseUntil = null, w.leaseHolder = null, w.leaseDeliveryId = null, w.leaseDeliveryIds = null
WITH w
CALL (w) {
  UNWIND $answers AS a
  MATCH (t:WebhookTask {key: a.key})
  WHERE w IS NOT NULL
  SET t.pendingDeliveryId = null
}
CALL (w) {
  UNWIND $untried AS u
  MATCH (t:WebhookTask {key: u.key})
  WHERE w IS NOT NULL
  SET t.attempts = u.attempts,
      t.firstAt = CASE WHEN u.firstAt IS NULL THEN null ELSE datetime({epochMillis: u.firstAt}) END,
      t.lastAttemptAt = CASE WHEN u.lastAttemptAt IS NULL THEN null ELSE datetime({epochMillis: u.lastAttemptAt}) END,
      t.nextAt = datetime({epochMillis: u.nextAt}),
      t.pendingDeliveryId = null
}
CALL (w) {
  UNWIND $untried AS u
  MATCH (d:WebhookDelivery {id: u.deliveryId})
  WHERE w IS NOT NULL
  DETACH DELETE d
}
CALL (w) {
  UNWIND $untried AS u
  MATCH (d:WebhookDelivery {id: u.deliveryId})
  WHERE w IS NULL
  SET d.error = $notSentError
}
RETURN w IS NOT NULL AS ours, w.failingSince.epochMillis AS failingSince
