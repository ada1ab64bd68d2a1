import neo4j from "neo4j-driver";
import { BadUserInputError } from "../../shared/errors.js";
import type { Connection, PageRequest } from "../../shared/graphql/connection.js";
import { readPage } from "../../shared/neo4j/batch.js";
import type { RequestExecutor } from "../../shared/neo4j/executor.js";
import type { AuditEventRecord } from "./audit.type.js";

const FAR_FUTURE = new Date("9999-12-31T23:59:59.999Z");

/**
 * The time of a (time, id) cursor, as a Date. `page` comes from timePageRequest, which already
 * refused any key that is not an ISO instant; checked again here since a wrong Date would go
 * into the index seek.
 */
function cursorTime(page: PageRequest): Date | null {
  if (page.afterKey === null) return null;
  const time = new Date(page.afterKey);
  if (Number.isNaN(time.getTime()) || time.toISOString() !== page.afterKey) {
    throw new BadUserInputError("after", "cursor", "is not a cursor returned by this list (use pageInfo.endCursor).");
  }
  return time;
}

/** The organisation's events (written by src/shared/audit.ts), newest first on (at, id). */
export function listAuditEvents(executor: RequestExecutor, viewerPartnerId: string | null, page: PageRequest): Promise<Connection<AuditEventRecord>> {
  const maxAt = neo4j.types.DateTime.fromStandardDate(cursorTime(page) ?? FAR_FUTURE);
  return readPage(executor, "audit/list", { viewerPartnerId, maxAt }, page, (e: AuditEventRecord) => e.at.toISOString());
}
