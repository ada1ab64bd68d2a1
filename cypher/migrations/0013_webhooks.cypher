// Webhooks (issue 14, D-30; MODEL.md "Webhooks"). A `Webhook` hangs off its organisation
// (HAS_WEBHOOK); the fan-out (src/modules/webhooks/dispatcher.ts) turns each numbered channel event
// that concerns the organisation into one `WebhookTask` per (event, webhook), exactly once: under
// the one `WebhookCursor` node's write lock, whose `lastSeq` is the last event fanned out; `key`
// (event id + ":" + webhook id) is unique besides. A process claims a due task (`nextAt`, an
// index seek) under a lease, POSTs it, and logs every attempt as a `WebhookDelivery`
// ((:Webhook)-[:LOGGED {listKey}]->(d): the log newest first, one ordered seek per page).
CREATE CONSTRAINT webhook_id IF NOT EXISTS FOR (w:Webhook) REQUIRE w.id IS UNIQUE;
CREATE CONSTRAINT webhook_delivery_id IF NOT EXISTS FOR (d:WebhookDelivery) REQUIRE d.id IS UNIQUE;
CREATE CONSTRAINT webhook_task_key IF NOT EXISTS FOR (t:WebhookTask) REQUIRE t.key IS UNIQUE;
CREATE INDEX webhook_task_next_at IF NOT EXISTS FOR (t:WebhookTask) ON (t.nextAt);
CREATE INDEX logged_list_key IF NOT EXISTS FOR ()-[l:LOGGED]-() ON (l.listKey);
CREATE CONSTRAINT webhook_cursor_name IF NOT EXISTS FOR (c:WebhookCursor) REQUIRE c.name IS UNIQUE;
// The fan-out starts at the events numbered so far: a webhook never gets an event older than itself.
OPTIONAL MATCH (s:EventSequence {name: "channel"})
MERGE (c:WebhookCursor {name: "webhooks"})
ON CREATE SET c.lastSeq = coalesce(s.next, 1) - 1;
