// replan=skip
// channelEvents(after:) replay (D-29, src/modules/events/hub.ts): the events after `seq` $after
// and up to $until (what the hub had read when the subscriber registered; later ones come live)
// that concern the caller's organisation $partnerId (CONCERNS, T-1) and are of $types (those its
// user reads, D-28, and asked for), in `seq` order. Bounded work per page: an ordered range seek
// of the channel_event_seq index over at most $scan events, whatever the organisation's share of
// them; `scannedTo` is where the next page starts (null: nothing was left in the range).
CALL () {
  MATCH (e:ChannelEvent)
  WHERE e.seq > $after AND e.seq <= $until
  WITH e ORDER BY e.seq ASC
  LIMIT $scan
  RETURN collect(e) AS scanned
}
OPTIONAL MATCH (me:Partner {id: $partnerId})
RETURN
  CASE WHEN size(scanned) = 0 THEN null ELSE last(scanned).seq END AS scannedTo,
  [e IN scanned WHERE me IS NOT NULL AND e.type IN $types AND EXISTS { (e)-[:CONCERNS]->(me) } | e {@channel-event}] AS events
