// The fan-out's cheap poll (src/modules/webhooks/dispatcher.ts): the highest `seq` given
// (EventSequence.next - 1) and the last one fanned out (WebhookCursor.lastSeq). Two lookups by
// unique name; a write transaction starts only when head > lastSeq.
OPTIONAL MATCH (s:EventSequence {name: "channel"})
OPTIONAL MATCH (c:WebhookCursor {name: "webhooks"})
RETURN coalesce(s.next, 1) - 1 AS head, c.lastSeq AS lastSeq
