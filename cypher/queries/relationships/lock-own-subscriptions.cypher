// D-20: write-locks the customer's subscriptions sold through or ordered by the caller's
// organisation (after the customer and its partners are locked), so that a change of their status
// (D-21) runs before or after the check that reads them, not during it. In id order (ORDER BY
// before the SET), so two writers over the same subscriptions queue instead of deadlocking.
MATCH (me:Partner {id: $viewerPartnerId})
MATCH (:Customer {id: $customerId})-[:HAS_SUBSCRIPTION]->(s:Subscription)
WHERE EXISTS { (s)-[:SOLD_THROUGH|ORDERED_BY]->(me) }
WITH s ORDER BY s.id
SET s._lock = true
REMOVE s._lock
RETURN count(s) AS locked
