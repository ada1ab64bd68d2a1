// First statement of a fan-out transaction (lock-first): the one WebhookCursor node's write lock,
// held until commit, so passes of every process run one at a time and each reads the `lastSeq`
// the previous one committed: an event is fanned out once (migrations/0013).
OPTIONAL MATCH (s:EventSequence {name: "channel"})
MERGE (c:WebhookCursor {name: "webhooks"})
ON CREATE SET c.lastSeq = coalesce(s.next, 1) - 1
SET c.lockedAt = timestamp()
RETURN c.lastSeq AS lastSeq
