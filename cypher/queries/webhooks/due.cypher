// Delivery tasks due at $now (the domain clock) and not leased (a lease runs on the database's
// clock, shared by every process): an ordered seek of the nextAt index, oldest first, $limit.
MATCH (t:WebhookTask)
WHERE t.nextAt <= datetime({epochMillis: $now})
  AND (t.leaseUntil IS NULL OR t.leaseUntil < datetime({epochMillis: timestamp()}))
WITH t ORDER BY t.nextAt ASC
LIMIT $limit
RETURN t.key AS key
