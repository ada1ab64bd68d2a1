import { DateTimeISOResolver } from "graphql-scalars";
import { Field, ID, InputType, ObjectType } from "type-graphql";
import { connectionTypes } from "../../shared/graphql/connection.js";
import { ChannelEventType } from "../../shared/graphql/enums.js";
import type { Instant } from "../../shared/graphql/instant.js";

/** A channel event as every query returns it (cypher/fragments/channel-event.cypher). */
export interface ChannelEventRecord {
  id: string;
  type: ChannelEventType;
  at: Instant;
  subjectId: string;
  summary: string;
  /** Sequence number (events/sequence-batch); null until the sequencer has numbered it. */
  seq: number | null;
}

@ObjectType("ChannelEvent", { description: "Something that happened in the channel (D-28), as read by an organisation it concerns." })
export class ChannelEvent {
  @Field(() => ID) id!: string;
  @Field(() => ChannelEventType) type!: ChannelEventType;
  @Field(() => DateTimeISOResolver, { description: "When the change committed (the database's clock)." }) at!: Date;
  @Field(() => ID, { description: "The id of what changed: a partner (partnerships), customer, order, subscription or delegated admin relationship." })
  subjectId!: string;
  @Field(() => String, { description: "One line for people, naming only what every organisation the event concerns may see (T-2, T-3)." })
  summary!: string;
}

export const ChannelEventConnection = connectionTypes<ChannelEventRecord>("ChannelEvent", () => ChannelEvent);

@InputType("EventWhere")
export class EventWhere {
  @Field(() => [ChannelEventType], { nullable: true, description: "Only these types (each still needs its reading capability, D-28)." })
  types?: ChannelEventType[] | null;
}
