import "reflect-metadata";
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { bearerToken, verifyToken } from "../shared/auth/jwt.js";
import type { GraphQLSchema } from "graphql";
import { knownPartnerOf, loadViewer } from "../shared/auth/viewer.js";
import { planRead, type FieldReadPlanner, type GraphQLRequestBody } from "../shared/graphql/prefetch.js";
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
  /** The executable schema: lets the context plan the request's read (planRead). */
  schema?: GraphQLSchema;
}

/** Fields whose read can go out with the viewer query (see planRead). */
export const READ_PLANNERS: FieldReadPlanner[] = [...customerReadPlanners, ...partnerReadPlanners];

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Whether the request's document names a field, read from the raw text before Apollo parses it:
 * a wrong guess costs a few O(1) reads (it names it but does not select it) or one statement more
 * (a persisted query with no text), never a wrong answer.
 */
function names(req: IncomingMessage, field: string): boolean {
  const body = (req as IncomingMessage & { body?: unknown }).body;
  const query = typeof body === "object" && body !== null ? (body as { query?: unknown }).query : undefined;
  return typeof query === "string" ? query.includes(field) : (req.url ?? "").includes(field);
}

/** Built per request: the viewer (read from the graph), a query-counting executor, empty loaders. */
export async function buildContext(req: IncomingMessage, deps: ContextDeps): Promise<Context> {
  const header = req.headers["x-request-id"];
  const requestId = typeof header === "string" && REQUEST_ID.test(header) ? header : randomUUID();
  const executor = deps.executor.forRequest({ requestId });
  const context: Context = {
    requestId,
    config: deps.config,
    viewer: null,
    executor,
    loaders: new LoaderRegistry(),
    services: deps.services,
  };
  try {
    const token = bearerToken(req.headers.authorization);
    if (token) {
      const claims = await verifyToken(token, deps.config.jwtSecret);
      const partnerId = knownPartnerOf(claims.userId);
      const plan =
        deps.schema && partnerId
          ? planRead(deps.schema, (req as IncomingMessage & { body?: GraphQLRequestBody }).body, READ_PLANNERS, partnerId)
          : null;
      const loaded = await loadViewer(executor, claims.userId, claims.sessionVersion, names(req, "channelStats"), plan);
      if (!loaded) throw new UnauthenticatedError("This token is no longer valid; sign in again.");
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
  } catch (error) {
    // A bad token refuses the whole request, whatever it asks for (SERVICE.md).
    if (error instanceof UnauthenticatedError) throw new UnauthenticatedError(error.message, 401);
    throw error;
  }
  return context;
}
