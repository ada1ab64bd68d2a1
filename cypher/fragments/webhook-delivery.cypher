// One attempt of a webhook delivery as every query returns it: WebhookDeliveryRecord
// (src/modules/webhooks/webhook.type.ts), inside the map projection: `d {@webhook-delivery}`.
.id, .eventId, .attempt, .at, .statusCode, .durationMs, .error
