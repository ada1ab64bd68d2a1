import "reflect-metadata";
import type { IncomingMessage, ServerResponse } from "node:http";
import { bearerToken, verifyToken, type TokenClaims } from "../shared/auth/jwt.js";
import { knownPartnerOf, loadViewer } from "../shared/auth/viewer.js";
import type { Config } from "../shared/config.js";
import { LoaderRegistry, type Context, type Services } from "../shared/context.js";
import { UnauthenticatedError } from "../shared/errors.js";
import type { Executor, RequestExecutor } from "../shared/neo4j/executor.js";
import { consistencyKeyOf, readConsistencyToken, signConsistencyToken } from "../shared/neo4j/consistency-token.js";
import { planRequestRead, primeViewerRecords, type ValidatedRequest } from "../shared/read-planner.js";
import { requestIdOf } from "./access-log.js";
import { clientAddress } from "./rate-limit.js";

export interface ContextDeps {
  config: Config;
  executor: Executor;
  services: Services;
}

/**
 * Built per request, before Apollo parses anything: a query-counting executor, empty loaders and
 * the bearer token's claims (a signature check, O(token), cached). The viewer itself is read
 * later, by `resolveViewer`, once the document has passed every limit.
 */
export async function buildContext(req: IncomingMessage, deps: ContextDeps, over: ContextOverrides = {}): Promise<Context> {
  // The access log's id (the client's x-request-id when well-formed), sent back as x-request-id.
  const requestId = requestIdOf(req);
  const executor = deps.executor.forRequest({ requestId, deadline: over.noDeadline ? undefined : Date.now() + deps.config.requestBudgetMs });
  const context: Context = {
    requestId,
    config: deps.config,
    viewer: null,
    executor,
    loaders: new LoaderRegistry(),
    // One domain time per request (Context.now): planned reads and loaders read at the same instant.
    now: deps.services.clock.now(),
    services: deps.services,
    clientIp: clientAddress(req),
  };
  // Express's request knows its response; a WebSocket's upgrade request has none (no token there).
  const res = (req as IncomingMessage & { res?: ServerResponse }).res;
  if (res) carryConsistencyToken(req, res, executor, deps.config);
  try {
    const token = bearerToken("authorization" in over ? over.authorization : req.headers.authorization);
    if (token) (context as PendingContext)[CLAIMS] = await verifyToken(token, deps.config.jwtSecret);
  } catch (error) {
    // A bad token refuses the whole request, whatever it asks for (SERVICE.md).
    if (error instanceof UnauthenticatedError) throw new UnauthenticatedError(error.message, 401);
    throw error;
  }
  return context;
}

/**
 * Issue 15, causal consistency across processes (src/shared/neo4j/consistency-token.ts): the
 * request's X-Consistency-Token is checked here, before anything reads the database or the
 * bearer token (BAD_REQUEST, HTTP 400, when it is not one this deployment signed), and its
 * bookmarks become the request's (every statement reads at least that fresh). Each WRITE
 * transaction the request commits sets the response's X-Consistency-Token to its bookmarks
 * (the last one wins; Apollo writes the response after every resolver has finished).
 */
function carryConsistencyToken(req: IncomingMessage, res: ServerResponse, executor: RequestExecutor, config: Config): void {
  const key = consistencyKeyOf(config);
  const bookmarks = readConsistencyToken(key, req.headers["x-consistency-token"]);
  if (bookmarks) executor.requireBookmarks(bookmarks);
  executor.onWriteCommitted((committed) => {
    const token = signConsistencyToken(key, committed);
    if (token && !res.headersSent) res.setHeader("x-consistency-token", token);
  });
}

/**
 * A WebSocket operation (src/app/subscriptions.ts): its token comes from connection_init, not
 * from the upgrade request's headers, and a subscription's statements run after the request
 * budget (each still within the transaction timeout).
 */
export interface ContextOverrides {
  authorization?: string | undefined;
  noDeadline?: boolean;
}

/**
 * Verified claims of a request whose viewer has not been read yet: a property of the context
 * itself, since Apollo hands plugins and resolvers a shallow copy of the object built here.
 */
const CLAIMS = Symbol("pending token claims");
type PendingContext = Context & { [CLAIMS]?: TokenClaims };

/**
 * Reads the viewer (roles, organisation, session version: from the graph, on every request) for
 * a request that carries a token, after Apollo has parsed and validated its document, so that no
 * work here grows with a document that has not passed the limits. The read planner
 * (src/shared/read-planner.ts) sends the request's planned read in the same statement.
 */
export async function resolveViewer(context: Context, request: ValidatedRequest): Promise<void> {
  const claims = (context as PendingContext)[CLAIMS];
  if (!claims) return;
  delete (context as PendingContext)[CLAIMS];
  const executor = context.executor;
  const { read, withStats } = planRequestRead(request, knownPartnerOf(claims.userId), context.now);
  const loaded = await loadViewer(executor, claims.userId, claims.sessionVersion, withStats, read);
  if (!loaded) throw new UnauthenticatedError("This token is no longer valid; sign in again.", 401);
  context.viewer = loaded.viewer;
  executor.setUser(loaded.viewer.userId);
  primeViewerRecords(context, { userRecord: loaded.userRecord, partnerRecord: loaded.partnerRecord, channelStats: loaded.channelStats });
}
