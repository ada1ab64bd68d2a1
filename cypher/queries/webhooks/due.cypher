// replan=skip
// The webhooks with an attempt to make at $now (the domain clock), not leased (a lease runs on the
// database's clock, shared by every process): an ordered seek of the Webhook `dueAt` index
// (migrations/0015), longest waiting first, $limit. Per webhook, not per task: a webhook with a
// backlog is one row like any other (its next attempt comes when its previous one is answered,
// and a webhook that just had one moves behind those waiting: round robin), and one whose last
// attempt failed is not due before its retry (the circuit, `dueAt` later). D-30. $skip: the
// webhooks whose signing secret this process cannot open, left to the other processes for a while
// (WebhookDispatcher#foreign).
MATCH (w:Webhook)
WHERE w.dueAt <= datetime({epochMillis: $now})
  AND (w.leaseUntil IS NULL OR w.leaseUntil < datetime({epochMillis: timestamp()}))
  AND NOT w.id IN $skip
WITH w ORDER BY w.dueAt ASC
LIMIT $limit
RETURN w.id AS webhookId
