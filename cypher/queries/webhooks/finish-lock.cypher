// replan=skip
// First statement of recording an attempt's answer (lock-first): the webhook's write lock, if it is
// still there (deleting it deletes its tasks and log).
MATCH (w:Webhook {id: $webhookId})
SET w.finishLockedAt = timestamp()
RETURN w.id AS id
