import neo4j from "neo4j-driver";
import { caller } from "../../shared/auth/caller.js";
import type { Context } from "../../shared/context.js";
import { batchLoader } from "../../shared/neo4j/batch.js";
import type { DelegatedAdminRecord } from "./delegated-admin.type.js";

/**
 * Per request: Customer.delegatedAdminRelationships for every customer of the response in one
 * statement (delegated-admin/by-customers), read at the request's time, scoped to the caller's
 * organisation (T-1, T-2).
 */
export function delegatedAdminLoaders(ctx: Context) {
  return ctx.loaders.get("delegated-admin", () => {
    const params = { viewerPartnerId: caller(ctx).partnerId, now: neo4j.int(ctx.services.clock.now()) };
    return {
      byCustomer: batchLoader<DelegatedAdminRecord[]>(
        ctx.executor,
        "delegated-admin/by-customers",
        params,
        (row) => [row.customerId as string, row.relationships as DelegatedAdminRecord[]],
        () => [],
      ),
    };
  });
}
