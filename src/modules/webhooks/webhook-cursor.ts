import type { Tx } from "../../shared/neo4j/executor.js";

/**
 * The fan-out's WebhookCursor, write-locked until commit (webhooks/cursor-lock), made first when it
 * is missing (webhooks/cursor-create): its `lastSeq`, the last event fanned out.
 */
export async function lockWebhookCursor(tx: Tx): Promise<number> {
  const [locked] = await tx.run<{ lastSeq: number }>("webhooks/cursor-lock");
  if (locked) return locked.lastSeq;
  const [{ lastSeq }] = await tx.run<{ lastSeq: number }>("webhooks/cursor-create");
  return lastSeq;
}
