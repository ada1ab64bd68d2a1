// replan=skip
// The fan-out's cheap poll, the first read of every dispatcher pass (src/modules/webhooks/dispatcher.ts):
// the highest `seq` given (EventSequence.next - 1), the last one fanned out (WebhookCursor.lastSeq),
// both lookups by unique name, and whether any webhook is active (an index seek that stops at the
// first, migrations/0016). No active webhook: the pass ends here (no transaction, no lock; the
// cursor stays behind and the next fan-out starts at the lowest `fromSeq`, webhooks/fan-out-floor).
// Otherwise a write transaction starts only when head > lastSeq.
OPTIONAL MATCH (s:EventSequence {name: "channel"})
OPTIONAL MATCH (c:WebhookCursor {name: "webhooks"})
RETURN coalesce(s.next, 1) - 1 AS head, c.lastSeq AS lastSeq,
  EXISTS { MATCH (w:Webhook) WHERE w.active = true } AS active
