import { Arg, Args, Ctx, Field, ID, InputType, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import { DateTimeISOResolver } from "graphql-scalars";
import { caller } from "../../shared/auth/caller.js";
import type { Context } from "../../shared/context.js";
import { ConnectionArgs, connectionTypes, timePageRequest, type Connection } from "../../shared/graphql/connection.js";
import { LeadSource, LeadStatus } from "../../shared/graphql/enums.js";
import { Node } from "../../shared/graphql/node.js";
import { email, text } from "../../shared/validation.js";
import { createLead, listLeads, type LeadRecord } from "./lead.repository.js";

export type { LeadRecord } from "./lead.repository.js";

@ObjectType("Lead", { implements: Node, description: "A prospective customer (D-15, C11)." })
export class Lead extends Node {
  @Field(() => ID) override id!: string;
  @Field(() => String) companyName!: string;
  @Field(() => String) contactEmail!: string;
  @Field(() => LeadSource) source!: LeadSource;
  @Field(() => LeadStatus) status!: LeadStatus;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
}

export const LeadConnection = connectionTypes<LeadRecord>("Lead", () => Lead);

@InputType("CreateLeadInput")
export class CreateLeadInput {
  @Field(() => String, { description: "1..200 characters." }) companyName!: string;
  @Field(() => String) contactEmail!: string;
  @Field(() => LeadSource, { description: "Where the lead came from (D-15)." }) source!: LeadSource;
}

@Resolver(() => Lead)
export class LeadResolver {
  @Query(() => LeadConnection.connection, { description: "The caller's organisation's leads, newest first (C11, T-1)." })
  leads(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context): Promise<Connection<LeadRecord>> {
    return listLeads(ctx.executor, caller(ctx).partnerId, timePageRequest(args));
  }

  @Mutation(() => Lead, { description: "A new lead of the caller's organisation, status NEW (C11, D-15)." })
  createLead(@Arg("input", () => CreateLeadInput) input: CreateLeadInput, @Ctx() ctx: Context): Promise<LeadRecord> {
    return createLead(ctx.executor, caller(ctx), {
      companyName: text("input.companyName", input.companyName, 200),
      // Any valid address: a prospect may well use a web-based mail service (D-3 is about partners).
      contactEmail: email("input.contactEmail", input.contactEmail),
      source: input.source,
    });
  }
}
