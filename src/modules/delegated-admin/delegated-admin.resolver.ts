import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { caller } from "../../shared/auth/caller.js";
import type { Context } from "../../shared/context.js";
import { ConnectionArgs, timePageRequest, type Connection } from "../../shared/graphql/connection.js";
import { customerLoaders } from "../customers/customer.loaders.js";
import { Customer, type CustomerRecord } from "../customers/customer.type.js";
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
      // The request's time (Context.now): the status filter and the state as read agree with every
      // other read of this request.
      ctx.now,
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

/**
 * Customer.delegatedAdminRelationships: from the customers' loader, primed by the customer and
 * customers reads when they bring the relationships along (customers/detail and customers/list,
 * planned with the viewer query: one statement), else read for every customer of the response at
 * once (delegated-admin/by-customers), at the request's time.
 */
@Resolver(() => Customer)
export class CustomerDelegatedAdminResolver {
  @FieldResolver(() => [DelegatedAdminRelationship], {
    description: "The caller's organisation's delegated admin relationships with this customer (C4 or C1, D-25), newest first.",
  })
  async delegatedAdminRelationships(@Root() customer: CustomerRecord, @Ctx() ctx: Context): Promise<DelegatedAdminRelationship[]> {
    return (await customerLoaders(ctx).delegatedAdmin.load(customer.id)).map(toRelationship);
  }
}
