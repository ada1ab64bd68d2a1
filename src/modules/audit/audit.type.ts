import { Field, ID, ObjectType } from "type-graphql";
import { DateTimeISOResolver } from "graphql-scalars";
import { connectionTypes } from "../../shared/graphql/connection.js";

export interface AuditEventRecord {
  id: string;
  at: Date;
  operation: string;
  actorEmail: string | null;
  targetIds: string[];
}

@ObjectType("AuditEvent", { description: "One successful mutation of the organisation's trail (never secrets)." })
export class AuditEvent {
  @Field(() => ID) id!: string;
  @Field(() => DateTimeISOResolver, { description: "When the change committed." }) at!: Date;
  @Field(() => String, { description: "The mutation's name, e.g. submitOrder." }) operation!: string;
  @Field(() => String, { nullable: true, description: "Who did it; null for anonymous operations (e.g. a customer accepting a link)." })
  actorEmail!: string | null;
  @Field(() => [ID], { description: "Ids of what the change created or touched." }) targetIds!: string[];
}

export const AuditEventConnection = connectionTypes<AuditEventRecord>("AuditEvent", () => AuditEvent);
