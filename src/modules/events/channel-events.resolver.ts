import { GraphQLError } from "graphql";
import neo4j from "neo4j-driver";
import { Arg, Field, ObjectType, Resolver, Root, Subscription, type SubscribeResolverData } from "type-graphql";
import { caller } from "../../shared/auth/caller.js";
import { capabilityError } from "../../shared/auth/capabilities.js";
import type { Viewer } from "../../shared/auth/viewer.js";
import type { Context } from "../../shared/context.js";
import { BadUserInputError, ForbiddenError, PasswordChangeRequiredError } from "../../shared/errors.js";
import { readableEventTypes } from "../../shared/events.js";
import { decodeCursor } from "../../shared/graphql/connection.js";
import { ChannelEventType } from "../../shared/graphql/enums.js";
import type { RequestExecutor } from "../../shared/neo4j/executor.js";
import { ChannelEvent } from "./channel-event.type.js";
import { encodeEventCursor, eventCursorSeq } from "./event-cursor.js";
import { LiveEventStream, LiveStreamEnded, type EventHub, type ReplayPage, type SequencedEvent } from "./hub.js";

@ObjectType("ChannelEventMessage", { description: "One event of a live `channelEvents` subscription (D-29), with the cursor to resume after it." })
export class ChannelEventMessage {
  @Field(() => String, { description: "Opaque; `channelEvents(after: cursor)` resumes after this event, missing nothing and repeating nothing." })
  cursor!: string;

  @Field(() => ChannelEvent)
  event!: SequencedEvent;
}

/**
 * What a WebSocket connection (src/app/subscriptions.ts) gives its operations' contexts: the
 * process's hub and the connection's bounds. Absent from an HTTP request's context.
 */
export interface LiveChannel {
  hub: EventHub;
  /** Events waiting for a slow client, per subscription, before its connection is closed. */
  maxBuffered: number;
  /** Events looked at per replay statement (events/since-scoped), at most. */
  replayScan: number;
  /** LIVE_MAX_REPLAY: how many `seq` behind the head a resume cursor may be. */
  maxReplay: number;
  /** The pause between replay pages with none of the organisation's events (ms). */
  replayPauseMs: number;
  /** Called when a subscription's client reads too slowly: closes its connection. */
  onOverflow(buffered: number): void;
  /**
   * The connection's running subscriptions, for its recheck (src/app/subscriptions.ts): each is
   * added when it starts and removed when it ends.
   */
  subscriptions: Set<LiveSubscription>;
}

/** A running channelEvents subscription, as its connection's recheck sees it. */
export interface LiveSubscription {
  /** The user read again (LIVE_RECHECK_MS): narrows the subscription's types or ends it. */
  recheck(viewer: Viewer): void;
}

/**
 * What a subscription may still deliver once its user is read again (LIVE_RECHECK_MS): an error
 * that ends it (T-6 a temporary password: PASSWORD_CHANGE_REQUIRED; T-7, D-4 an organisation no
 * longer ACTIVE: FORBIDDEN; D-28 none of its types readable any more: FORBIDDEN), or the types it
 * keeps: its current ones that the user still reads. Never more than it had: roles that grew take
 * effect at the next subscribe, as a resumed subscription (`after`) replays them.
 */
export function recheckedTypes(viewer: Viewer, current: ReadonlySet<string>): GraphQLError | Set<string> {
  const refused = liveEventsRefusal(viewer);
  if (refused) return refused;
  const readable = new Set<string>(readableEventTypes(viewer));
  const kept = new Set([...current].filter((type) => readable.has(type)));
  if (kept.size === 0) {
    return new ForbiddenError(
      "Your roles no longer read any of the event types of this subscription (D-28); it has ended. Subscribe again for the types you may read.",
      "C16",
    );
  }
  return kept;
}

const LIVE = Symbol("live channel");

/** The context of an operation received over WebSocket. */
export function withLiveChannel<T extends object>(context: T, live: LiveChannel): T {
  Object.defineProperty(context, LIVE, { value: live, enumerable: false });
  return context;
}

function notOverWebSocket(): GraphQLError {
  return new GraphQLError("channelEvents is a subscription: run it over WebSocket (graphql-ws protocol) on /graphql, not over HTTP.", {
    extensions: { code: "BAD_REQUEST" },
  });
}

function liveChannelOf(context: object): LiveChannel {
  const live = (context as { [LIVE]?: LiveChannel })[LIVE];
  if (!live) throw notOverWebSocket();
  return live;
}

function notACursor(): BadUserInputError {
  return new BadUserInputError(
    "after",
    "cursor",
    "is not a cursor of channelEvents or of the events feed of your organisation (D-29): pass the `cursor` of a message received, or an edge's cursor of `events`.",
  );
}

/**
 * `after` as a `seq`: a channelEvents cursor directly; a cursor of the `events` feed (D-29: the
 * same events) through its event, which must concern the caller's organisation (T-4: another's
 * reads as no cursor) and be numbered already (it is, within milliseconds of its commit).
 */
async function afterSeq(executor: RequestExecutor, after: string, partnerId: string): Promise<number> {
  const seq = eventCursorSeq(after);
  if (seq !== null) return seq;
  let eventId: string;
  try {
    eventId = decodeCursor(after, "after", "time").id;
  } catch {
    throw notACursor();
  }
  const [row] = await executor.read<{ seq: number | null }>("events/since-cursor", { eventId, partnerId });
  if (!row) throw notACursor();
  if (row.seq === null) {
    throw new BadUserInputError("after", "cursor", "names an event committed moments ago and not numbered yet (D-29); subscribe again in a second.");
  }
  return row.seq;
}

