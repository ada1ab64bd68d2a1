import neo4j from "neo4j-driver";
import { pageParams, type Connection, type PageRequest } from "../../shared/graphql/connection.js";
import type { ReadPlan } from "../../shared/read-planner.js";
import { pageRead, readPage, readPlannedPage } from "../../shared/neo4j/batch.js";
import type { RequestExecutor } from "../../shared/neo4j/executor.js";
import { partnerSortKey } from "./partner.loaders.js";
import type { PartnerProfile, PartnerRecord } from "./partner.type.js";

export function providerDirectory(
  executor: RequestExecutor,
  filter: { countryCode: string | null; search: string | null },
  page: PageRequest,
): Promise<Connection<PartnerRecord>> {
  return readPage(executor, "partners/directory", filter, page, partnerSortKey);
}

export async function partnerProfile(executor: RequestExecutor, viewerPartnerId: string | null): Promise<PartnerProfile | null> {
  const [row] = await executor.read<{ profile: PartnerProfile }>("partners/profile", { viewerPartnerId });
  return row?.profile ?? null;
}

/**
 * Parameters of partners/indirect-resellers and partners/indirect-providers for the
 * sharedCustomers page fetched along (look-ahead), or for none.
 */
export function sharedPageParams(shared: PageRequest | null) {
  if (!shared) return { withShared: false, sharedLimit: neo4j.int(1), sharedAfterKey: null, sharedAfterId: null };
  const { limit, afterKey, afterId } = pageParams(shared);
  return { withShared: true, sharedLimit: neo4j.int(limit), sharedAfterKey: afterKey, sharedAfterId: afterId };
}

/** The provider's page of indirect resellers, each with its page of customers shared with the caller. */
export function indirectResellersRead(viewerPartnerId: string | null, providerId: string, page: PageRequest, shared: PageRequest): ReadPlan {
  return pageRead("partners/indirect-resellers", { viewerPartnerId, ids: [providerId], ...sharedPageParams(shared) }, page);
}

export function indirectResellersWithShared(executor: RequestExecutor, read: ReadPlan, page: PageRequest): Promise<Connection<PartnerRecord>> {
  return readPlannedPage(executor, read, page, partnerSortKey);
}

/** The reseller's indirect providers, each with its page of customers shared with the caller. */
export function indirectProvidersRead(viewerPartnerId: string | null, resellerId: string, shared: PageRequest): ReadPlan {
  return { query: "partners/indirect-providers", params: { viewerPartnerId, ids: [resellerId], ...sharedPageParams(shared) } };
}

export async function indirectProvidersWithShared(executor: RequestExecutor, read: ReadPlan): Promise<PartnerRecord[]> {
  const [row] = await executor.read<{ providers: PartnerRecord[] }>(read.query, read.params);
  return row?.providers ?? [];
}
