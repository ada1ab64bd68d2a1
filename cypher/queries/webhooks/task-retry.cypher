// replan=skip
// A failed attempt (D-30): its error kept on the task. Its next attempt (`nextAt`) and the webhook's
// circuit (`dueAt`) were scheduled when it was claimed (webhooks/start-attempt). Returns the start
// of the task's 24-hour window (no row: the task is gone).
MATCH (t:WebhookTask {key: $key})
SET t.lastError = $error
RETURN t.key AS key, t.firstAt.epochMillis AS firstAt
