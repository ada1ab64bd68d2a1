// Subscriptions by id that the caller may see: its customer's, sold through or ordered by it (T-2).
UNWIND $ids AS id
MATCH (me:Partner {id: $viewerPartnerId})-[:RESELLER_OF_RECORD]->(:Customer)-[:HAS_SUBSCRIPTION]->(s:Subscription {id: id})
WHERE @subscription-visible(s, me)
RETURN s {@subscription(s)} AS subscription
