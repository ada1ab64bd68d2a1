// replan=skip
// First statement of a fan-out transaction, and of createWebhook's (lock-first): the one
// WebhookCursor node's write lock, held until commit, so passes of every process run one at a time
// and each reads the `lastSeq` the previous one committed: an event is fanned out once
// (migrations/0013). A lookup by unique name and nothing else: it reads no webhook
// (test/webhooks/query-plans.test.ts). No row: the cursor is missing, webhooks/cursor-create makes it
// (lockWebhookCursor, src/modules/webhooks/webhook-cursor.ts).
MATCH (c:WebhookCursor {name: "webhooks"})
SET c.lockedAt = timestamp()
RETURN c.lastSeq AS lastSeq
