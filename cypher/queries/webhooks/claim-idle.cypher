// A claim that found no due task of the webhook (after webhooks/claim): its `dueAt` moves to its
// oldest task's `nextAt` ($dueAt), or null when it has none (the fan-out sets it again).
MATCH (w:Webhook {id: $webhookId})
SET w.dueAt = CASE WHEN $dueAt IS NULL THEN null ELSE datetime({epochMillis: $dueAt}) END
RETURN w.id AS id
