// C5: the new license count of a subscription the caller may see (its customer is of record for
// the caller, and it was sold through or ordered by the caller: the rule of
// customers/subscriptions-by-ids). The write lock is taken first (SET updatedAt), so the status
// read after it is current: a SUSPENDED subscription keeps its quantity, and the caller rolls
// the transaction back with CONFLICT.
MATCH (me:Partner {id: $viewerPartnerId})-[:RESELLER_OF_RECORD]->(:Customer)-[:HAS_SUBSCRIPTION]->(s:Subscription {id: $subscriptionId})
WHERE @subscription-visible(s, me)
SET s.updatedAt = datetime({epochMillis: $now})
WITH s, s.status AS previousStatus
SET s.quantity = CASE WHEN previousStatus = 'ACTIVE' THEN toInteger($quantity) ELSE s.quantity END
RETURN previousStatus, s {@subscription(s)} AS subscription
