import type { Viewer } from "./auth/viewer.js";
import { eventParams, type ChannelEventDraft } from "./events.js";
import { newId } from "./ids.js";
import type { Tx } from "./neo4j/executor.js";

/**
 * Writes the audit event of a mutation inside the mutation's transaction, so there is an event
 * exactly when the change committed. `partnerId` is the organisation the event belongs to (the
 * actor's, or the one acted on for anonymous operations such as accepting an invitation).
 *
 * `events`: the change's channel events (D-28, src/shared/events.ts), written by the same
 * statement; once the transaction commits, the executor tells the event sequencer
 * (src/modules/events/sequencer.ts), so they reach subscribers and webhooks at once.
 */
export async function recordAudit(
  tx: Tx,
  event: { operation: string; viewer: Viewer | null; partnerId?: string | null; targetIds: string[]; events?: readonly ChannelEventDraft[] },
): Promise<void> {
  const events = eventParams(event.events ?? []);
  await tx.run("audit/record", {
    id: newId("AuditEvent"),
    operation: event.operation,
    actorUserId: event.viewer?.userId ?? null,
    actorEmail: event.viewer?.email ?? null,
    partnerId: event.partnerId ?? event.viewer?.partnerId ?? null,
    targetIds: event.targetIds,
    events,
  });
  if (events.length > 0) tx.wroteEvents();
}
