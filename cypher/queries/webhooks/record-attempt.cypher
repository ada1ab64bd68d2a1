// An attempt's answer in the delivery log (D-30): status code, duration, error. `ours`: the task is
// still this process's attempt (a lease that ran out may have let another process take it: then
// that one decides what comes next).
MATCH (d:WebhookDelivery {id: $deliveryId})
SET d.statusCode = $statusCode, d.durationMs = $durationMs, d.error = $error
WITH d
OPTIONAL MATCH (t:WebhookTask {key: $key})
WHERE t.leaseHolder = $holder AND t.attempts = $attempt
SET t.pendingDeliveryId = null
RETURN t IS NOT NULL AS ours
