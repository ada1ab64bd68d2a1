// Subscriptions by id that the caller may see: any of a customer it is of record for (T-2, D-21).
UNWIND $ids AS id
MATCH (me:Partner {id: $viewerPartnerId})-[:RESELLER_OF_RECORD]->(:Customer)-[:HAS_SUBSCRIPTION]->(s:Subscription {id: id})
WHERE @subscription-visible(s, me)
RETURN s {@subscription(s, me)} AS subscription
