// A 2xx answer (D-30): the task is done.
MATCH (t:WebhookTask {key: $key})
DETACH DELETE t
