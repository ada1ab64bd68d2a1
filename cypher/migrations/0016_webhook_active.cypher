// Webhook fan-out idle (issue 14, D-30): every pass of the dispatcher first asks whether any
// webhook is active (webhooks/fan-out-state: an EXISTS seek of this index that stops at the first);
// with none it stops there: no transaction, no WebhookCursor lock. The fan-out's floor
// (webhooks/fan-out-floor: the lowest `fromSeq` of the active webhooks) seeks it too.
CREATE INDEX webhook_active IF NOT EXISTS FOR (w:Webhook) ON (w.active);
