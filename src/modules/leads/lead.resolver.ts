import { Arg, Args, Ctx, Field, ID, InputType, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import { DateTimeISOResolver } from "graphql-scalars";
import type { Context } from "../../shared/context.js";
import { NotImplementedError } from "../../shared/errors.js";
import { ConnectionArgs, connectionTypes, pageRequest, type Connection } from "../../shared/graphql/connection.js";
import { LeadSource, LeadStatus } from "../../shared/graphql/enums.js";
import { Node } from "../../shared/graphql/node.js";
import { readPage } from "../../shared/neo4j/batch.js";

export interface LeadRecord {
  id: string;
  companyName: string;
  contactEmail: string;
  source: string;
  status: string;
  createdAt: Date;
}

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
  @Field(() => String) companyName!: string;
  @Field(() => String) contactEmail!: string;
  @Field(() => LeadSource) source!: LeadSource;
}

@Resolver(() => Lead)
export class LeadResolver {
  @Query(() => LeadConnection.connection, { description: "The caller's organisation's leads, newest first (C11, T-1)." })
  leads(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context): Promise<Connection<LeadRecord>> {
    return readPage(ctx.executor, "leads/list", { viewerPartnerId: ctx.viewer?.partnerId ?? null }, pageRequest(args), (l: LeadRecord) =>
      l.createdAt.toISOString(),
    );
  }

  @Mutation(() => Lead)
  createLead(@Arg("input", () => CreateLeadInput) _input: CreateLeadInput): LeadRecord {
    throw new NotImplementedError("createLead");
  }
}
