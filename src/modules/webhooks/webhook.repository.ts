import neo4j from "neo4j-driver";
import type { Viewer } from "../../shared/auth/viewer.js";
import { recordAudit } from "../../shared/audit.js";
import { ConflictError } from "../../shared/errors.js";
import { toConnection, type Connection, type PageRequest } from "../../shared/graphql/connection.js";
import { pageRead } from "../../shared/neo4j/batch.js";
import type { RequestExecutor } from "../../shared/neo4j/executor.js";
import { lockWebhookCursor } from "./webhook-cursor.js";
import type { WebhookDeliveryRecord, WebhookRecord } from "./webhook.type.js";

/** A delivery's cursor key: its `at` as the ISO instant timePageRequest accepts (newest first). */
export const deliverySortKey = (d: WebhookDeliveryRecord): string => new Date(d.at).toISOString();

/**
 * createWebhook (D-30): under the organisation's write lock (lock-first), so at most `max` webhooks
 * per organisation however many are created at once; then the fan-out's WebhookCursor lock
 * (lockWebhookCursor) before `fromSeq` is read (webhooks/create), so a fan-out running now either
 * commits first (the head read then is at or above what it fanned out: no event after `fromSeq` was
 * fanned out without this webhook) or sees this one committed (issue 14: a pass that finds no
 * active webhook moves no cursor, and the next one starts at the lowest `fromSeq`). The audit event
 * in the same transaction.
 * `id`, `now` and the sealed secret are made before the transaction (idempotent under retry).
 */
export async function createWebhook(
  executor: RequestExecutor,
  viewer: Viewer,
  input: { id: string; url: string; events: string[]; secretSealed: string; now: number; max: number },
): Promise<WebhookRecord> {
  return executor.transaction("WRITE", async (tx) => {
    const params = { viewerPartnerId: viewer.partnerId };
    await tx.run("webhooks/lock-organisation", params);
    const [{ webhooks }] = await tx.run<{ webhooks: number }>("webhooks/count", params);
    if (webhooks >= input.max) {
      throw new ConflictError(
        `Your organisation already has ${webhooks} webhooks, the most it may have (WEBHOOKS_PER_ORGANISATION = ${input.max}); delete one first (D-30).`,
      );
    }
    await lockWebhookCursor(tx);
    const [row] = await tx.run<{ webhook: WebhookRecord }>("webhooks/create", {
      ...params,
      id: input.id,
      url: input.url,
      events: input.events,
      secretSealed: input.secretSealed,
      userId: viewer.userId,
      now: neo4j.int(input.now),
    });
    await recordAudit(tx, { operation: "createWebhook", viewer, targetIds: [input.id] });
    return row.webhook;
  });
}

/** The caller's organisation's webhooks (T-1), newest first. */
export async function listWebhooks(executor: RequestExecutor, viewerPartnerId: string | null): Promise<WebhookRecord[]> {
  const rows = await executor.read<{ webhook: WebhookRecord }>("webhooks/list", { viewerPartnerId });
  return rows.map((row) => row.webhook);
}

/**
 * deleteWebhook: the deleted webhook, or null when the caller's organisation has none of that id
 * (T-4). The webhook's lock first (webhooks/delete-lock), as the dispatcher's claims, answers and
 * fan-outs take it: none of them sees it half deleted (one that waited for the lock and then finds
 * it gone runs its transaction again, WebhookDispatcher#goneRetried).
 */
export async function deleteWebhook(executor: RequestExecutor, viewer: Viewer, id: string): Promise<WebhookRecord | null> {
  return executor.transaction("WRITE", async (tx) => {
    const [locked] = await tx.run("webhooks/delete-lock", { viewerPartnerId: viewer.partnerId, id });
    if (!locked) return null;
    const [row] = await tx.run<{ webhook: WebhookRecord }>("webhooks/delete", { viewerPartnerId: viewer.partnerId, id });
    if (!row) return null;
    await recordAudit(tx, { operation: "deleteWebhook", viewer, targetIds: [id] });
    return row.webhook;
  });
}

/** One page of a webhook's delivery log, newest first; null when the webhook is not the caller's organisation's (T-4). */
export async function listDeliveries(
  executor: RequestExecutor,
  viewerPartnerId: string | null,
  webhookId: string,
  page: PageRequest,
): Promise<Connection<WebhookDeliveryRecord> | null> {
  const read = pageRead("webhooks/deliveries", { viewerPartnerId, webhookId }, page);
  const [row] = await executor.read<{ totalCount: number; nodes: WebhookDeliveryRecord[] }>(read.query, read.params);
  return row ? toConnection(row.nodes, row.totalCount, page, deliverySortKey) : null;
}
