import neo4j from "neo4j-driver";
import type { Viewer } from "../../shared/auth/viewer.js";
import { recordAudit } from "../../shared/audit.js";
import { BadUserInputError, ConflictError, NotFoundError } from "../../shared/errors.js";
import { newId } from "../../shared/ids.js";
import type { RequestExecutor } from "../../shared/neo4j/executor.js";
import { echo } from "../../shared/validation.js";
import type { SubscriptionRecord } from "../customers/customer.type.js";
import type { OrderRecord } from "./order.type.js";

export interface LineItem {
  offerId: string;
  quantity: number;
}

interface OrderRow {
  order: { id: string; status: string; createdAt: Date; partnerIdOnRecord: string; offerIds: string[]; quantities: number[] };
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
 * subscription per line item, the audit event. Ids and the time are made before the transaction,
 * so a retried callback writes the same values.
 */
export async function submitOrder(
  executor: RequestExecutor,
  viewer: Viewer,
  input: { customerId: string; resellerId: string; lineItems: LineItem[] },
): Promise<{ order: OrderRecord; subscriptions: SubscriptionRecord[] }> {
  const orderId = newId("Order");
  const now = neo4j.int(Date.now());
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
    });
    return { order: toOrder(row.order), subscriptions: row.subscriptions };
  });
}

function toOrder(order: OrderRow["order"]): OrderRecord {
  return {
    id: order.id,
    status: order.status,
    createdAt: order.createdAt,
    partnerIdOnRecord: order.partnerIdOnRecord,
    lineItems: order.offerIds.map((offerId, i) => ({ offerId, quantity: order.quantities[i] })),
  };
}

/** C5: a new license count; NOT_FOUND out of scope (T-2, T-4), CONFLICT when SUSPENDED. */
export async function updateSubscriptionQuantity(
  executor: RequestExecutor,
  viewer: Viewer,
  subscriptionId: string,
  quantity: number,
): Promise<SubscriptionRecord> {
  const now = neo4j.int(Date.now());
  return executor.transaction("WRITE", async (tx) => {
    const [row] = await tx.run<{ previousStatus: string; subscription: SubscriptionRecord }>("orders/update-quantity", {
      viewerPartnerId: viewer.partnerId,
      subscriptionId,
      quantity: neo4j.int(quantity),
      now,
    });
    if (!row) throw new NotFoundError("Subscription", echo(subscriptionId));
    if (row.previousStatus !== "ACTIVE") {
      // Throwing rolls the transaction back (the lock's updatedAt included).
      throw new ConflictError(`Subscription ${echo(subscriptionId)} is ${row.previousStatus}; only an ACTIVE subscription's quantity can change.`);
    }
    await recordAudit(tx, { operation: "updateSubscriptionQuantity", viewer, targetIds: [subscriptionId] });
    return row.subscription;
  });
}
