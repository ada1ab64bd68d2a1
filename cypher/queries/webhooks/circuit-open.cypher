// replan=skip
// A batch whose first attempts succeeded and a later one failed (D-30): the circuit's run of
// failures starts at that failure ($failures 1, $failingSince), and the webhook's other tasks wait
// for its retry ($dueAt). (A batch failing at its first attempt keeps the schedule its claim set.)
MATCH (w:Webhook {id: $webhookId})
SET w.failures = $failures, w.failingSince = datetime({epochMillis: $failingSince}), w.dueAt = datetime({epochMillis: $dueAt})
RETURN w.id AS id
