import { Arg, Args, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import { caller } from "../../shared/auth/caller.js";
import { requiredId } from "../../shared/validation.js";
import type { Context } from "../../shared/context.js";
import { BadUserInputError } from "../../shared/errors.js";
import { ConnectionArgs, type Connection } from "../../shared/graphql/connection.js";
import { CustomerSubscription, type SubscriptionRecord } from "../customers/customer.type.js";
import { ordersQuery } from "./order.plans.js";
import { changeSubscriptionStatus, listOrders, submitOrder, updateSubscriptionQuantity, type SubscriptionTransition } from "./order.repository.js";
import { OrderConnection, OrderWhere, SubmitOrderInput, SubmitOrderPayload, type OrderRecord } from "./order.type.js";

export const MAX_LINE_ITEMS = 20;
export const MIN_QUANTITY = 1;
export const MAX_QUANTITY = 10_000;

/** A license count: an integer 1..10,000. */
export function quantity(field: string, value: number): number {
  if (!Number.isInteger(value) || value < MIN_QUANTITY || value > MAX_QUANTITY) {
    throw new BadUserInputError(field, "quantity", `must be a whole number of licenses from ${MIN_QUANTITY} to 10,000, got ${value}.`);
  }
  return value;
}

@Resolver()
export class OrderResolver {
  @Query(() => OrderConnection.connection, {
    description:
      "D-27 (C1): the orders the caller's provider placed, or its reseller is partner of record of (D-19), newest first; keyset-paged.",
  })
  orders(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("where", () => OrderWhere, { nullable: true }) where: OrderWhere | null,
    @Ctx() ctx: Context,
  ): Promise<Connection<OrderRecord>> {
    const { page, read } = ordersQuery(args, where, caller(ctx).partnerId);
    return listOrders(ctx.executor, read, page);
  }

  @Mutation(() => SubmitOrderPayload, { description: "A provider orders for a customer it shares with the reseller (D-10, D-12, D-19, C14)." })
  submitOrder(
    @Arg("input", () => SubmitOrderInput) input: SubmitOrderInput,
    @Ctx() ctx: Context,
  ): Promise<{ order: OrderRecord; subscriptions: SubscriptionRecord[] }> {
    const customerId = requiredId("input.customerId", input.customerId);
    const resellerId = requiredId("input.resellerId", input.resellerId);
    if (input.lineItems.length < 1 || input.lineItems.length > MAX_LINE_ITEMS) {
      throw new BadUserInputError("input.lineItems", "line items", `an order has 1 to ${MAX_LINE_ITEMS} line items, got ${input.lineItems.length}.`);
    }
    const lineItems = input.lineItems.map((li, i) => ({
      offerId: requiredId(`input.lineItems[${i}].offerId`, li.offerId),
      quantity: quantity(`input.lineItems[${i}].quantity`, li.quantity),
    }));
    return submitOrder(ctx.executor, caller(ctx), { customerId, resellerId, lineItems }, ctx.services.clock.now());
  }

  @Mutation(() => CustomerSubscription, {
    description:
      "Change the licenses of an ACTIVE subscription sold through or ordered by the caller's organisation (C5, D-21); a helpdesk agent may not on an Office 365 subscription (ROLES.md).",
  })
  updateSubscriptionQuantity(
    @Arg("subscriptionId", () => ID) subscriptionId: string,
    @Arg("quantity", () => Int, { description: "1..10,000." }) newQuantity: number,
    @Ctx() ctx: Context,
  ): Promise<SubscriptionRecord> {
    return updateSubscriptionQuantity(ctx.executor, caller(ctx), subscriptionId, quantity("quantity", newQuantity), ctx.services.clock.now());
  }

  @Mutation(() => CustomerSubscription, {
    nullable: true,
    description: "D-21 (C5): ACTIVE -> SUSPENDED, for a subscription sold through or ordered by the caller's organisation.",
  })
  suspendSubscription(@Arg("subscriptionId", () => ID) subscriptionId: string, @Ctx() ctx: Context): Promise<SubscriptionRecord> {
    return this.transition(ctx, "suspendSubscription", subscriptionId);
  }

  @Mutation(() => CustomerSubscription, {
    nullable: true,
    description: "D-21 (C5): SUSPENDED -> ACTIVE, for a subscription sold through or ordered by the caller's organisation.",
  })
  reactivateSubscription(@Arg("subscriptionId", () => ID) subscriptionId: string, @Ctx() ctx: Context): Promise<SubscriptionRecord> {
    return this.transition(ctx, "reactivateSubscription", subscriptionId);
  }

  @Mutation(() => CustomerSubscription, {
    nullable: true,
    description: "D-21 (C5): ACTIVE or SUSPENDED -> CANCELLED (final), for a subscription sold through or ordered by the caller's organisation.",
  })
  cancelSubscription(@Arg("subscriptionId", () => ID) subscriptionId: string, @Ctx() ctx: Context): Promise<SubscriptionRecord> {
    return this.transition(ctx, "cancelSubscription", subscriptionId);
  }

  private transition(ctx: Context, transition: SubscriptionTransition, subscriptionId: string): Promise<SubscriptionRecord> {
    return changeSubscriptionStatus(ctx.executor, caller(ctx), transition, requiredId("subscriptionId", subscriptionId), ctx.services.clock.now());
  }
}
