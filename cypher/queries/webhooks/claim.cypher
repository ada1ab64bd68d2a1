// Second statement of a claim (after webhooks/claim-lock): whether the task is still due and not
// leased, and whether it can be delivered (its webhook active, its event still there); no row:
// another process claimed it, or it is done.
MATCH (t:WebhookTask {key: $key})
WHERE t.nextAt <= datetime({epochMillis: $now})
  AND (t.leaseUntil IS NULL OR t.leaseUntil < datetime({epochMillis: timestamp()}))
OPTIONAL MATCH (t)-[:FOR_WEBHOOK]->(w:Webhook)
OPTIONAL MATCH (t)-[:OF_EVENT]->(e:ChannelEvent)
RETURN w IS NOT NULL AND w.active AND e IS NOT NULL AS deliverable
