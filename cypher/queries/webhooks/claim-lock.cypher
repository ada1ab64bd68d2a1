// replan=skip
// First statement of a claim (lock-first): the webhook's write lock, held until commit, so the
// next statement reads its lease and schedule as the last claim or answer committed them: one
// attempt in flight per webhook, each made by one process. Every change of a webhook's tasks and
// schedule (fan-out, claim, answer, disable) takes this lock.
MATCH (w:Webhook {id: $webhookId})
SET w.claimLockedAt = timestamp()
RETURN w.id AS id
