// An attempt's answer in the delivery log (D-30): status code, duration, error. `ours`: the
// webhook's lease still names this attempt (a lease that ran out may have let another process make
// the next attempt: then that one decides what comes next); then the lease is given back. Returns
// the windows the answer is judged by: the task's first attempt, the webhook's run of failures.
MATCH (d:WebhookDelivery {id: $deliveryId})
SET d.statusCode = $statusCode, d.durationMs = $durationMs, d.error = $error
WITH d
OPTIONAL MATCH (w:Webhook {id: $webhookId})
WHERE w.leaseDeliveryId = $deliveryId
SET w.leaseUntil = null, w.leaseHolder = null, w.leaseDeliveryId = null
WITH w
OPTIONAL MATCH (t:WebhookTask {key: $key})
WHERE w IS NOT NULL
SET t.pendingDeliveryId = null
RETURN w IS NOT NULL AS ours, t IS NOT NULL AS task, t.firstAt.epochMillis AS firstAt, w.failingSince.epochMillis AS failingSince
