import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx, FieldResolver, Info, Query, Resolver, Root } from "type-graphql";
import { caller } from "../../shared/auth/caller.js";
import type { Context } from "../../shared/context.js";
import { ConnectionArgs, pageRequest, type Connection, type PageRequest } from "../../shared/graphql/connection.js";
import { indirectProvidersQuery, indirectResellersQuery } from "./partner.plans.js";
import { optionalCountryCode, searchTerm } from "../../shared/validation.js";
import { CustomerConnection, type CustomerRecord } from "../customers/customer.type.js";
import { partnerLoaders } from "./partner.loaders.js";
import { indirectProvidersWithShared, indirectResellersWithShared, partnerProfile, providerDirectory } from "./partner.repository.js";
import {
  Partner,
  PartnerProfile,
  Provider,
  ProviderConnection,
  Reseller,
  ResellerConnection,
  type PartnerRecord,
} from "./partner.type.js";

/** Hands the sharedCustomers pages a list query brought along to the loader that serves the field. */
function primeShared(ctx: Context, partners: PartnerRecord[], page: PageRequest): void {
  const loader = partnerLoaders(ctx).sharedCustomers;
  for (const partner of partners) if (partner.sharedCustomers) loader.prime(partner.id, page, partner.sharedCustomers);
}

@Resolver(() => Partner)
export class PartnerResolver {
  @Query(() => ProviderConnection.connection, { description: "Official indirect providers, ACTIVE only (D-8)." })
  providerDirectory(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("countryCode", () => String, { nullable: true }) countryCode: string | null,
    @Arg("search", () => String, { nullable: true, description: "Case-insensitive part of the name." }) search: string | null,
    @Ctx() ctx: Context,
  ): Promise<Connection<PartnerRecord>> {
    const filter = { countryCode: optionalCountryCode("countryCode", countryCode), search: searchTerm("search", search) };
    return providerDirectory(ctx.executor, filter, pageRequest(args));
  }

  @Query(() => PartnerProfile, { nullable: true, description: "The caller's organisation profile (C8)." })
  partnerProfile(@Ctx() ctx: Context): Promise<PartnerProfile | null> {
    return partnerProfile(ctx.executor, caller(ctx).partnerId);
  }

  @FieldResolver(() => CustomerConnection.connection, {
    description:
      "Customers that this organisation and the caller's both have a reseller relationship with (D-11); empty unless the two are partners.",
  })
  sharedCustomers(
    @Root() partner: PartnerRecord,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: Context,
  ): Promise<Connection<CustomerRecord>> {
    return partnerLoaders(ctx).sharedCustomers.load(partner.id, pageRequest(args));
  }
}

@Resolver(() => Provider)
export class ProviderResolver {
  @FieldResolver(() => ResellerConnection.connection, {
    description: "This provider's indirect resellers (D-9); shown only for the caller's own organisation.",
  })
  async indirectResellers(
    @Root() provider: PartnerRecord,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Connection<PartnerRecord>> {
    const { page, shared, read } = indirectResellersQuery(args, info, caller(ctx).partnerId, provider.id);
    if (!read || !shared) return partnerLoaders(ctx).indirectResellers.load(provider.id, page);
    const connection = await indirectResellersWithShared(ctx.executor, read, page);
    primeShared(ctx, connection.edges.map((edge) => edge.node), shared);
    return connection;
  }
}

@Resolver(() => Reseller)
export class ResellerResolver {
  @FieldResolver(() => [Provider], { description: "This reseller's indirect providers (D-9); shown only for the caller's own organisation." })
  async indirectProviders(@Root() reseller: PartnerRecord, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<PartnerRecord[]> {
    const { shared, read } = indirectProvidersQuery(info, caller(ctx).partnerId, reseller.id);
    if (!read || !shared) return partnerLoaders(ctx).indirectProviders.load(reseller.id);
    const providers = await indirectProvidersWithShared(ctx.executor, read);
    primeShared(ctx, providers, shared);
    return providers;
  }
}
