import neo4j from "neo4j-driver";
import type { Viewer } from "../../shared/auth/viewer.js";
import type { ChannelEventDraft } from "../../shared/events.js";
import { recordAudit } from "../../shared/audit.js";
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError } from "../../shared/errors.js";
import type { Connection, PageRequest } from "../../shared/graphql/connection.js";
import { newId } from "../../shared/ids.js";
import { pageRead, readPlannedPage } from "../../shared/neo4j/batch.js";
import type { RequestExecutor } from "../../shared/neo4j/executor.js";
import type { ReadPlan } from "../../shared/read-planner.js";
import { echo } from "../../shared/validation.js";
import type { SubscriptionRecord } from "../customers/customer.type.js";
import type { OrderRecord } from "./order.type.js";

/** ORDER_SUBMITTED's line (D-28), from the rows orders/create returns: who ordered what for whom. */
function orderSummary(row: OrderRow): string {
  const items = row.subscriptions.map((sub) => `${sub.quantity} x ${sub.offerName}`).join(", ");
  const provider = row.order.provider?.name ?? "The provider";
  const customer = row.order.customer?.companyName ?? "a customer";
  const through = row.order.reseller ? ` through ${row.order.reseller.name}` : "";
  return `${provider} ordered ${items} for ${customer}${through}.`;
}

export interface LineItem {
  offerId: string;
  quantity: number;
}

interface OrderRow {
  order: OrderRecord;
  subscriptions: SubscriptionRecord[];
}

interface CheckRow {
  resellerFound: boolean;
  resellerMpnId: string | null;
  customerFound: boolean;
  resellerOfRecord: boolean;
  missingOfferIndexes: number[];
}

/**
 * submitOrder (C14, D-10, D-12, D-19) in one write transaction: the checks, the order, one
 * subscription per line item, the audit event. Ids and the time (the domain's clock, `nowMs`) are
 * made before the transaction, so a retried callback writes the same values.
 */
export async function submitOrder(
  executor: RequestExecutor,
  viewer: Viewer,
  input: { customerId: string; resellerId: string; lineItems: LineItem[] },
  nowMs: number,
): Promise<{ order: OrderRecord; subscriptions: SubscriptionRecord[] }> {
  const orderId = newId("Order");
  const now = neo4j.int(nowMs);
  const lineItems = input.lineItems.map((li, position) => ({
    position,
    offerId: li.offerId,
    quantity: li.quantity,
    subscriptionId: newId("Subscription"),
  }));
  const scope = { viewerPartnerId: viewer.partnerId, customerId: input.customerId, resellerId: input.resellerId, now };

  return executor.transaction("WRITE", async (tx) => {
    const [check] = await tx.run<CheckRow>("orders/submit-check", { ...scope, offerIds: lineItems.map((li) => li.offerId) });
    if (!check?.resellerFound) throw new NotFoundError("Indirect reseller", echo(input.resellerId));
    if (!check.customerFound) throw new NotFoundError("Customer", echo(input.customerId));
    const missing = check.missingOfferIndexes[0];
    if (missing !== undefined) {
      throw new BadUserInputError(`input.lineItems[${missing}].offerId`, "offer", `there is no offer ${echo(lineItems[missing].offerId)} (see \`offers\`).`);
    }
    if (!check.resellerOfRecord) {
      throw new BadUserInputError(
        "input.resellerId",
        "D-19",
        `the reseller has no reseller relationship with customer ${echo(input.customerId)}; an order records the reseller as partner of record, so both the provider and the reseller must have one (D-19, D-12).`,
      );
    }
    const [row] = await tx.run<OrderRow>("orders/create", { ...scope, orderId, lineItems });
    await recordAudit(tx, {
      operation: "submitOrder",
      viewer,
      targetIds: [orderId, input.customerId, input.resellerId, ...row.subscriptions.map((s) => s.id)],
      // D-28: the provider and the reseller of the order. Both are of record for the customer and
      // partners of each other (D-19), so the summary may name the three (T-2, T-3).
      events: [
        {
          type: "ORDER_SUBMITTED",
          subjectId: orderId,
          summary: orderSummary(row),
          partnerIds: [viewer.partnerId!, input.resellerId],
        },
      ],
    });
    return row;
  });
}

interface ChangeRow {
  previousStatus: string;
  previousQuantity: number;
  changeable: boolean;
  subscription: SubscriptionRecord;
  /** The subscription's customer: its partners of record are who SUBSCRIPTION_UPDATED concerns (D-28). */
  customerId: string;
  customerName: string;
}

/**
 * D-28: SUBSCRIPTION_UPDATED, subject the subscription, concerning every partner of record of its
 * customer as the change leaves them (they all read it, T-2, D-21). The summary names the offer and
 * the customer, which each of them sees, never the partner that made the change nor the channel
 * the subscription was sold through (another reseller of record may have no partnership with it, T-3).
 */
function subscriptionUpdated(row: ChangeRow, change: string): ChannelEventDraft {
  return {
    type: "SUBSCRIPTION_UPDATED",
    subjectId: row.subscription.id,
    summary: `Subscription ${row.subscription.offerName} of ${row.customerName} ${change}.`,
    customerId: row.customerId,
  };
}

