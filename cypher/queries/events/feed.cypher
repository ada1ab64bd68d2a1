// The `events` feed (D-28, D-29): the channel events that concern the caller's organisation (its
// CONCERNS edges, T-1), of the types $types (null: every type), newest first (the event's `at`,
// then its id), counted, and one keyset page after the cursor ($afterKey, the ISO `at`, $afterId).
// $types is what the caller may read (D-28's capability per type, src/shared/events.ts
// readableEventTypes) intersected with `where.types`; null when that is every type.
//
// The page is an ordered seek of the CONCERNS listKey index (migrations/0012,
// fragments/event-list-key.cypher, fragments/list-key-range.cypher) in the caller's range, which
// stops after $limit events; with $types it walks that range in order until $limit of those types
// match (a type the organisation has few or none of walks its whole range).
// totalCount: without $types, the degree of the caller's CONCERNS edges (count store); with $types,
// a count over the organisation's events (one pass over its CONCERNS edges).
MATCH (me:Partner {id: $viewerPartnerId})
CALL (me) {
  CALL (me) {
    WITH me WHERE $types IS NULL
    RETURN COUNT { (me)<-[:CONCERNS]-() } AS matching
    UNION ALL
    WITH me WHERE $types IS NOT NULL
    RETURN COUNT { (e:ChannelEvent)-[:CONCERNS]->(me) WHERE e.type IN $types } AS matching
  }
  RETURN sum(matching) AS totalCount
}
CALL (me, totalCount) {
  WITH me WHERE totalCount > 0
  WITH me, @list-key-range(me, @newest-first-key(datetime($afterKey)), $afterId)
  MATCH (e:ChannelEvent)-[c:CONCERNS]->(owner:Partner)
  WHERE c.listKey > fromKey AND c.listKey < toKey AND owner = me AND ($types IS NULL OR e.type IN $types)
  WITH e, c ORDER BY c.listKey LIMIT $limit
  RETURN collect(e {@channel-event}) AS nodes
}
RETURN totalCount, nodes
