// First statement of deleteWebhook (lock-first): the webhook's write lock, as every claim, answer
// and fan-out of it takes, so none of them finds it half deleted; a dispatcher statement that
// waited for this lock and then finds the node gone (EntityNotFound) is retried by the dispatcher.
// No row: no webhook of that id in the caller's organisation (T-4).
MATCH (:Partner {id: $viewerPartnerId})-[:HAS_WEBHOOK]->(w:Webhook {id: $id})
SET w.deleteLockedAt = timestamp()
RETURN w.id AS id
