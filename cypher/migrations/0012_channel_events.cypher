// Channel events (issue 14, D-28, D-29): the outbox in the graph. A `ChannelEvent` is created by
// audit/record in the transaction of its change, with the label `UnsequencedEvent`; the sequencer
// (events/sequence-*, src/modules/events/sequencer.ts) later gives it `seq` from the one
// `EventSequence` node, under that node's write lock, so the order of `seq` is the order in which
// events became visible: a reader of `seq > n` never misses one that commits late.
CREATE CONSTRAINT channel_event_id IF NOT EXISTS FOR (e:ChannelEvent) REQUIRE e.id IS UNIQUE;
CREATE INDEX channel_event_seq IF NOT EXISTS FOR (e:ChannelEvent) ON (e.seq);
// An organisation's feed, newest first: the CONCERNS edges' listKey (fragments/event-list-key.cypher).
CREATE INDEX concerns_list_key IF NOT EXISTS FOR ()-[c:CONCERNS]-() ON (c.listKey);
CREATE CONSTRAINT event_sequence_name IF NOT EXISTS FOR (s:EventSequence) REQUIRE s.name IS UNIQUE;
MERGE (s:EventSequence {name: "channel"}) ON CREATE SET s.next = 1;
