// First statement of recording an attempt's answer (lock-first): the task's write lock, if the task
// is still there (deleting its webhook deletes it).
MATCH (t:WebhookTask {key: $key})
SET t.finishLockedAt = timestamp()
RETURN t.key AS key
