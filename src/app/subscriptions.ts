import type { IncomingMessage, Server } from "node:http";
import {
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  Kind,
  visit,
  type ASTNode,
  type DocumentNode,
  type ExecutionArgs,
  type OperationDefinitionNode,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ValidationRule,
} from "graphql";
import type { Context as WsContext, SubscribePayload } from "graphql-ws";
import { useServer, type Extra } from "graphql-ws/use/ws";
import { WebSocket, WebSocketServer } from "ws";
import { decodeJwt } from "jose";
import { withLiveChannel, type LiveSubscription } from "../modules/events/channel-events.resolver.js";
import type { EventHub } from "../modules/events/hub.js";
import { subscribeSharing, type OperationKey } from "../modules/events/live-results.js";
import { bearerToken } from "../shared/auth/jwt.js";
import { loadViewer } from "../shared/auth/viewer.js";
import type { Config } from "../shared/config.js";
import type { Context, Services } from "../shared/context.js";
import { RateLimitedError, UnauthenticatedError } from "../shared/errors.js";
import type { Logger } from "../shared/logger.js";
import type { Executor } from "../shared/neo4j/executor.js";
import { buildContext, resolveViewer } from "./context.js";
import { sha256Hex } from "./documents.js";
import { LiveWebSocket } from "./live-socket.js";
import { LIMITS } from "./limits.js";

/**
 * Live subscriptions (D-29): the graphql-ws protocol on the HTTP server's own /graphql path.
 *
 * - Connection: the token is `{ "authorization": "Bearer <token>" }` in connection_init. It is
 *   checked and the viewer read exactly as for an HTTP request (context.ts: buildContext,
 *   resolveViewer); a missing, bad, expired or revoked token closes the connection with 4403
 *   (graphql-ws's Forbidden). No connection_init within LIVE_INIT_TIMEOUT_MS: 4408; a message
 *   that is not the protocol's: 4400; more than LIMITS.maxBodyBytes in one message: 1009.
 * - Each subscribe message meets the HTTP limits in the same order (limits.ts): query length,
 *   trusted documents (TRUSTED_DOCUMENTS=only: the safelist; extensions.persistedQuery by hash),
 *   the token limit while parsing, then graphql-js's rules with graphql-armor's (depth, cost,
 *   aliases, directives) and KnownOperationTypesRule, and only then the viewer, read again with
 *   the connection's token (a password changed since the connection closes it, 4403). Only
 *   subscriptions run here: queries and mutations go over HTTP, where the rate limits are.
 * - Bounds: LIVE_MAX_CONNECTIONS per process (the upgrade is answered 503); LIVE_MAX_PENDING_PER_ADDRESS
 *   connections of one client address not yet initialised (the next upgrade from it is answered 429,
 *   before the handshake); LIVE_MAX_CONNECTIONS_PER_USER connections of one user (the next
 *   connection_init of that user is closed 4429 "Too many requests": graphql-ws's client takes 4429
 *   as fatal and does not retry); LIVE_MAX_SUBSCRIPTIONS subscribe messages in flight per connection
 *   (started and not yet ended, counted here: graphql-ws forgets an id completed while its
 *   onSubscribe still runs, so its own map cannot bound them; the next one gets RATE_LIMITED);
 *   every subscribe message is charged to its user's request-rate bucket, the one HTTP requests
 *   use (RATE_LIMIT_PER_MINUTE; RATE_LIMITED); LIVE_MAX_BUFFERED events waiting per subscription,
 *   live and replayed together (a client that reads slower than its events arrive is closed with
 *   1013, "try again later": it resumes with `after`, memory does not grow); LIVE_MAX_REPLAY: a
 *   resume cursor further behind the head is BAD_USER_INPUT (page the `events` feed first).
 * - A socket closed while its connection_init is being checked (the viewer read) registers nothing.
 * - Errors are formatted as over HTTP (server.ts formatError): typed codes, nothing internal.
 * - The messages a connection sends in one turn of the event loop (a batch of events handed over
 *   together) leave in one write (src/app/live-socket.ts, LiveWebSocket).
 * - A long-lived connection is checked again, never per event:
 *   - at the token's `exp` (a timer per connection): closed 4403, as an expired token at
 *     connection_init is (graphql-ws's client may retry 4403 with fresh connectionParams, a new
 *     token; 4401 would make it give up);
 *   - every LIVE_RECHECK_MS (default 60 s), each connection that runs subscriptions has its viewer
 *     read again (auth/viewer: one read per user and session version, shared by that user's
 *     connections; none while no subscription runs). A token revoked (a changed or reset password
 *     bumps the session version) or a removed user: closed 4403, as at connection_init. A user
 *     still signed in: each subscription keeps the types it delivers that the user still reads
 *     (D-28: as a new subscribe and the feed would narrow them, so one lost role does not end a
 *     dashboard's other types), and ends with an error (a `next` with channelEvents null and the
 *     error, then `complete`) when none is left (FORBIDDEN), the organisation is no longer ACTIVE
 *     (D-4, FORBIDDEN) or the password must be changed (T-6, PASSWORD_CHANGE_REQUIRED). A
 *     subscription never gains types: roles that grow take effect at the next subscribe. Neo4j
 *     away during a recheck: logged once per run of failures, the connections stay as they were.
 */

