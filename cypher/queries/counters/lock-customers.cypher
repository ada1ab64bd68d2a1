// Write-locks the customers whose RESELLER_OF_RECORD edges this transaction changed, before the
// counters are read: every writer of an edge into a customer takes this lock first, so two
// acceptances for one customer are counted one after the other, each seeing the other's edge.
// Locked in id order (ORDER BY before the SET), as every lock statement does: writers meeting on
// the same customers wait for one another instead of deadlocking.
MATCH (c:Customer) WHERE c.id IN $customerIds
WITH c ORDER BY c.id
SET c._lock = true
REMOVE c._lock
RETURN count(c) AS locked
