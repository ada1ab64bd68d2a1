// A webhook as every query returns it: WebhookRecord (src/modules/webhooks/webhook.type.ts), inside
// the map projection of the webhook: `w {@webhook}`. Never its sealed secret (T-5).
.id, .url, .events, .active, .createdAt, .disabledReason
