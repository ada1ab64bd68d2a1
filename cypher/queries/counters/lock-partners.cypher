// Write-locks the two organisations of a partnership before its edge is merged and counted (their
// customer edges' writers lock them too, see counters/lock-partners-of-customers).
MATCH (y:Partner) WHERE y.id IN $partnerIds
SET y._lock = true
REMOVE y._lock
RETURN count(y) AS locked
