import "reflect-metadata";
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { bearerToken, verifyToken, type TokenClaims } from "../shared/auth/jwt.js";
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from "graphql";
import { knownPartnerOf, loadViewer } from "../shared/auth/viewer.js";
import { planRead, selectsRootField, type FieldReadPlanner } from "../shared/graphql/prefetch.js";
import type { Config } from "../shared/config.js";
import { LoaderRegistry, type Context, type Services } from "../shared/context.js";
import { UnauthenticatedError } from "../shared/errors.js";
import type { Executor } from "../shared/neo4j/executor.js";
import { customerReadPlanners } from "../modules/customers/customer.plans.js";
import { partnerLoaders } from "../modules/partners/partner.loaders.js";
import { partnerReadPlanners } from "../modules/partners/partner.plans.js";
import type { PartnerRecord } from "../modules/partners/partner.type.js";
import { statsLoaders } from "../modules/stats/stats.loaders.js";
import type { ChannelStats } from "../modules/stats/stats.type.js";
import { userLoaders } from "../modules/users/user.loaders.js";
import type { UserRecord } from "../modules/users/user.type.js";

export interface ContextDeps {
  config: Config;
  executor: Executor;
  services: Services;
}

/** Fields whose read can go out with the viewer query (see planRead). */
export const READ_PLANNERS: FieldReadPlanner[] = [...customerReadPlanners, ...partnerReadPlanners];

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Built per request, before Apollo parses anything: a query-counting executor, empty loaders and
 * the bearer token's claims (a signature check, O(token), cached). The viewer itself is read
 * later, by `resolveViewer`, once the document has passed every limit.
 */
export async function buildContext(req: IncomingMessage, deps: ContextDeps): Promise<Context> {
  const header = req.headers["x-request-id"];
  const requestId = typeof header === "string" && REQUEST_ID.test(header) ? header : randomUUID();
  const executor = deps.executor.forRequest({ requestId, deadline: Date.now() + deps.config.requestBudgetMs });
  const context: Context = {
    requestId,
    config: deps.config,
    viewer: null,
    executor,
    loaders: new LoaderRegistry(),
    services: deps.services,
    clientIp: (req as IncomingMessage & { ip?: string }).ip ?? req.socket.remoteAddress ?? "unknown",
  };
  try {
    const token = bearerToken(req.headers.authorization);
    if (token) (context as PendingContext)[CLAIMS] = await verifyToken(token, deps.config.jwtSecret);
  } catch (error) {
    // A bad token refuses the whole request, whatever it asks for (SERVICE.md).
    if (error instanceof UnauthenticatedError) throw new UnauthenticatedError(error.message, 401);
    throw error;
  }
  return context;
}

/**
 * Verified claims of a request whose viewer has not been read yet: a property of the context
 * itself, since Apollo hands plugins and resolvers a shallow copy of the object built here.
 */
const CLAIMS = Symbol("pending token claims");
type PendingContext = Context & { [CLAIMS]?: TokenClaims };

/** What `resolveViewer` needs of the request, as Apollo has it after parsing and validation. */
export interface ResolvedOperation {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: unknown;
}

/**
 * Reads the viewer (roles, organisation, session version: from the graph, on every request) for
 * a request that carries a token, after Apollo has parsed and validated its document, so that no
 * work here grows with a document that has not passed the limits. With it, in the same
 * statement, goes the read the request's field will make (planRead) and the organisation's
 * ChannelStats when the operation selects `channelStats`.
 */
export async function resolveViewer(context: Context, request: ResolvedOperation): Promise<void> {
  const claims = (context as PendingContext)[CLAIMS];
  if (!claims) return;
  delete (context as PendingContext)[CLAIMS];
  const executor = context.executor;
  const partnerId = knownPartnerOf(claims.userId);
  const plan = partnerId ? planRead(request.schema, request.document, request.operation, request.variables, READ_PLANNERS, partnerId) : null;
  const withStats = selectsRootField(request.document, request.operation, "channelStats");
  const loaded = await loadViewer(executor, claims.userId, claims.sessionVersion, withStats, plan);
  if (!loaded) throw new UnauthenticatedError("This token is no longer valid; sign in again.", 401);
  context.viewer = loaded.viewer;
  executor.setUser(loaded.viewer.userId);
  // The viewer query read the caller's own records too: `me` needs no further query.
  userLoaders(context).byId.prime(loaded.viewer.userId, loaded.userRecord as unknown as UserRecord);
  if (loaded.partnerRecord) {
    partnerLoaders(context).byId.prime(loaded.partnerRecord.id as string, loaded.partnerRecord as unknown as PartnerRecord);
  }
  if (loaded.channelStats && loaded.viewer.partnerId) {
    statsLoaders(context).channel.prime(loaded.viewer.partnerId, loaded.channelStats as unknown as ChannelStats);
  }
}
