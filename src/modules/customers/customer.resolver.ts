import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../shared/context.js";
import { ConnectionArgs, pageRequest, type Connection } from "../../shared/graphql/connection.js";
import { optionalCountryCode, searchTerm } from "../../shared/validation.js";
import { Partner, type PartnerRecord } from "../partners/partner.type.js";
import { CustomerWhere } from "./customer.input.js";
import { customerLoaders } from "./customer.loaders.js";
import { listCustomers } from "./customer.repository.js";
import {
  ChannelPath,
  Customer,
  CustomerConnection,
  ServiceHealth,
  Subscription,
  type ChannelPathRecord,
  type CustomerRecord,
  type SubscriptionRecord,
} from "./customer.type.js";

@Resolver(() => Customer)
export class CustomerResolver {
  @Query(() => CustomerConnection.connection, {
    description: "The caller's customers: those its organisation has a reseller relationship with (C1, T-2).",
  })
  customers(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("where", () => CustomerWhere, { nullable: true }) where: CustomerWhere | null,
    @Ctx() ctx: Context,
  ): Promise<Connection<CustomerRecord>> {
    const filter = {
      search: searchTerm("where.search", where?.search),
      countryCode: optionalCountryCode("where.countryCode", where?.countryCode),
      sharedWithPartnerId: where?.sharedWithPartnerId || null,
    };
    return listCustomers(ctx.executor, ctx.viewer?.partnerId ?? null, filter, pageRequest(args));
  }

  @Query(() => Customer, { nullable: true, description: "A customer of the caller's organisation; null when out of scope (T-4)." })
  customer(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<CustomerRecord | null> {
    return customerLoaders(ctx).byId.load(id);
  }

  @FieldResolver(() => [Partner], {
    description: "Partners of record, limited to the caller's organisation and its partnered organisations (T-3).",
  })
  partners(@Root() customer: CustomerRecord, @Ctx() ctx: Context): Promise<PartnerRecord[]> {
    return customerLoaders(ctx).partners.load(customer.id);
  }

  @FieldResolver(() => [Subscription], { description: "Subscriptions sold through or ordered by the caller's organisation." })
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
