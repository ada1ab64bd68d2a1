// createWebhook (D-30, C18, T-1): a webhook of the caller's organisation, active, with its signing
// secret sealed (AES-256-GCM, src/modules/webhooks/signature.ts; the secret itself is never stored,
// T-5). `fromSeq`: the events numbered so far; it gets only later ones (webhooks/fan-out,
// webhooks/claim-events), and its delivery cursor `deliveredSeq` and
// last event fanned out `fannedOutSeq` start there. Run after
// webhooks/cursor-lock (the fan-out's lock): the head read here is at or above the last fan-out's,
// so no event above `fromSeq` was fanned out before this webhook was visible, and an event
// numbered before it is never sent to it (issue 14: idle passes leave the cursor behind).
MATCH (p:Partner {id: $viewerPartnerId})
OPTIONAL MATCH (s:EventSequence {name: "channel"})
WITH p, coalesce(s.next, 1) - 1 AS head
CREATE (p)-[:HAS_WEBHOOK]->(w:Webhook {
  id: $id, url: $url, events: $events, active: true, createdAt: datetime({epochMillis: $now}),
  createdByUserId: $userId, secretSealed: $secretSealed, fromSeq: head, deliveredSeq: head, fannedOutSeq: head
})
RETURN w {@webhook} AS webhook
