// The fan-out (D-30): for each numbered event with $from < seq <= $to, one WebhookTask per active
// webhook of an organisation the event concerns (CONCERNS, D-28) whose `events` name its type and
// that existed before it (`fromSeq`); the webhook's global admin may read every type (C18: global
// admin). Due at once: at the event's time (`at`, the database's clock) or $now (this process's
// domain clock), whichever is earlier, so a task is due for every process whatever process fanned
// it out (a test's clock moved ahead must not hold another's tasks back). Run under the cursor's
// lock (webhooks/cursor-lock), which makes it once per event; the unique `key` (migrations/0013)
// guards it besides.
MATCH (e:ChannelEvent)
WHERE e.seq > $from AND e.seq <= $to
MATCH (e)-[:CONCERNS]->(:Partner)-[:HAS_WEBHOOK]->(w:Webhook)
WHERE w.active AND e.type IN w.events AND e.seq > w.fromSeq
WITH e, w, CASE WHEN e.at < datetime({epochMillis: $now}) THEN e.at ELSE datetime({epochMillis: $now}) END AS due
MERGE (t:WebhookTask {key: e.id + ":" + w.id})
ON CREATE SET t.eventId = e.id, t.webhookId = w.id, t.attempts = 0,
  t.nextAt = due, t.createdAt = datetime({epochMillis: $now})
MERGE (t)-[:FOR_WEBHOOK]->(w)
MERGE (t)-[:OF_EVENT]->(e)
// The webhook has an attempt to make now, unless its schedule says otherwise already (a backlog
// due earlier, or its circuit open after a failed attempt): migrations/0015.
SET w.dueAt = coalesce(w.dueAt, due)
RETURN count(t) AS tasks
