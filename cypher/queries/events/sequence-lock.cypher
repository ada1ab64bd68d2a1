// replan=skip
// First statement of a sequencing transaction: the write lock of the one EventSequence node
// (migrations/0012). Held until commit, so sequencing passes (of any process) run one at a time,
// and the events the next statement reads are those committed before the lock was taken.
MERGE (s:EventSequence {name: "channel"})
ON CREATE SET s.next = 1
SET s.lockedAt = timestamp()
RETURN s.next AS next
