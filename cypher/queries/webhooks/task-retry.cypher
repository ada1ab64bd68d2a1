// A failed attempt (D-30): the next one at $nextAt (the domain clock: exponential backoff, within
// 24 hours of the first attempt), the lease given back.
MATCH (t:WebhookTask {key: $key})
SET t.nextAt = datetime({epochMillis: $nextAt}), t.leaseUntil = null, t.leaseHolder = null, t.lastError = $error
RETURN t.key AS key
