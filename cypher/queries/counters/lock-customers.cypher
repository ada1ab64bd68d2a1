// Write-locks the customers whose RESELLER_OF_RECORD edges this transaction changed, before the
// counters are read: every writer of an edge into a customer takes this lock first, so two
// acceptances for one customer are counted one after the other, each seeing the other's edge.
MATCH (c:Customer) WHERE c.id IN $customerIds
SET c._lock = true
REMOVE c._lock
RETURN count(c) AS locked