/** D-21: only the partners a subscription was sold through or ordered by change it; others of record read it. */
function notTheSubscriptionsChannel(subscriptionId: string, what: string): ForbiddenError {
  return new ForbiddenError(
    `Subscription ${echo(subscriptionId)} was not sold through or ordered by your organisation: you may read it as a partner of record of its customer, but only the partners it was sold through or ordered by may ${what} (D-21).`,
    "C5",
  );
}

/** C5, D-21: a new license count; NOT_FOUND out of scope (T-2, T-4), FORBIDDEN off its channel, CONFLICT unless ACTIVE. */
export async function updateSubscriptionQuantity(
  executor: RequestExecutor,
  viewer: Viewer,
  subscriptionId: string,
  quantity: number,
  nowMs: number,
): Promise<SubscriptionRecord> {
  const now = neo4j.int(nowMs);
  return executor.transaction("WRITE", async (tx) => {
    const [row] = await tx.run<ChangeRow>("orders/update-quantity", {
      viewerPartnerId: viewer.partnerId,
      subscriptionId,
      quantity: neo4j.int(quantity),
      now,
    });
    if (!row) throw new NotFoundError("Subscription", echo(subscriptionId));
    // Throwing rolls the transaction back (the lock's updatedAt included).
    if (!row.changeable) throw notTheSubscriptionsChannel(subscriptionId, "change its quantity");
    if (row.previousStatus !== "ACTIVE") {
      throw new ConflictError(
        `Subscription ${echo(subscriptionId)} is ${row.previousStatus}; only an ACTIVE subscription's quantity can change (D-21).`,
        "subscriptionId",
      );
    }
    const change = `changed from ${row.previousQuantity} to ${quantity} license${quantity === 1 ? "" : "s"}`;
    await recordAudit(tx, { operation: "updateSubscriptionQuantity", viewer, targetIds: [subscriptionId], events: [subscriptionUpdated(row, change)] });
    return row.subscription;
  });
}

/** D-21's transitions: the mutation, the statuses it leaves from, the one it goes to, and the rule in words. */
export const SUBSCRIPTION_TRANSITIONS = {
  suspendSubscription: { from: ["ACTIVE"], to: "SUSPENDED", verb: "suspend", done: "suspended", rule: "only an ACTIVE subscription can be suspended" },
  reactivateSubscription: { from: ["SUSPENDED"], to: "ACTIVE", verb: "reactivate", done: "reactivated", rule: "only a SUSPENDED subscription can be reactivated" },
  cancelSubscription: {
    from: ["ACTIVE", "SUSPENDED"],
    to: "CANCELLED",
    verb: "cancel",
    done: "cancelled",
    rule: "only an ACTIVE or SUSPENDED subscription can be cancelled; CANCELLED is final",
  },
} as const;

export type SubscriptionTransition = keyof typeof SUBSCRIPTION_TRANSITIONS;

/**
 * D-21, C5: suspend, reactivate or cancel, in one write transaction that takes the subscription's
 * write lock first (orders/change-status). Out of scope: NOT_FOUND (T-2, T-4); read but not sold
 * through or ordered by the caller: FORBIDDEN; a transition not in D-21's list: CONFLICT naming
 * the current status and the rule; nothing is written then. The audit event is the mutation's.
 */
export async function changeSubscriptionStatus(
  executor: RequestExecutor,
  viewer: Viewer,
  transition: SubscriptionTransition,
  subscriptionId: string,
  nowMs: number,
): Promise<SubscriptionRecord> {
  const rule = SUBSCRIPTION_TRANSITIONS[transition];
  const now = neo4j.int(nowMs);
  return executor.transaction("WRITE", async (tx) => {
    const [row] = await tx.run<ChangeRow>("orders/change-status", {
      viewerPartnerId: viewer.partnerId,
      subscriptionId,
      from: [...rule.from],
      to: rule.to,
      now,
    });
    if (!row) throw new NotFoundError("Subscription", echo(subscriptionId));
    if (!row.changeable) throw notTheSubscriptionsChannel(subscriptionId, rule.verb);
    if (!(rule.from as readonly string[]).includes(row.previousStatus)) {
      throw new ConflictError(
        `Subscription ${echo(subscriptionId)} is ${row.previousStatus}: cannot ${rule.verb} it; ${rule.rule} (D-21: ACTIVE -> SUSPENDED -> ACTIVE, ACTIVE or SUSPENDED -> CANCELLED).`,
        "subscriptionId",
      );
    }
    await recordAudit(tx, {
      operation: transition,
      viewer,
      targetIds: [subscriptionId],
      events: [subscriptionUpdated(row, `${rule.done} (was ${row.previousStatus})`)],
    });
    return row.subscription;
  });
}

/** A (createdAt, id) cursor's key: the order's time as the ISO instant timePageRequest accepts. */
export const orderSortKey = (o: OrderRecord): string => new Date(o.createdAt).toISOString();

export interface OrderFilter {
  customerId: string | null;
  resellerId: string | null;
  providerId: string | null;
}

/** D-27: one keyset page of the caller's orders, newest first (orders/list.cypher). */
export function listOrdersRead(viewerPartnerId: string | null, filter: OrderFilter, page: PageRequest): ReadPlan {
  return pageRead("orders/list", { viewerPartnerId, ...filter }, page);
}

export function listOrders(executor: RequestExecutor, read: ReadPlan, page: PageRequest): Promise<Connection<OrderRecord>> {
  return readPlannedPage<OrderRecord>(executor, read, page, orderSortKey);
}
