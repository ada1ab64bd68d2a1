import type { Connection, PageRequest } from "../../shared/graphql/connection.js";
import { readPage } from "../../shared/neo4j/batch.js";
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
