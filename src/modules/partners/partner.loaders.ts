import { caller } from "../../shared/auth/caller.js";
import type { Context } from "../../shared/context.js";
import { batchLoader, PagedLoader, byIdLoader } from "../../shared/neo4j/batch.js";
import { registerViewerRecord } from "../../shared/read-planner.js";
import type { CustomerRecord } from "../customers/customer.type.js";
import { sharedPageParams } from "./partner.repository.js";
import type { PartnerRecord } from "./partner.type.js";

export const partnerSortKey = (p: PartnerRecord): string => p.nameLower;

export function partnerLoaders(ctx: Context) {
  return ctx.loaders.get("partners", () => {
    const scope = { viewerPartnerId: caller(ctx).partnerId };
    const lists = { ...scope, ...sharedPageParams(null) };
    const exec = ctx.executor;
    return {
      byId: byIdLoader<PartnerRecord>(exec, "partners/by-ids", scope, "partner"),
      indirectResellers: new PagedLoader<PartnerRecord>(exec, "partners/indirect-resellers", lists, partnerSortKey),
      indirectProviders: batchLoader<PartnerRecord[]>(
        exec,
        "partners/indirect-providers",
        lists,
        (row) => [row.resellerId as string, row.providers as PartnerRecord[]],
        () => [],
      ),
      sharedCustomers: new PagedLoader<CustomerRecord>(exec, "partners/shared-customers", scope, (c) => c.companyNameLower),
    };
  });
}

// The viewer query brings the caller's own organisation along.
registerViewerRecord<PartnerRecord>("partnerRecord", (ctx, record) => partnerLoaders(ctx).byId.prime(record.id, record));
