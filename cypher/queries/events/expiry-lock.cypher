// replan=skip
// First statement of an expiry event's transaction (the expiry sweep, D-28): the relationship's
// write lock (`lockedAt`, written first by every transition of a relationship, MODEL.md). Held
// until commit, so a sweep of another process (or terminateDelegatedAdmin) on the same
// relationship waits, and events/expiry-mark, the next statement, reads the committed marks: each
// event is written once however many processes sweep at the same time.
MATCH (g:DelegatedAdminRelationship {id: $id})
SET g.lockedAt = datetime({epochMillis: $now})
RETURN g.id AS id
