import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { DateTimeISOResolver } from "graphql-scalars";
import { connectionTypes } from "../../shared/graphql/connection.js";
import { OrderStatus } from "../../shared/graphql/enums.js";
import type { Instant } from "../../shared/graphql/instant.js";
import { Node } from "../../shared/graphql/node.js";
import { Customer, CustomerSubscription, type CustomerRecord, type SubscriptionRecord } from "../customers/customer.type.js";
import { Provider, Reseller, type PartnerRecord } from "../partners/partner.type.js";

@ObjectType("OrderLineItem")
export class OrderLineItem {
  @Field(() => ID) offerId!: string;
  @Field(() => Int) quantity!: number;
}

/** An order as every query returns it (cypher/fragments/order.cypher), for the caller's organisation. */
export interface OrderRecord {
  id: string;
  status: string;
  createdAt: Instant;
  partnerIdOnRecord: string;
  lineItems: { offerId: string; quantity: number }[];
  /** The customer; null once the caller is no longer of record for it (T-2, T-4). */
  customer: CustomerRecord | null;
  /** The reseller of record (D-19); null outside the caller's view (T-3). */
  reseller: PartnerRecord | null;
  /** The provider that placed it; null outside the caller's view (T-3). */
  provider: PartnerRecord | null;
}

@ObjectType("Order", { implements: Node, description: "An order placed by a provider for a reseller's customer (D-19)." })
export class Order extends Node {
  @Field(() => ID) override id!: string;
  @Field(() => OrderStatus) status!: OrderStatus;
  @Field(() => [OrderLineItem], { description: "As ordered; a subscription's own quantity may change later (C5)." }) lineItems!: OrderLineItem[];
  @Field(() => String, { description: "The reseller's MPN ID, as Partner Center's partnerIdOnRecord." }) partnerIdOnRecord!: string;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
  @Field(() => Customer, {
    nullable: true,
    description: "The customer ordered for; null once the caller's organisation has no reseller relationship with it (T-2, T-4).",
  })
  customer!: CustomerRecord | null;
  @Field(() => Reseller, {
    nullable: true,
    description: "The reseller of record (D-19); null when the caller's organisation is not partnered with it (T-3).",
  })
  reseller!: PartnerRecord | null;
  @Field(() => Provider, {
    nullable: true,
    description: "The provider that placed it; null when the caller's organisation is not partnered with it (T-3).",
  })
  provider!: PartnerRecord | null;
}

export const OrderConnection = connectionTypes<OrderRecord>("Order", () => Order);

@InputType("OrderWhere", { description: "D-27: filters of the orders list; each names an organisation or customer in the caller's scope, else the list is empty." })
export class OrderWhere {
  @Field(() => ID, { nullable: true, description: "Only orders for this customer (one the caller's organisation is of record for)." })
  customerId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only orders with this reseller as partner of record." })
  resellerId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only orders placed by this provider." })
  providerId?: string | null;
}

@ObjectType("SubmitOrderPayload")
export class SubmitOrderPayload {
  @Field(() => Order) order!: OrderRecord;
  @Field(() => [CustomerSubscription]) subscriptions!: SubscriptionRecord[];
}

@InputType("OrderLineItemInput")
export class OrderLineItemInput {
  @Field(() => ID) offerId!: string;
  @Field(() => Int, { description: "1..10,000." }) quantity!: number;
}

@InputType("SubmitOrderInput")
export class SubmitOrderInput {
  @Field(() => ID) customerId!: string;
  @Field(() => ID) resellerId!: string;
  @Field(() => [OrderLineItemInput]) lineItems!: OrderLineItemInput[];
}