export const GRAPHQL_PATH = "/graphql";

/** A slow client (LIVE_MAX_BUFFERED), or Neo4j unreachable at connection_init: RFC 6455 "Try Again Later". */
export const CLOSE_TRY_AGAIN_LATER = 1013;
/** Shutdown (RFC 6455 "Going Away"). */
export const CLOSE_GOING_AWAY = 1001;
/** graphql-ws's Forbidden: a refused or revoked token. */
export const CLOSE_FORBIDDEN = 4403;
/** LIVE_MAX_CONNECTIONS_PER_USER: "Too many requests" (graphql-ws's client does not retry 4429). */
export const CLOSE_TOO_MANY_REQUESTS = 4429;

export interface SubscriptionServerDeps {
  httpServer: Server;
  /** The protected schema (the permission map applied). */
  schema: GraphQLSchema;
  /** The HTTP server's own validation rules beyond graphql-js's (armor, KnownOperationTypesRule). */
  validationRules: readonly ValidationRule[];
  formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
  config: Config;
  executor: Executor;
  services: Services;
  hub: EventHub;
  /** TRUSTED_DOCUMENTS=only: the safelist (hash -> text). */
  safelist?: Map<string, string>;
  logger: Logger;
  /** Charges one request to the user's request-rate bucket (rate-limit.ts); throws RateLimitedError over the limit. */
  chargeUser?(userId: string): Promise<void>;
  /** The client address of an upgrade request (TRUST_PROXY as Express reads it); default the socket's. */
  clientAddress?(req: IncomingMessage): string;
}

export interface SubscriptionServer {
  /** Open WebSocket connections. */
  readonly connections: number;
  /** Closes every connection (1001) and stops accepting upgrades; the HTTP server stays up. */
  close(): Promise<void>;
}

interface ConnectionState {
  /** The connection_init token, as an Authorization header. */
  authorization: string;
  /** The token's subject and session version (verified at connection_init). */
  userId: string;
  sessionVersion: number;
  /** The token's `exp`, in epoch milliseconds. */
  expiresAt: number;
  expiry: NodeJS.Timeout | undefined;
  socket: WebSocket;
  /** The connection's running channelEvents subscriptions (added and removed by the resolver). */
  subscriptions: Set<LiveSubscription>;
  /** Subscribe messages started and not yet ended (LIVE_MAX_SUBSCRIPTIONS). */
  inFlight: number;
  closed: boolean;
}

/** setTimeout's longest delay; a later expiry re-arms the timer when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Viewer reads of one recheck in flight at once. */
const RECHECK_CONCURRENCY = 4;
/** Events looked at per replay statement, and the pause between replay pages with none of the organisation's. */
const REPLAY_SCAN = 1_000;
const REPLAY_PAUSE_MS = 10;

