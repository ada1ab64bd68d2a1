import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { DateTimeISOResolver } from "graphql-scalars";
import { OrderStatus } from "../../shared/graphql/enums.js";
import { Node } from "../../shared/graphql/node.js";
import { Subscription, type SubscriptionRecord } from "../customers/customer.type.js";

@ObjectType("OrderLineItem")
export class OrderLineItem {
  @Field(() => ID) offerId!: string;
  @Field(() => Int) quantity!: number;
}

export interface OrderRecord {
  id: string;
  status: string;
  lineItems: { offerId: string; quantity: number }[];
  partnerIdOnRecord: string;
  createdAt: Date;
}

@ObjectType("Order", { implements: Node, description: "An order placed by a provider for a reseller's customer (D-19)." })
export class Order extends Node {
  @Field(() => ID) override id!: string;
  @Field(() => OrderStatus) status!: OrderStatus;
  @Field(() => [OrderLineItem]) lineItems!: OrderLineItem[];
  @Field(() => String, { description: "The reseller's MPN ID, as Partner Center's partnerIdOnRecord." }) partnerIdOnRecord!: string;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
}

@ObjectType("SubmitOrderPayload")
export class SubmitOrderPayload {
  @Field(() => Order) order!: OrderRecord;
  @Field(() => [Subscription]) subscriptions!: SubscriptionRecord[];
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
