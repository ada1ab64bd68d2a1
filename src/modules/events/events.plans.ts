import { BadUserInputError } from "../../shared/errors.js";
import { CHANNEL_EVENT_TYPES } from "../../shared/events.js";
import { timePageRequest, type PageArgs, type PageRequest } from "../../shared/graphql/connection.js";
import type { ChannelEventType } from "../../shared/graphql/enums.js";
import { registerReadPlanners, type FieldReadPlanner, type ReadPlan } from "../../shared/read-planner.js";
import { listEventsRead } from "./events.repository.js";

export interface EventWhereArgs {
  types?: ChannelEventType[] | null;
}

/**
 * The types the feed reads: `where.types` (deduplicated; an empty list is BAD_USER_INPUT: leave it
 * out for every type) within `readable`, the types the caller's roles read (D-28). Null when that
 * is every type (no filter: totalCount is then the count store's degree, events/feed.cypher).
 */
export function feedTypes(where: EventWhereArgs | null | undefined, readable: readonly ChannelEventType[]): ChannelEventType[] | null {
  const asked = where?.types ?? null;
  if (asked !== null && asked.length === 0) {
    throw new BadUserInputError("where.types", "required", "must name at least one event type (leave it out for every type the caller may read, D-28).");
  }
  const types = CHANNEL_EVENT_TYPES.filter((type) => readable.includes(type) && (asked === null || asked.includes(type)));
  return types.length === CHANNEL_EVENT_TYPES.length ? null : types;
}

/**
 * How the root `events` field reads (D-28, D-29), from its arguments and the types the caller may
 * read: one function, used by the resolver and by the read planner (src/shared/read-planner.ts),
 * so the two cannot drift. `read` is null when the caller may read none of the types asked for
 * (the page is empty, nothing is read). `first` and `after` are checked first (BAD_USER_INPUT
 * naming the argument), as every list does.
 */
export function eventsQuery(
  args: PageArgs,
  where: EventWhereArgs | null | undefined,
  viewerPartnerId: string | null,
  readable: readonly ChannelEventType[],
): { page: PageRequest; read: ReadPlan | null } {
  // Newest first: the cursor's key is the event's `at` (an ISO instant), then its id.
  const page = timePageRequest(args);
  const types = feedTypes(where, readable);
  return { page, read: types !== null && types.length === 0 ? null : listEventsRead(viewerPartnerId, types, page) };
}

/**
 * The planner does not know the caller's roles (only its organisation): it plans the read of a
 * caller who reads every type, as every role that holds C1, C4 or C16 does (ROLES.md, D-28). For
 * any other caller the resolver's own read differs and goes to Neo4j on its own (one more
 * statement, never a different answer).
 */
export const eventReadPlanners: FieldReadPlanner[] = [
  {
    path: ["events"],
    parentType: "Query",
    plan: (args, _info, viewerPartnerId) => eventsQuery(args as PageArgs, args.where as EventWhereArgs | null, viewerPartnerId, CHANNEL_EVENT_TYPES).read,
  },
];

registerReadPlanners(eventReadPlanners);
