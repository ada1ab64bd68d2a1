import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { caller } from "../../shared/auth/caller.js";
import type { Context } from "../../shared/context.js";
import { ConnectionArgs, timePageRequest, type Connection } from "../../shared/graphql/connection.js";
import { Customer, type CustomerRecord } from "../customers/customer.type.js";
import { delegatedAdminLoaders } from "./delegated-admin.loaders.js";
import { listDelegatedAdmin, terminateDelegatedAdmin } from "./delegated-admin.repository.js";
import {
  DelegatedAdminRelationship,
  DelegatedAdminRelationshipConnection,
  DelegatedAdminWhere,
  toRelationship,
} from "./delegated-admin.type.js";

const blankToNull = (value: string | null | undefined): string | null => (value === null || value === undefined || value.trim() === "" ? null : value.trim());

@Resolver(() => DelegatedAdminRelationship)
export class DelegatedAdminResolver {
  @Query(() => DelegatedAdminRelationshipConnection.connection, {
    description:
      "The caller's organisation's delegated admin relationships (T-1, C4 or C1), newest first; `where.status` filters by the status as read now (EXPIRED included).",
  })
  async delegatedAdminRelationships(
    @Arg("where", () => DelegatedAdminWhere, { nullable: true }) where: DelegatedAdminWhere | null,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: Context,
  ): Promise<Connection<DelegatedAdminRelationship>> {
    const page = await listDelegatedAdmin(
      ctx.executor,
      caller(ctx).partnerId,
      { status: where?.status ?? null, customerId: blankToNull(where?.customerId) },
      timePageRequest(args),
      ctx.services.clock.now(),
    );
    return { ...page, edges: page.edges.map((edge) => ({ cursor: edge.cursor, node: toRelationship(edge.node) })) };
  }

  @Mutation(() => DelegatedAdminRelationship, {
    description: "End one of the organisation's ACTIVE or PENDING_APPROVAL delegated admin relationships (C4, D-25); anything else is CONFLICT.",
  })
  async terminateDelegatedAdmin(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<DelegatedAdminRelationship> {
    return toRelationship(await terminateDelegatedAdmin(ctx.executor, caller(ctx), id.trim(), ctx.services.clock.now()));
  }
}

/** Customer.delegatedAdminRelationships, kept here (the customers module does not know GDAP). */
@Resolver(() => Customer)
export class CustomerDelegatedAdminResolver {
  @FieldResolver(() => [DelegatedAdminRelationship], {
    description: "The caller's organisation's delegated admin relationships with this customer (C4 or C1, D-25), newest first.",
  })
  async delegatedAdminRelationships(@Root() customer: CustomerRecord, @Ctx() ctx: Context): Promise<DelegatedAdminRelationship[]> {
    return (await delegatedAdminLoaders(ctx).byCustomer.load(customer.id)).map(toRelationship);
  }
}
