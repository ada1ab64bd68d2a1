// replan=skip
// The highest `seq` given so far (migrations/0012: the EventSequence node's `next` - 1): every
// event up to it is committed and visible, since the sequencer moves `next` in the transaction
// that numbers them. The live hub (src/modules/events/hub.ts) starts there when its first
// subscriber arrives (an idle hub reads nothing). One lookup by the unique name.
OPTIONAL MATCH (s:EventSequence {name: "channel"})
RETURN coalesce(s.next, 1) - 1 AS head
