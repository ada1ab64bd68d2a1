// Subscriptions by id that the caller may see: its customer's, sold through or ordered by it (T-2).
UNWIND $ids AS id
MATCH (me:Partner {id: $viewerPartnerId})-[:RESELLER_OF_RECORD]->(:Customer)-[:HAS_SUBSCRIPTION]->(s:Subscription {id: id})
WHERE EXISTS { (s)-[:SOLD_THROUGH|ORDERED_BY]->(me) }
RETURN s {.id, .offerId, .offerName, .productFamily, .quantity, .status, createdAt: s.createdAt.epochMillis} AS subscription
