// replan=skip
// channelEvents(after: <a cursor of the `events` feed>) (D-29): the `seq` of that event, if it
// concerns the caller's organisation $partnerId (T-1, T-4: another organisation's event reads as
// no event) and has been numbered (null `seq`: committed moments ago, not yet sequenced).
MATCH (e:ChannelEvent {id: $eventId})-[:CONCERNS]->(:Partner {id: $partnerId})
RETURN e.seq AS seq
LIMIT 1
