// A service request on behalf of a customer (C3): the customer must be of record for the caller
// (T-2), and the subscription, if any, must be that customer's and visible to the caller (sold
// through or ordered by it, as customers/subscriptions-by-ids). Out of scope reads as missing.
OPTIONAL MATCH (me:Partner {id: $viewerPartnerId})-[:RESELLER_OF_RECORD]->(c:Customer {id: $customerId})
OPTIONAL MATCH (c)-[:HAS_SUBSCRIPTION]->(s:Subscription {id: $subscriptionId})
WHERE @subscription-visible(s, me)
RETURN c IS NOT NULL AS customerFound, s IS NOT NULL AS subscriptionFound, s.productFamily AS productFamily
