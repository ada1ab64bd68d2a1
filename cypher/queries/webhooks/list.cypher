// `webhooks` (D-30, C18): the caller's organisation's webhooks (T-1), newest first. A few per
// organisation (WEBHOOKS_PER_ORGANISATION), so no paging.
MATCH (:Partner {id: $viewerPartnerId})-[:HAS_WEBHOOK]->(w:Webhook)
WITH w ORDER BY w.createdAt DESC, w.id DESC
RETURN w {@webhook} AS webhook
