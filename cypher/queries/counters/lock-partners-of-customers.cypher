// Write-locks every partner with an edge into the given customers (already locked): their
// sharedCustomerCount and their partnerships' counts may change, and a count is read and written
// back, which without the lock would lose a concurrent transaction's update. In id order (ORDER
// BY before the SET): two writers whose customers share partners (two acceptances, the two ends
// of a customer's relationships) take those partners' locks in the same order and queue.
MATCH (c:Customer)<-[:RESELLER_OF_RECORD]-(y:Partner) WHERE c.id IN $customerIds
WITH DISTINCT y
ORDER BY y.id
SET y._lock = true
REMOVE y._lock
RETURN count(y) AS locked
