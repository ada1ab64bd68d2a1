import { CAPABILITIES, refusal, type CapabilityId, type Roles } from "./auth/capabilities.js";
import { ChannelEventType } from "./graphql/enums.js";
import { newId } from "./ids.js";

/**
 * Channel events (D-28): what another party cares about, written by `recordAudit` in the
 * transaction of the change (src/shared/audit.ts), so there is no event of a change that rolled
 * back and no committed change without its event. The feed, the live subscription and the
 * webhooks all read these same events (D-29, D-30).
 */
export const CHANNEL_EVENT_TYPES: readonly ChannelEventType[] = Object.values(ChannelEventType);

export type ChannelEventTypeName = `${ChannelEventType}`;

/**
 * D-28: a concerned organisation's user reads an event when the user holds one of the
 * capabilities that read its subject: C16 for partnerships, C1 for customers, orders and
 * subscriptions, C4 or C1 for delegated admin.
 */
export const EVENT_READ_CAPABILITIES: Record<ChannelEventTypeName, readonly CapabilityId[]> = {
  PARTNERSHIP_AUTHORIZED: ["C16"],
  PARTNERSHIP_DECLINED: ["C16"],
  PARTNERSHIP_ENDED: ["C16"],
  CUSTOMER_RELATIONSHIP_ACCEPTED: ["C1"],
  CUSTOMER_RELATIONSHIP_ENDED: ["C1"],
  ORDER_SUBMITTED: ["C1"],
  SUBSCRIPTION_UPDATED: ["C1"],
  DELEGATED_ADMIN_APPROVED: ["C4", "C1"],
  DELEGATED_ADMIN_TERMINATED: ["C4", "C1"],
  DELEGATED_ADMIN_EXPIRING: ["C4", "C1"],
  DELEGATED_ADMIN_EXPIRED: ["C4", "C1"],
};

/** The event types a user with these roles may read (D-28), in CHANNEL_EVENT_TYPES' order; empty for a role that reads none. */
export function readableEventTypes(roles: Roles): ChannelEventType[] {
  return CHANNEL_EVENT_TYPES.filter((type) => EVENT_READ_CAPABILITIES[type].some((id) => refusal(roles, CAPABILITIES[id]) === null));
}

/**
 * One event of a change, as a mutation describes it to `recordAudit`. It concerns (D-28) the
 * organisations in `partnerIds` and, with `customerId`, every partner of record of that customer
 * as the transaction leaves it (audit/record computes them in the same statement). A partner that
 * the change removes from the customer (D-20) is named in `partnerIds`.
 *
 * `summary` is read by every organisation the event concerns: it names only what each of them may
 * see (T-2, T-3), e.g. the customer's name for a customer's event, never one reseller of record to
 * another it has no partnership with.
 */
export interface ChannelEventDraft {
  type: ChannelEventTypeName;
  subjectId: string;
  summary: string;
  partnerIds?: readonly string[];
  customerId?: string | null;
}

/** The parameters audit/record takes for each event (ids are made here, inside the transaction's work: a retried transaction makes new ones, and a rolled back one leaves none). */
export function eventParams(drafts: readonly ChannelEventDraft[]): Record<string, unknown>[] {
  return drafts.map((draft) => ({
    id: newId("ChannelEvent"),
    type: draft.type,
    subjectId: draft.subjectId,
    summary: draft.summary,
    partnerIds: [...new Set(draft.partnerIds ?? [])],
    customerId: draft.customerId ?? null,
  }));
}
