// replan=skip
// After webhooks/cursor-lock found no cursor (a database restored or wiped without its Migration
// nodes; migrations/0013 makes it): the cursor, locked until commit like cursor-lock's, starting at
// the oldest `fromSeq` of the active webhooks, not at the head: a webhook gets every event after
// its creation, even those numbered before this first pass (at least once: a re-made cursor may
// fan out again what was delivered; the task key keeps pending ones single). With no webhook: at
// the head. A statement of its own, so that the usual pass's plan never reads a webhook. MERGE: two
// processes that both found none make one.
OPTIONAL MATCH (s:EventSequence {name: "channel"})
CALL () {
  MATCH (w:Webhook)
  WHERE w.active = true
  RETURN min(w.fromSeq) AS oldest
}
MERGE (c:WebhookCursor {name: "webhooks"})
ON CREATE SET c.lastSeq = coalesce(oldest, coalesce(s.next, 1) - 1)
SET c.lockedAt = timestamp()
RETURN c.lastSeq AS lastSeq
