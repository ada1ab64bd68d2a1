// How many webhooks the caller's organisation has (after webhooks/lock-organisation; degree, count store).
MATCH (p:Partner {id: $viewerPartnerId})
RETURN COUNT { (p)-[:HAS_WEBHOOK]->(:Webhook) } AS webhooks
