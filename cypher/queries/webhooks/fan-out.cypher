// replan=skip
// The fan-out (D-30, issue 14: no task per event): for the numbered events with $from < seq <= $to,
// the active webhooks of the organisations an event concerns (CONCERNS, D-28) whose `events` name
// its type and that existed before it (`fromSeq`) are marked due: `dueAt` = the earliest such
// event's time (`at`, the database's clock) or $now (this process's domain clock), whichever is
// earlier, so it is due for every process whatever process fanned it out; unless its schedule
// says otherwise already (due earlier, or its circuit open after a failed attempt: its events wait
// for the retry); and `nextSeq`, unless set, = the first such event's seq (where its claim's read
// starts when its cursor is further behind: no event of it lies between; cleared once its cursor
// reaches `fannedOutSeq`); and `fannedOutSeq` = its last such event's seq (its claims read up to
// there; its cursor at or past it: nothing left). One write per webhook and pass, not per event:
// each webhook's claim reads its own events after its cursor `deliveredSeq` (webhooks/claim-events).
// Run under the cursor's lock (webhooks/cursor-lock) after the sequence barrier: every event up to
// $to has committed. The write takes each webhook's lock, as its claims
// and answers do, so they read these three as one: a claim or answer that found nothing left commits
// before this SET, which then marks the webhook due again (never a lost wake-up).
// The pass's events first, an ordered seek of the channel_event_seq index (hinted, in a subquery of
// its own so the seq predicates that involve `w` cannot move it): without it the planner chose a
// scan of every CONCERNS edge of the database per pass (123 ms a pass in the write bench, growing
// with the events; test/webhooks/query-plans.test.ts).
CALL () {
  MATCH (e:ChannelEvent)
  USING INDEX e:ChannelEvent(seq)
  WHERE e.seq > $from AND e.seq <= $to
  RETURN e
}
MATCH (e)-[:CONCERNS]->(:Partner)-[:HAS_WEBHOOK]->(w:Webhook)
WHERE w.active AND e.type IN w.events AND e.seq > w.fromSeq
WITH w, count(e) AS events, min(e.seq) AS first, max(e.seq) AS last,
  min(CASE WHEN e.at < datetime({epochMillis: $now}) THEN e.at ELSE datetime({epochMillis: $now}) END) AS due
// The webhook's lock first, then its schedule read and written under it (not a value read before the lock).
SET w.fanOutLockedAt = timestamp()
WITH w, events, first, last, due
SET w.dueAt = coalesce(w.dueAt, due), w.nextSeq = coalesce(w.nextSeq, first),
    w.fannedOutSeq = CASE WHEN last > coalesce(w.fannedOutSeq, -1) THEN last ELSE w.fannedOutSeq END
RETURN coalesce(sum(events), 0) AS tasks
