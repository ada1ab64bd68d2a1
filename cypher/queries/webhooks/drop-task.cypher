// A task that can no longer be delivered (its webhook disabled or deleted, its event deleted): gone.
MATCH (t:WebhookTask {key: $key})
DETACH DELETE t