type Ctx = WsContext<Record<string, unknown> | undefined, Extra & Partial<Record<PropertyKey, never>>>;

/** What the viewer read at connection time is planned for: nothing (a subscription plans no read). */
const CONNECT_DOCUMENT = parse("subscription { __typename }", { noLocation: true });

/**
 * The live results memo's key of one subscribe message (src/modules/events/live-results.ts): what
 * executing its selection for an event depends on: the document's text, the operation, and the
 * variables the selection uses. Variables used only as arguments of the root channelEvents field
 * (`types`, `after`) choose WHICH events the stream gives (the resolver's subscribe), not what an
 * event's execution returns, so they are left out: subscribers resuming from different cursors
 * share the execution. Any other shape (the root field through a fragment): every variable counts.
 */
function operationKey(text: string, operation: OperationDefinitionNode, document: DocumentNode, payload: SubscribePayload): OperationKey {
  const used = new Set<string>();
  const collect = (node: ASTNode) =>
    visit(node, {
      Variable(variable) {
        used.add(variable.name.value);
      },
    });
  const [root] = operation.selectionSet.selections;
  let allVariables = true;
  if (operation.selectionSet.selections.length === 1 && root.kind === Kind.FIELD && root.name.value === "channelEvents") {
    allVariables = false;
    for (const directive of root.directives ?? []) collect(directive);
    for (const directive of operation.directives ?? []) collect(directive);
    if (root.selectionSet) collect(root.selectionSet);
    for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) collect(definition);
  }
  const given = (payload.variables ?? {}) as Record<string, unknown>;
  const variables = allVariables ? given : Object.fromEntries(Object.entries(given).filter(([name]) => used.has(name)));
  return sha256Hex(JSON.stringify([text, payload.operationName ?? null, variables]));
}

function codeError(code: string, message: string, originalError?: GraphQLError): GraphQLError {
  return new GraphQLError(message, { extensions: { code }, ...(originalError ? { originalError, nodes: originalError.nodes } : {}) });
}

