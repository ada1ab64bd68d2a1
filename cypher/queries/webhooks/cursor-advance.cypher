// replan=skip
// Last statement of a fan-out transaction: the events up to $to are fanned out.
MATCH (c:WebhookCursor {name: "webhooks"})
SET c.lastSeq = $to
RETURN c.lastSeq AS lastSeq
