// replan=skip
// A claim that found nothing to attempt now (after webhooks/claim): its cursor moves past the
// events it read that are not the webhook's ($deliveredSeq, null: unchanged), and its `dueAt` moves
// to its oldest task's `nextAt` (its circuit: the retry), to now while events after the cursor are
// still to be read, or to null when it has none (the fan-out sets it again); caught up with its
// last event fanned out ($caughtUp), its `nextSeq` hint is cleared (the fan-out sets it again).
MATCH (w:Webhook {id: $webhookId})
SET w.dueAt = CASE WHEN $dueAt IS NULL THEN null ELSE datetime({epochMillis: $dueAt}) END,
    w.deliveredSeq = coalesce($deliveredSeq, w.deliveredSeq),
    w.nextSeq = CASE WHEN $caughtUp THEN null ELSE w.nextSeq END
RETURN w.id AS id
