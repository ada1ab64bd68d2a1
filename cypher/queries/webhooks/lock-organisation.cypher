// First statement of createWebhook (lock-first): the organisation's write lock, held until commit,
// so the bound on webhooks per organisation (webhooks/count, then webhooks/create) holds when two
// are created at once.
MATCH (p:Partner {id: $viewerPartnerId})
SET p.webhooksLockedAt = timestamp()
RETURN p.id AS id
