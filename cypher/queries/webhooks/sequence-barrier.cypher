// replan=skip
// Second statement of a fan-out transaction: waits for the EventSequence node's write lock (a
// sequencing pass holds it until it commits, events/sequence-lock), so every event numbered below
// the returned head has fully committed and is visible: a missing `seq` below it is an event
// deleted since (test clean-up), never one still committing. Held for this short transaction.
MATCH (s:EventSequence {name: "channel"})
SET s.fannedOutAt = timestamp()
RETURN s.next - 1 AS head