export function startSubscriptionServer(deps: SubscriptionServerDeps): SubscriptionServer {
  const { config, schema, logger } = deps;
  const live = config.live;
  const contextDeps = { config, executor: deps.executor, services: deps.services };
  const rules = [...specifiedRules, ...deps.validationRules];
  const states = new WeakMap<object, ConnectionState>();
  /** Contexts whose socket has closed (onClose ran): an onConnect still running for one registers nothing. */
  const closedContexts = new WeakSet<object>();
  /** Every acknowledged connection still open (the recheck walks them). */
  const connected = new Set<ConnectionState>();
  /** The acknowledged connections of each user (LIVE_MAX_CONNECTIONS_PER_USER). */
  const byUser = new Map<string, Set<ConnectionState>>();
  /** Sockets not yet initialised, with their client address (LIVE_MAX_PENDING_PER_ADDRESS). */
  const pendingSockets = new Map<WebSocket, string>();
  const pendingByAddress = new Map<string, number>();
  const gauge = deps.hub.gauge;
  /** Each started operation's key in the live results memo (the ExecutionArgs onSubscribe returned). */
  const operationKeys = new WeakMap<ExecutionArgs, OperationKey>();
  const addressOf = deps.clientAddress ?? ((req: IncomingMessage) => req.socket.remoteAddress ?? "unknown");

  function updateGauge(): void {
    gauge.sockets = wss.clients.size;
    gauge.connections = connected.size;
    gauge.pending = pendingSockets.size;
  }

  /** The socket is initialised or gone: it no longer counts against its address. */
  function releasePending(socket: WebSocket): void {
    const address = pendingSockets.get(socket);
    if (address === undefined) return;
    pendingSockets.delete(socket);
    const left = (pendingByAddress.get(address) ?? 1) - 1;
    if (left > 0) pendingByAddress.set(address, left);
    else pendingByAddress.delete(address);
    updateGauge();
  }

  const wss: WebSocketServer = new WebSocketServer({
    server: deps.httpServer,
    path: GRAPHQL_PATH,
    maxPayload: LIMITS.maxBodyBytes,
    // Each connection's sends coalesced per turn of the event loop (src/app/live-socket.ts).
    WebSocket: LiveWebSocket,
    // Refused before the upgrade, so a refused client costs no socket state: LIVE_MAX_CONNECTIONS
    // (503) and LIVE_MAX_PENDING_PER_ADDRESS (429).
    verifyClient: (info, done) => {
      if (wss.clients.size >= live.maxConnections) {
        done(false, 503, "Too many WebSocket connections on this server; try again later.", { "retry-after": "5" });
      } else if ((pendingByAddress.get(addressOf(info.req)) ?? 0) >= live.maxPendingPerAddress) {
        done(false, 429, "Too many WebSocket connections from this address waiting for connection_init; try again later.", { "retry-after": "1" });
      } else done(true);
    },
  });
  // An upgraded socket is pending until its connection_init is accepted or it closes. (ws emits
  // `connection` synchronously after verifyClient accepts, so the count cannot be overshot.)
  wss.on("connection", (socket: WebSocket, req: IncomingMessage) => {
    if (socket instanceof LiveWebSocket) socket.coalesce(req.socket, gauge.sends);
    const address = addressOf(req);
    pendingSockets.set(socket, address);
    pendingByAddress.set(address, (pendingByAddress.get(address) ?? 0) + 1);
    socket.once("close", () => {
      releasePending(socket);
      updateGauge();
    });
    updateGauge();
  });

  const format = (error: GraphQLError): GraphQLFormattedError => deps.formatError(error.toJSON(), error);

  /** The text to run, or the refusal (documents.ts's documentGate, for one subscribe message). */
  function documentText(payload: SubscribePayload): string | GraphQLError {
    const query = typeof payload.query === "string" ? payload.query : undefined;
    if (query !== undefined && query.length > LIMITS.maxQueryChars) {
      return codeError("QUERY_TOO_COMPLEX", `The query text is longer than ${LIMITS.maxQueryChars} characters.`);
    }
    const persisted = (payload.extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } } | null | undefined)?.persistedQuery;
    let text = query;
    if (persisted !== undefined) {
      if (persisted === null || typeof persisted !== "object" || persisted.version !== 1 || typeof persisted.sha256Hash !== "string" || !/^[0-9a-f]{64}$/.test(persisted.sha256Hash)) {
        return codeError("BAD_REQUEST", "extensions.persistedQuery must be { version: 1, sha256Hash: <64 lower-case hex digits> }.");
      }
      if (text !== undefined && text !== "") {
        if (sha256Hex(text) !== persisted.sha256Hash) {
          return codeError("PERSISTED_QUERY_HASH_MISMATCH", "extensions.persistedQuery.sha256Hash is not the SHA-256 of the query text.");
        }
      } else {
        text = deps.safelist?.get(persisted.sha256Hash);
        if (text === undefined) return codeError("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound");
      }
    }
    if (text === undefined || text === "") return codeError("BAD_REQUEST", "The subscribe message has no query.");
    if (config.trustedDocuments === "only" && !deps.safelist?.has(sha256Hex(text))) {
      return codeError("PERSISTED_QUERY_NOT_ALLOWED", "This server runs only trusted documents (TRUSTED_DOCUMENTS=only), and this one is not among them.");
    }
    return text;
  }

  function parseDocument(text: string): DocumentNode | GraphQLError {
    try {
      return parse(text, { maxTokens: LIMITS.maxTokens });
    } catch (error) {
      const syntax = error instanceof GraphQLError ? error : new GraphQLError(String(error));
      if (/contains more th\w+ \d+ tokens/.test(syntax.message)) return codeError("QUERY_TOO_COMPLEX", `The query has more than ${LIMITS.maxTokens} tokens.`);
      return new GraphQLError(syntax.message, { nodes: syntax.nodes, source: syntax.source, positions: syntax.positions, extensions: { code: "GRAPHQL_PARSE_FAILED" } });
    }
  }

  /** A token that stopped being valid while connected: the connection goes, as a bad token's would. */
  function forbid(ctx: Ctx): void {
    ctx.extra.socket.close(CLOSE_FORBIDDEN, "Forbidden");
  }

  function dropConnection(state: ConnectionState): void {
    state.closed = true;
    if (state.expiry) clearTimeout(state.expiry);
    state.expiry = undefined;
    connected.delete(state);
    const mine = byUser.get(state.userId);
    if (mine?.delete(state) && mine.size === 0) byUser.delete(state.userId);
    // Subscribe messages still in flight end with the socket; they no longer count.
    gauge.inFlightSubscribes -= state.inFlight;
    state.inFlight = 0;
    updateGauge();
  }

  /** A subscribe message has ended (refused, failed, or its operation completed). */
  function releaseSubscribe(state: ConnectionState): void {
    if (state.closed || state.inFlight === 0) return;
    state.inFlight -= 1;
    gauge.inFlightSubscribes -= 1;
  }

  /** Closes a connection whose token stopped being valid (4403; graphql-ws then ends its subscriptions). */
  function revoke(state: ConnectionState, reason: string): void {
    if (state.closed) return;
    dropConnection(state);
    state.socket.close(CLOSE_FORBIDDEN, reason);
  }

  /** The timer at the token's `exp`. */
  function armExpiry(state: ConnectionState): void {
    const wait = state.expiresAt - Date.now();
    if (wait <= 0) return revoke(state, "Forbidden: the token has expired; connect again with a new one");
    state.expiry = setTimeout(() => armExpiry(state), Math.min(wait, MAX_TIMER_MS));
    state.expiry.unref();
  }

  let recheckFailures = 0;
  let rechecking = false;

  /**
   * Reads again the viewer of every connection that runs subscriptions (LIVE_RECHECK_MS): one
   * auth/viewer read per (user, session version), RECHECK_CONCURRENCY at a time.
   */
  async function recheckConnections(): Promise<void> {
    if (rechecking || connected.size === 0) return;
    rechecking = true;
    try {
      const now = Date.now();
      const groups = new Map<string, ConnectionState[]>();
      for (const state of connected) {
        if (now >= state.expiresAt) {
          revoke(state, "Forbidden: the token has expired; connect again with a new one");
          continue;
        }
        if (state.subscriptions.size === 0) continue;
        const key = `${state.userId}\u0000${state.sessionVersion}`;
        const group = groups.get(key);
        if (group) group.push(state);
        else groups.set(key, [state]);
      }
      if (groups.size === 0) return;
      const executor = deps.executor.forRequest({ operation: "live:recheck" });
      const pending = [...groups.values()];
      let failed = false;
      const worker = async (): Promise<void> => {
        for (let group = pending.shift(); group && !failed; group = pending.shift()) {
          const { userId, sessionVersion } = group[0];
          let loaded: Awaited<ReturnType<typeof loadViewer>>;
          try {
            loaded = await loadViewer(executor, userId, sessionVersion);
          } catch (error) {
            // Neo4j away: the connections stay as they are until a recheck reads them.
            failed = true;
            recheckFailures += 1;
            if (recheckFailures === 1) logger.warn({ err: error }, "live recheck: reading the viewers failed");
            return;
          }
          for (const state of group) {
            if (state.closed) continue;
            if (!loaded) {
              revoke(state, "Forbidden: the token is no longer valid (password changed or reset, or user removed)");
              continue;
            }
            for (const subscription of [...state.subscriptions]) subscription.recheck(loaded.viewer);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(RECHECK_CONCURRENCY, pending.length) }, worker));
      if (!failed) recheckFailures = 0;
    } finally {
      rechecking = false;
    }
  }

  const recheckTimer = setInterval(() => void recheckConnections().catch((error: unknown) => logger.error({ err: error }, "live recheck failed")), live.recheckMs);
  recheckTimer.unref();

  const server = useServer<Record<string, unknown> | undefined>(
    {
      schema,
      connectionInitWaitTimeout: live.initTimeoutMs,
      isProd: config.production,
      // graphql-js's subscribe, each event's execution shared by the subscribers of the same
      // operation (src/modules/events/live-results.ts); only for operations onSubscribe let through.
      subscribe: (args: ExecutionArgs) => subscribeSharing(args, deps.hub.results, operationKeys.get(args)),

      async onConnect(ctx) {
        const socket: WebSocket = ctx.extra.socket;
        const params = ctx.connectionParams ?? {};
        const raw = params.authorization ?? params.Authorization;
        if (typeof raw !== "string" || raw === "") return false;
        gauge.connecting += 1;
        try {
          const context = await buildContext(ctx.extra.request, contextDeps, { authorization: raw });
          await resolveViewer(context, { schema, document: CONNECT_DOCUMENT, operation: getOperationAST(CONNECT_DOCUMENT)!, variables: {} });
          if (!context.viewer) return false;
        } catch (error) {
          if (error instanceof UnauthenticatedError) return false;
          // Neo4j away (SERVICE_UNAVAILABLE) or worse: not the client's fault; it may try again.
          logger.warn({ err: error }, "WebSocket connection_init failed");
          socket.close(CLOSE_TRY_AGAIN_LATER, "Service unavailable; try again later");
          return false;
        } finally {
          gauge.connecting -= 1;
        }
        // The socket closed while the viewer was read: onClose has run already, so nothing may be
        // registered now (it would stay, with its expiry timer, until the token expires).
        if (closedContexts.has(ctx) || socket.readyState !== WebSocket.OPEN) return false;
        const claims = decodeJwt(bearerToken(raw)!);
        const userId = String(claims.sub);
        let mine = byUser.get(userId);
        if (mine && mine.size >= live.maxConnectionsPerUser) {
          socket.close(
            CLOSE_TOO_MANY_REQUESTS,
            `Too many requests: at most ${live.maxConnectionsPerUser} live connections per user (LIVE_MAX_CONNECTIONS_PER_USER)`,
          );
          return false;
        }
        const state: ConnectionState = {
          authorization: raw,
          userId,
          sessionVersion: Number(claims.sv),
          expiresAt: Number(claims.exp) * 1000,
          expiry: undefined,
          socket,
          subscriptions: new Set(),
          inFlight: 0,
          closed: false,
        };
        states.set(ctx, state);
        connected.add(state);
        if (!mine) byUser.set(userId, (mine = new Set()));
        mine.add(state);
        releasePending(socket);
        updateGauge();
        armExpiry(state);
        return !state.closed;
      },

      onClose(ctx) {
        closedContexts.add(ctx);
        releasePending(ctx.extra.socket);
        const state = states.get(ctx);
        if (state) dropConnection(state);
        updateGauge();
      },

      async onSubscribe(ctx, _id, payload) {
        const state = states.get(ctx);
        if (!state) {
          forbid(ctx);
          return [codeError("UNAUTHENTICATED", "The connection is not authorized.")];
        }
        // LIVE_MAX_SUBSCRIPTIONS over the subscribe messages in flight on this connection, counted
        // here before any await (graphql-ws drops an id completed meanwhile from ctx.subscriptions).
        if (state.inFlight >= live.maxSubscriptionsPerConnection) {
          gauge.refusedSubscribes += 1;
          return [
            codeError(
              "RATE_LIMITED",
              `At most ${live.maxSubscriptionsPerConnection} subscriptions run at once on one connection (LIVE_MAX_SUBSCRIPTIONS); complete one first.`,
            ),
          ];
        }
        state.inFlight += 1;
        gauge.inFlightSubscribes += 1;
        gauge.maxInFlightPerConnection = Math.max(gauge.maxInFlightPerConnection, state.inFlight);
        let started = false;
        try {
          const result = await startSubscribe(ctx, state, payload);
          // Exec args: the operation runs, and onComplete ends it. Errors: it has ended here.
          started = !Array.isArray(result);
          return result;
        } finally {
          if (!started) releaseSubscribe(state);
        }
      },

      onComplete(ctx) {
        const state = states.get(ctx);
        if (state) releaseSubscribe(state);
      },

      onNext(_ctx, _id, _payload, _args, result: ExecutionResult): FormattedExecutionResult | void {
        if (!result.errors) return;
        return { ...result, errors: result.errors.map(format) } as FormattedExecutionResult;
      },

      onError(_ctx, _id, _payload, errors) {
        return errors.map(format);
      },
    },
    wss,
  );

  /** One subscribe message, counted in flight: the rate bucket, the HTTP limits, the viewer, then the operation. */
  async function startSubscribe(ctx: Ctx, state: ConnectionState, payload: SubscribePayload): Promise<GraphQLError[] | ExecutionArgs> {
    // Each subscribe message is a request of its user (RATE_LIMIT_PER_MINUTE, the HTTP bucket).
    try {
      await deps.chargeUser?.(state.userId);
    } catch (error) {
      if (error instanceof RateLimitedError) return [error];
      throw error;
    }
    const text = documentText(payload);
    if (text instanceof GraphQLError) return [text];
    const document = parseDocument(text);
    if (document instanceof GraphQLError) return [document];
    const invalid = validate(schema, document, rules);
    if (invalid.length > 0) {
      return invalid.map((error) =>
        error.extensions?.code === "QUERY_TOO_COMPLEX"
          ? codeError("QUERY_TOO_COMPLEX", error.message, error)
          : new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: "GRAPHQL_VALIDATION_FAILED" }, originalError: error }),
      );
    }
    const operation = getOperationAST(document, payload.operationName ?? undefined);
    if (!operation) {
      return [codeError("OPERATION_RESOLUTION_FAILURE", "The document has several operations (or none of this name): name the one to run in `operationName`.")];
    }
    if (operation.operation !== "subscription") {
      return [codeError("BAD_REQUEST", "Only subscriptions run over WebSocket; send queries and mutations to POST /graphql.")];
    }
    let context: Context;
    try {
      context = await buildContext(ctx.extra.request, contextDeps, { authorization: state.authorization, noDeadline: true });
      await resolveViewer(context, { schema, document, operation, variables: payload.variables ?? {} });
    } catch (error) {
      if (error instanceof UnauthenticatedError) {
        forbid(ctx);
        return [codeError("UNAUTHENTICATED", error.message)];
      }
      return [error instanceof GraphQLError ? error : codeError("INTERNAL_SERVER_ERROR", "Internal server error")];
    }
    const socket: WebSocket = ctx.extra.socket;
    withLiveChannel(context, {
      hub: deps.hub,
      maxBuffered: live.maxBufferedEvents,
      replayScan: REPLAY_SCAN,
      maxReplay: live.maxReplay,
      replayPauseMs: REPLAY_PAUSE_MS,
      subscriptions: state.subscriptions,
      onOverflow: (buffered) => {
        logger.warn({ buffered }, "closing a WebSocket whose client reads its events too slowly");
        socket.close(
          CLOSE_TRY_AGAIN_LATER,
          `Too slow: more than ${live.maxBufferedEvents} events waiting; reconnect and resume with after: <last cursor>`.slice(0, 123),
        );
      },
    });
    const args: ExecutionArgs = { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue: context };
    operationKeys.set(args, operationKey(text, operation, document, payload));
    return args;
  }

  return {
    get connections() {
      return wss.clients.size;
    },
    async close() {
      clearInterval(recheckTimer);
      for (const state of [...connected]) dropConnection(state);
      for (const client of wss.clients) client.close(CLOSE_GOING_AWAY, "Server shutting down");
      // Clients answer the close at once; one that does not is cut after a second.
      const deadline = Date.now() + 1_000;
      while (wss.clients.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      for (const client of wss.clients) client.terminate();
      await server.dispose();
    },
  };
}
