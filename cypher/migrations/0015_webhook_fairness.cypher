// Webhook fairness (issue 14 review, D-30; MODEL.md "Webhooks"). Attempts are claimed per webhook,
// not per task: a `Webhook` carries `dueAt` (when it next has an attempt to make: its oldest task's
// `nextAt`, or later while its circuit is open after a failed attempt; null: nothing pending), a
// lease (`leaseUntil`, `leaseHolder`, `leaseDeliveryId`: at most one attempt in flight per webhook,
// whichever process) and its run of failures (`failures`, `failingSince`, `lastAttemptAt`). The due
// poll seeks the `dueAt` index; a claim seeks the webhook's oldest task on (webhookId, nextAt).
CREATE INDEX webhook_due_at IF NOT EXISTS FOR (w:Webhook) ON (w.dueAt);
CREATE INDEX webhook_task_webhook_next_at IF NOT EXISTS FOR (t:WebhookTask) ON (t.webhookId, t.nextAt);
// Webhooks with tasks pending from before: due at their oldest task's time.
MATCH (w:Webhook)
WHERE w.active AND w.dueAt IS NULL
CALL (w) {
  MATCH (t:WebhookTask)
  WHERE t.webhookId = w.id
  RETURN min(t.nextAt) AS first
}
WITH w, first
WHERE first IS NOT NULL
SET w.dueAt = first, w.failures = coalesce(w.failures, 0);
