import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from "type-graphql";
import { caller } from "../../shared/auth/caller.js";
import type { Context } from "../../shared/context.js";
import { ConnectionArgs, type Connection } from "../../shared/graphql/connection.js";
import { Partner, type PartnerRecord } from "../partners/partner.type.js";
import { CustomerWhere } from "./customer.input.js";
import { customerLoaders } from "./customer.loaders.js";
import { customerQuery, customersQuery } from "./customer.plans.js";
import { customerDetail, listCustomers } from "./customer.repository.js";
import {
  ChannelPath,
  Customer,
  CustomerConnection,
  ServiceHealth,
  CustomerSubscription,
  type ChannelPathRecord,
  type CustomerRecord,
  type SubscriptionRecord,
} from "./customer.type.js";

@Resolver(() => Customer)
export class CustomerResolver {
  @Query(() => CustomerConnection.connection, {
    description: "The caller's customers: those its organisation has a reseller relationship with (C1, T-2).",
  })
  async customers(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("where", () => CustomerWhere, { nullable: true }) where: CustomerWhere | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Connection<CustomerRecord>> {
    const { include, page: request, read } = customersQuery(args, where, info, caller(ctx).partnerId);
    const page = await listCustomers(ctx.executor, read, request);
    // The page brought the selected relationship fields along: their field resolvers find them
    // in the loaders and run no query of their own.
    const loaders = customerLoaders(ctx);
    for (const { node } of page.edges) {
      loaders.byId.prime(node.id, node);
      if (include.partners) loaders.partners.prime(node.id, node.partners);
      if (include.subscriptions) loaders.subscriptions.prime(node.id, node.subscriptions);
    }
    return page;
  }

  @Query(() => Customer, { nullable: true, description: "A customer of the caller's organisation; null when out of scope (T-4)." })
  async customer(@Arg("id", () => ID) id: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<CustomerRecord | null> {
    const { include, read } = customerQuery(id, info, caller(ctx).partnerId, ctx.now);
    if (!read) return customerLoaders(ctx).byId.load(id);
    const detail = await customerDetail(ctx.executor, read);
    if (!detail) return null;
    const loaders = customerLoaders(ctx);
    loaders.byId.prime(id, detail.customer);
    if (include.partners) loaders.partners.prime(id, detail.partners);
    if (include.subscriptions) loaders.subscriptions.prime(id, detail.subscriptions);
    if (include.channelPaths) loaders.channelPaths.prime(id, detail.paths);
    if (include.delegatedAdmin) loaders.delegatedAdmin.prime(id, detail.delegatedAdminRelationships);
    return detail.customer;
  }

  @FieldResolver(() => [Partner], {
    description: "Partners of record, limited to the caller's organisation and its partnered organisations (T-3).",
  })
  partners(@Root() customer: CustomerRecord, @Ctx() ctx: Context): Promise<PartnerRecord[]> {
    return customerLoaders(ctx).partners.load(customer.id);
  }

  @FieldResolver(() => [CustomerSubscription], {
    description: "All its subscriptions, whoever sold or ordered them (T-2, D-21); only those sold through or ordered by the caller's organisation can be changed (C5).",
  })
  subscriptions(@Root() customer: CustomerRecord, @Ctx() ctx: Context): Promise<SubscriptionRecord[]> {
    return customerLoaders(ctx).subscriptions.load(customer.id);
  }

  @FieldResolver(() => [ChannelPath])
  channelPaths(@Root() customer: CustomerRecord, @Ctx() ctx: Context): Promise<ChannelPathRecord[]> {
    return customerLoaders(ctx).channelPaths.load(customer.id);
  }

  @FieldResolver(() => [ServiceHealth])
  serviceHealth(@Root() customer: CustomerRecord, @Ctx() ctx: Context): Promise<ServiceHealth[]> {
    return customerLoaders(ctx).serviceHealth.load(customer.id);
  }
}