// ---------------------------------------------------------------------------- authorization

/**
 * Subscription.channelEvents' permission (src/app/permissions.ts: the same as the `events` feed's,
 * canAny C16, C1, C4), checked here too: graphql-shield wraps a field's `resolve`, which runs per
 * event, not `subscribe`, which starts the stream. Same codes as the rule chain: T-6 a temporary
 * password (PASSWORD_CHANGE_REQUIRED), T-7 the operator and D-4 a partner not ACTIVE (FORBIDDEN),
 * and D-28 a user whose roles read no event type (FORBIDDEN, the first capability's refusal).
 */
export function liveEventsRefusal(viewer: Viewer): GraphQLError | null {
  if (viewer.mustChangePassword) return new PasswordChangeRequiredError();
  if (!viewer.partnerId) return new ForbiddenError("Only partner users may do this; the operator sees no partner's data (T-7).");
  if (viewer.partnerStatus !== "ACTIVE") {
    return new ForbiddenError(`Your organisation's enrollment is ${viewer.partnerStatus}; until it is ACTIVE only \`me\` is available (D-4).`);
  }
  if (readableEventTypes(viewer).length === 0) return capabilityError(viewer, "C16") ?? capabilityError(viewer, "C1");
  return null;
}

interface ChannelEventsArgs {
  types?: ChannelEventType[] | null;
  after?: string | null;
}

/**
 * Starts one subscription (D-29): the caller's organisation's events (CONCERNS, T-1) of the types
 * its user reads (D-28), narrowed by `types` (a type the user may not read is left out, as the
 * feed does), from now, or from after `after` (replayed from Neo4j, then live: LiveEventStream).
 */
async function subscribeChannelEvents({ args, context }: SubscribeResolverData<unknown, ChannelEventsArgs, Context>): Promise<AsyncIterable<SequencedEvent | LiveStreamEnded>> {
  const live = liveChannelOf(context);
  const viewer = caller(context);
  const refused = liveEventsRefusal(viewer);
  if (refused) throw refused;
  const partnerId = viewer.partnerId!;
  const readable = readableEventTypes(viewer);
  const types = new Set<string>(args.types ? readable.filter((type) => args.types!.includes(type)) : readable);
  const after = typeof args.after === "string" ? await afterSeq(context.executor, args.after, partnerId) : null;
  const executor = context.executor;
  const handle: LiveSubscription = {
    recheck(now: Viewer) {
      const kept = recheckedTypes(now, stream.types);
      if (kept instanceof GraphQLError) stream.end(kept);
      else stream.narrow(kept);
    },
  };
  const stream: LiveEventStream = new LiveEventStream({
    hub: live.hub,
    partnerId,
    types,
    after,
    maxBuffered: live.maxBuffered,
    onOverflow: live.onOverflow,
    onFinish: () => live.subscriptions.delete(handle),
    replayPauseMs: live.replayPauseMs,
    replay: (from, until, current, room): Promise<ReplayPage> =>
      executor
        .read<ReplayPage>("events/since-scoped", {
          partnerId,
          types: [...current],
          after: neo4j.int(from),
          until: neo4j.int(until),
          scan: neo4j.int(Math.min(live.replayScan, room)),
        })
        .then(([page]) => page ?? { events: [], scannedTo: null }),
  });
  live.subscriptions.add(handle);
  try {
    await stream.start();
  } catch (error) {
    live.subscriptions.delete(handle);
    throw error;
  }
  // A resume bounded in work (LIVE_MAX_REPLAY): an old cursor is refused, not replayed by walking the whole outbox.
  if (stream.backlog > live.maxReplay) {
    await stream.return();
    throw new BadUserInputError(
      "after",
      "D-29",
      `is ${stream.backlog} events behind the newest, more than this server replays (${live.maxReplay}, LIVE_MAX_REPLAY): page the \`events\` feed to catch up first, then subscribe with after: <the newest edge's cursor>, or resume from a newer cursor.`,
    );
  }
  return stream;
}

@Resolver()
export class ChannelEventsResolver {
  @Subscription(() => ChannelEventMessage, {
    nullable: true,
    subscribe: subscribeChannelEvents,
    description:
      "D-29: the caller's organisation's channel events as they happen, of the types its user's roles read (D-28), over WebSocket (graphql-ws on /graphql, the token in connection_init). `after`: a message's cursor (or an `events` edge's) to resume after it without a gap.",
  })
  channelEvents(
    @Root() event: SequencedEvent | LiveStreamEnded | undefined,
    @Arg("types", () => [ChannelEventType], { nullable: true, description: "Only these types (each still needs its reading capability, D-28)." })
    _types: ChannelEventType[] | null,
    @Arg("after", () => String, { nullable: true }) _after: string | null,
  ): ChannelEventMessage {
    // Over HTTP a subscription operation is executed once, with no event.
    if (!event) throw notOverWebSocket();
    // The server ended the subscription (a recheck): its last message carries the reason.
    if (event instanceof LiveStreamEnded) throw event.error;
    return { cursor: encodeEventCursor(event.seq), event };
  }
}
