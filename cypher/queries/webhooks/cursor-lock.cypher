// First statement of a fan-out transaction (lock-first): the one WebhookCursor node's write lock,
// held until commit, so passes of every process run one at a time and each reads the `lastSeq`
// the previous one committed: an event is fanned out once (migrations/0013).
// A missing cursor (a database restored or wiped without its Migration nodes) starts at the oldest
// `fromSeq` of the active webhooks, not at the head: a webhook gets every event after its creation,
// even those numbered before this first pass (at least once: a re-made cursor may fan out again
// what was delivered; the task key keeps pending ones single). With no webhook: at the head.
OPTIONAL MATCH (existing:WebhookCursor {name: "webhooks"})
OPTIONAL MATCH (s:EventSequence {name: "channel"})
CALL (existing) {
  // Only for a missing cursor: the usual pass reads no webhook here (the UNWIND is empty; the
  // aggregation without grouping keys still gives one row, null).
  UNWIND CASE WHEN existing IS NULL THEN [1] ELSE [] END AS missing
  MATCH (w:Webhook)
  WHERE w.active = true
  RETURN min(w.fromSeq) AS oldest
}
WITH s, oldest
MERGE (c:WebhookCursor {name: "webhooks"})
ON CREATE SET c.lastSeq = coalesce(oldest, coalesce(s.next, 1) - 1)
SET c.lockedAt = timestamp()
RETURN c.lastSeq AS lastSeq
