// First statement of disabling a webhook (lock-first): its write lock, so that of two tasks giving
// up at once only one disables it and mails its global admins.
MATCH (w:Webhook {id: $webhookId})
SET w.lockedAt = timestamp()
RETURN w.id AS id
