import neo4j from "neo4j-driver";
import { caller } from "../../shared/auth/caller.js";
import type { Context } from "../../shared/context.js";
import { batchLoader, byIdLoader } from "../../shared/neo4j/batch.js";
import type { Params } from "../../shared/neo4j/executor.js";
import type { DelegatedAdminRecord } from "../delegated-admin/delegated-admin.type.js";
import type { PartnerRecord } from "../partners/partner.type.js";
import type { ChannelPathRecord, CustomerRecord, ServiceHealth, SubscriptionRecord } from "./customer.type.js";

function listOf<V>(key: string, field: string) {
  return (row: Params): [string, V[]] => [row[key] as string, row[field] as V[]];
}

/** Per request; every query is scoped to the caller's organisation ($viewerPartnerId). */
export function customerLoaders(ctx: Context) {
  return ctx.loaders.get("customers", () => {
    const scope = { viewerPartnerId: caller(ctx).partnerId };
    const exec = ctx.executor;
    return {
      byId: byIdLoader<CustomerRecord>(exec, "customers/by-ids", scope, "customer"),
      subscriptionById: byIdLoader<SubscriptionRecord>(exec, "customers/subscriptions-by-ids", scope, "subscription"),
      partners: batchLoader<PartnerRecord[]>(exec, "customers/partners", scope, listOf("customerId", "partners"), () => []),
      subscriptions: batchLoader<SubscriptionRecord[]>(
        exec,
        "customers/subscriptions",
        scope,
        listOf("customerId", "subscriptions"),
        () => [],
      ),
      channelPaths: batchLoader<ChannelPathRecord[]>(exec, "customers/channel-paths", scope, listOf("customerId", "paths"), () => []),
      serviceHealth: batchLoader<ServiceHealth[]>(exec, "customers/service-health", scope, listOf("customerId", "services"), () => []),
      /**
       * Customer.delegatedAdminRelationships (D-25, T-1, T-2), at the request's time (Context.now):
       * primed by the customer and customers reads when they bring them along (the read planner's
       * one statement), else one statement for every customer of the response.
       */
      delegatedAdmin: batchLoader<DelegatedAdminRecord[]>(
        exec,
        "delegated-admin/by-customers",
        { ...scope, now: neo4j.int(ctx.now) },
        listOf("customerId", "relationships"),
        () => [],
      ),
    };
  });
}
