// Write-locks the two organisations of a partnership before its edge is merged and counted (their
// customer edges' writers lock them too, see counters/lock-partners-of-customers). In id order
// (ORDER BY before the SET), as every partner lock is taken, whichever side calls.
MATCH (y:Partner) WHERE y.id IN $partnerIds
WITH y ORDER BY y.id
SET y._lock = true
REMOVE y._lock
RETURN count(y) AS locked
