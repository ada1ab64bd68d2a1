import neo4j from "neo4j-driver";
import type { Viewer } from "../../shared/auth/viewer.js";
import { recordAudit } from "../../shared/audit.js";
import type { Connection, PageRequest } from "../../shared/graphql/connection.js";
import { newId } from "../../shared/ids.js";
import { readPage } from "../../shared/neo4j/batch.js";
import type { RequestExecutor } from "../../shared/neo4j/executor.js";

export interface LeadRecord {
  id: string;
  companyName: string;
  contactEmail: string;
  source: string;
  status: string;
  createdAt: Date;
}

/**
 * Newest first, keyset-paged on (createdAt, id). The cursor's key goes to Cypher's datetime():
 * `page` comes from timePageRequest, which lets only the ISO instants this list writes through.
 */
export function listLeads(executor: RequestExecutor, viewerPartnerId: string | null, page: PageRequest): Promise<Connection<LeadRecord>> {
  return readPage(executor, "leads/list", { viewerPartnerId }, page, (l: LeadRecord) => l.createdAt.toISOString());
}

export async function createLead(
  executor: RequestExecutor,
  viewer: Viewer,
  input: { companyName: string; contactEmail: string; source: string },
): Promise<LeadRecord> {
  const id = newId("Lead");
  const now = neo4j.int(Date.now());
  return executor.transaction("WRITE", async (tx) => {
    const [row] = await tx.run<{ lead: LeadRecord }>("leads/create", { viewerPartnerId: viewer.partnerId, id, now, ...input });
    await recordAudit(tx, { operation: "createLead", viewer, targetIds: [id] });
    return row.lead;
  });
}
