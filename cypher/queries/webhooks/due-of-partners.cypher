// replan=skip
// webhooks/due, scoped: the webhooks of the organisations $partnerIds (their HAS_WEBHOOK edges; a
// few per organisation) with an attempt to make at $now, not leased, longest waiting first,
// $limit. Used by a process (or a test's `runOnce({ partnerIds })`) that delivers for these
// organisations only (WEBHOOK_ONLY_PARTNERS): on a shared test database no test file claims
// another's attempts. Production processes use webhooks/due (every webhook). D-30. $skip as there.
UNWIND $partnerIds AS partnerId
MATCH (:Partner {id: partnerId})-[:HAS_WEBHOOK]->(w:Webhook)
WHERE w.dueAt <= datetime({epochMillis: $now})
  AND (w.leaseUntil IS NULL OR w.leaseUntil < datetime({epochMillis: timestamp()}))
  AND NOT w.id IN $skip
WITH DISTINCT w
ORDER BY w.dueAt ASC
LIMIT $limit
RETURN w.id AS webhookId
