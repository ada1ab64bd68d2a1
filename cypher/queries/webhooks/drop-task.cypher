// replan=skip
// Tasks that can no longer be delivered (their event deleted): gone.
UNWIND $keys AS key
MATCH (t:WebhookTask {key: key})
DETACH DELETE t
