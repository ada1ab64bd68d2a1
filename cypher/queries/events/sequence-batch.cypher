// replan=skip
// Gives up to $batch committed, unsequenced events the next sequence numbers (after
// events/sequence-lock in the same transaction): `seq` increases in the order events are
// sequenced, and a batch becomes visible at once, so readers of `seq > n` (the live
// subscriptions, the webhook fan-out) never see a later number before an earlier one.
MATCH (e:UnsequencedEvent)
WITH e ORDER BY e.at, e.id
LIMIT $batch
WITH collect(e) AS events
MATCH (s:EventSequence {name: "channel"})
WITH s, events, s.next AS first
UNWIND range(0, size(events) - 1) AS i
WITH s, first, events[i] AS e, i
SET e.seq = first + i
REMOVE e:UnsequencedEvent
// $withEvents (this process's live hub has subscribers): the events as events/since returns them,
// in `seq` order, handed to the hub after commit (EventSequencer#handOver): it need not read them
// again. Otherwise none (collect drops the nulls).
WITH s, first, e ORDER BY e.seq
WITH s, first, count(*) AS sequenced,
  collect(CASE WHEN $withEvents THEN {event: e {@channel-event}, partnerIds: [(e)-[:CONCERNS]->(p:Partner) | p.id]} END) AS events
SET s.next = first + sequenced
RETURN first, sequenced, first + sequenced - 1 AS last, events
