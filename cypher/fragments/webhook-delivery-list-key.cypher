// @params w, d
// The listKey of the LOGGED edge from webhook `w` to its delivery attempt `d` (D-30,
// migrations/0013): a webhook's delivery log newest first (the attempt's `at`), then by id
// (fragments/newest-first-key.cypher, fragments/list-key.cypher). Set by webhooks/start-attempt,
// the one statement that logs attempts.
@list-key(@w, @newest-first-key(@d.at), @d.id)
