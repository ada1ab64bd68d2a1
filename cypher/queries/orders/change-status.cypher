// D-21, C5: suspend, reactivate or cancel a subscription the caller reads (T-2: its customer is of
// record for the caller; anything else reads as missing, T-4). The write lock is taken first (SET
// updatedAt), so the status read after it is current under concurrency. The status becomes $to
// only when the caller may change the subscription (fragments/subscription-changeable.cypher) and
// its status is one of $from (the transition's sources); otherwise nothing changes and the caller
// rolls the transaction back (the lock's updatedAt included) with FORBIDDEN or CONFLICT.
MATCH (me:Partner {id: $viewerPartnerId})-[:RESELLER_OF_RECORD]->(:Customer)-[:HAS_SUBSCRIPTION]->(s:Subscription {id: $subscriptionId})
WHERE @subscription-visible(s, me)
SET s.updatedAt = datetime({epochMillis: $now})
WITH me, s, s.status AS previousStatus, @subscription-changeable(s, me) AS changeable
SET s.status = CASE WHEN changeable AND previousStatus IN $from THEN $to ELSE s.status END
RETURN previousStatus, changeable, s {@subscription(s, me)} AS subscription
