// C5: the new license count of a subscription the caller reads (T-2: its customer is of record for
// the caller). The write lock is taken first (SET updatedAt), so the status read after it is
// current. The quantity changes only when the caller may change the subscription (D-21:
// fragments/subscription-changeable.cypher) and it is ACTIVE; otherwise the caller rolls the
// transaction back (the lock's updatedAt included) with FORBIDDEN or CONFLICT.
MATCH (me:Partner {id: $viewerPartnerId})-[:RESELLER_OF_RECORD]->(c:Customer)-[:HAS_SUBSCRIPTION]->(s:Subscription {id: $subscriptionId})
WHERE @subscription-visible(s, me)
SET s.updatedAt = datetime({epochMillis: $now})
WITH me, c, s, s.status AS previousStatus, s.quantity AS previousQuantity, @subscription-changeable(s, me) AS changeable
SET s.quantity = CASE WHEN changeable AND previousStatus = 'ACTIVE' THEN toInteger($quantity) ELSE s.quantity END
// The customer (and the quantity before) are for the SUBSCRIPTION_UPDATED event (D-28): its partners of record are concerned.
RETURN previousStatus, previousQuantity, changeable, s {@subscription(s, me)} AS subscription, c.id AS customerId, c.companyName AS customerName
