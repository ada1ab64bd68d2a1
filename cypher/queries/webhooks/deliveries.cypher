// `webhookDeliveries` (D-30, C18): every attempt to deliver to a webhook of the caller's
// organisation (another's reads as none: no row, NOT_FOUND, T-4), newest first (the attempt's
// `at`, then its id), counted (the LOGGED degree, count store), and one keyset page after the
// cursor: an ordered seek of the LOGGED listKey index (migrations/0013,
// fragments/webhook-delivery-list-key.cypher) that stops after $limit.
MATCH (:Partner {id: $viewerPartnerId})-[:HAS_WEBHOOK]->(w:Webhook {id: $webhookId})
CALL (w) {
  RETURN COUNT { (w)-[:LOGGED]->() } AS totalCount
}
CALL (w) {
  WITH w, @list-key-range(w, @newest-first-key(datetime($afterKey)), $afterId)
  MATCH (owner:Webhook)-[l:LOGGED]->(d:WebhookDelivery)
  WHERE l.listKey > fromKey AND l.listKey < toKey AND owner = w
  WITH d, l ORDER BY l.listKey LIMIT $limit
  RETURN collect(d {@webhook-delivery}) AS nodes
}
RETURN totalCount, nodes
