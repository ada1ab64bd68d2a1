// replan=skip
// In a fan-out transaction, after webhooks/cursor-lock and webhooks/sequence-barrier, when the
// cursor is more than a batch behind (passes were idle while no webhook was active): the lowest
// `fromSeq` of the active webhooks (migrations/0016). No event at or below it can go to any of
// them (webhooks/fan-out: `seq > fromSeq`), and a webhook not visible here is created after this
// transaction commits (createWebhook takes the cursor's lock before it reads the head), so its
// `fromSeq` is at or above this pass's head: the pass starts at max(lastSeq, floor) (null: none
// active, it moves the cursor to the head).
MATCH (w:Webhook)
WHERE w.active = true
RETURN min(w.fromSeq) AS floor
