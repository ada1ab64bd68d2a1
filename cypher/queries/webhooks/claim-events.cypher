// replan=skip
// In a claim (after webhooks/claim, under the webhook's lock): the webhook's next events read from
// its cursor, the healthy path (issue 14: no task per event): numbered events with
// $after < seq <= $until (from `deliveredSeq`, or just before `nextSeq` when that is further on,
// to at most its `fannedOutSeq`, and at most 1,000 seqs: bounded work per statement) that concern its organisation $partnerId (CONCERNS,
// D-28), of its types, after its creation (`fromSeq`), in `seq` order, the first $limit: an ordered
// range seek of the channel_event_seq index (migrations/0012) that stops after $limit matches or at
// $until, each candidate checked by its CONCERNS edges (two or three). The organisation is looked
// up once; the seek (hinted) and its LIMIT are in a subquery of their own, so the index order feeds
// the LIMIT (no Top over the whole window, which a plan with the organisation in a cartesian
// product could make; test/webhooks/query-plans.test.ts).
MATCH (p:Partner {id: $partnerId})
CALL (p) {
  MATCH (e:ChannelEvent)
  USING INDEX e:ChannelEvent(seq)
  WHERE e.seq > $after AND e.seq <= $until AND e.seq > $fromSeq AND e.type IN $types
    AND EXISTS { (e)-[:CONCERNS]->(p) }
  WITH e ORDER BY e.seq ASC
  LIMIT $limit
  RETURN e
}
WITH e ORDER BY e.seq ASC
RETURN e.id AS eventId, e.seq AS seq
