// First statement of a claim (lock-first): the task's write lock, held until commit, so the next
// statement reads its lease as the last claim committed it: one process per attempt.
MATCH (t:WebhookTask {key: $key})
SET t.claimLockedAt = timestamp()
RETURN t.key AS key
