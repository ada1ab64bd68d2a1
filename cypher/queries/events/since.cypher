// replan=skip
// The live hub (src/modules/events/hub.ts, D-29): up to $limit numbered events after `seq`
// $after, in `seq` order (an ordered range seek of the channel_event_seq index, migrations/0012,
// that stops after $limit), each with the organisations it concerns (its CONCERNS edges, D-28),
// which the hub fans out to its subscribers in memory. Nothing else is read: a poll that finds
// nothing new is one empty index seek.
MATCH (e:ChannelEvent)
WHERE e.seq > $after
WITH e ORDER BY e.seq ASC
LIMIT $limit
RETURN e {@channel-event} AS event, [(e)-[:CONCERNS]->(p:Partner) | p.id] AS partnerIds
