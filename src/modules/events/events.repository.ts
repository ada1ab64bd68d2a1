import { toConnection, type Connection, type PageRequest } from "../../shared/graphql/connection.js";
import type { ChannelEventType } from "../../shared/graphql/enums.js";
import { pageRead, readPlannedPage } from "../../shared/neo4j/batch.js";
import type { RequestExecutor } from "../../shared/neo4j/executor.js";
import type { ReadPlan } from "../../shared/read-planner.js";
import type { ChannelEventRecord } from "./channel-event.type.js";

/** A (at, id) cursor's key: the event's time as the ISO instant timePageRequest accepts (newest first). */
export const eventSortKey = (e: ChannelEventRecord): string => new Date(e.at).toISOString();

/**
 * D-28, D-29: one keyset page of the events that concern the caller's organisation, of `types`
 * (null: every type), newest first (events/feed.cypher).
 */
export function listEventsRead(viewerPartnerId: string | null, types: readonly ChannelEventType[] | null, page: PageRequest): ReadPlan {
  return pageRead("events/feed", { viewerPartnerId, types: types === null ? null : [...types] }, page);
}

/** The page; `read` null: the caller may read none of the types asked for, so nothing is read. */
export function listEvents(executor: RequestExecutor, read: ReadPlan | null, page: PageRequest): Promise<Connection<ChannelEventRecord>> {
  if (read === null) return Promise.resolve(toConnection<ChannelEventRecord>([], 0, page, eventSortKey));
  return readPlannedPage<ChannelEventRecord>(executor, read, page, eventSortKey);
}
