// Subscriptions of each customer that were sold through or ordered by the caller's organisation.
UNWIND $ids AS customerId
MATCH (me:Partner {id: $viewerPartnerId})-[:RESELLER_OF_RECORD]->(c:Customer {id: customerId})
MATCH (c)-[:HAS_SUBSCRIPTION]->(s:Subscription)
WHERE EXISTS { (s)-[:SOLD_THROUGH|ORDERED_BY]->(me) }
WITH customerId, s ORDER BY s.createdAt, s.id
RETURN customerId, collect(s {.id, .offerId, .offerName, .productFamily, .quantity, .status, createdAt: s.createdAt.epochMillis}) AS subscriptions
