// @params owner, ev
// The listKey of the CONCERNS edge from channel event `ev` to an organisation `owner` it concerns
// (D-28, migrations/0012): an organisation's events newest first (the event's `at`), then by id
// (fragments/newest-first-key.cypher, fragments/list-key.cypher), the order of the `events` feed.
// Set by audit/record, the one statement that creates events and their edges.
@list-key(@owner, @newest-first-key(@ev.at), @ev.id)
