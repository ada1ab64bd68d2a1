// Webhook delivery from a cursor (issue 14, D-30; MODEL.md "Webhooks"): a webhook's healthy
// deliveries are read straight from the numbered events after its cursor `deliveredSeq`
// (webhooks/claim-events: an ordered seek of the channel_event_seq index, migrations/0012); the
// fan-out makes no task any more, only marks the webhook due; a `WebhookTask` is made for a failed
// event only. Every event up to the fan-out's cursor was given a task by the fan-out before this
// migration (those tasks stay and are delivered as retries), so each webhook's cursor starts there,
// or at its `fromSeq` when that is later; so does its last event fanned out (`fannedOutSeq`, which
// the fan-out moves from now on). No new index: no property is read here that is not already
// indexed where it is sought.
OPTIONAL MATCH (c:WebhookCursor {name: "webhooks"})
WITH coalesce(c.lastSeq, -1) AS fannedOut
MATCH (w:Webhook)
WHERE w.deliveredSeq IS NULL
SET w.deliveredSeq = CASE WHEN fannedOut > w.fromSeq THEN fannedOut ELSE w.fromSeq END,
    w.fannedOutSeq = CASE WHEN fannedOut > w.fromSeq THEN fannedOut ELSE w.fromSeq END;
