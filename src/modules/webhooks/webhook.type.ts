import { DateTimeISOResolver } from "graphql-scalars";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { connectionTypes } from "../../shared/graphql/connection.js";
import { ChannelEventType } from "../../shared/graphql/enums.js";

/** A webhook as every query returns it (cypher/fragments/webhook.cypher): never its secret (T-5). */
export interface WebhookRecord {
  id: string;
  url: string;
  events: ChannelEventType[];
  active: boolean;
  createdAt: Date;
  disabledReason: string | null;
}

/** One delivery attempt as every query returns it (cypher/fragments/webhook-delivery.cypher). */
export interface WebhookDeliveryRecord {
  id: string;
  eventId: string;
  attempt: number;
  at: Date;
  statusCode: number | null;
  durationMs: number | null;
  error: string | null;
}

@ObjectType("Webhook", { description: "Where the organisation's channel events are POSTed, signed (D-30, C18)." })
export class Webhook {
  @Field(() => ID) id!: string;
  @Field(() => String) url!: string;
  @Field(() => [ChannelEventType], { description: "The event types delivered." }) events!: ChannelEventType[];
  @Field(() => Boolean, { description: "False once disabled after 24 hours of failed deliveries (D-30)." }) active!: boolean;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
  @Field(() => String, { nullable: true, description: "Why it was disabled; null while active." }) disabledReason!: string | null;
}

@ObjectType("CreateWebhookPayload")
export class CreateWebhookPayload {
  @Field(() => Webhook) webhook!: WebhookRecord;
  @Field(() => String, {
    description: "The signing secret of X-Channel-Signature (HMAC-SHA256 of the raw body). Shown only here, once: store it now (T-5).",
  })
  secret!: string;
}

@ObjectType("WebhookDelivery", { description: "One attempt to deliver an event to a webhook (D-30)." })
export class WebhookDelivery {
  @Field(() => ID) id!: string;
  @Field(() => ID, { description: "The channel event delivered (X-Channel-Event-Id)." }) eventId!: string;
  @Field(() => Int, { description: "1 for the first attempt (X-Channel-Delivery-Attempt)." }) attempt!: number;
  @Field(() => DateTimeISOResolver, { description: "When the attempt started." }) at!: Date;
  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status; null when it gave none (refused, timed out, in progress)." })
  statusCode!: number | null;
  @Field(() => Int, { nullable: true, description: "From the request's start to the answer's status line, or to the failure." }) durationMs!: number | null;
  @Field(() => String, { nullable: true, description: "Why the attempt failed; null for a 2xx answer." }) error!: string | null;
}

export const WebhookDeliveryConnection = connectionTypes<WebhookDeliveryRecord>("WebhookDelivery", () => WebhookDelivery);
