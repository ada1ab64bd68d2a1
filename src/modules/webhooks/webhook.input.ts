import { Field, InputType } from "type-graphql";
import { ChannelEventType } from "../../shared/graphql/enums.js";

@InputType("CreateWebhookInput")
export class CreateWebhookInput {
  @Field(() => String, {
    description: "Where to POST: https (http to localhost, 127.0.0.1 or [::1] in development only); its host must not resolve to a loopback, private or link-local address (D-30).",
  })
  url!: string;

  @Field(() => [ChannelEventType], { description: "The event types to deliver: at least one (D-30)." })
  events!: ChannelEventType[];
}
