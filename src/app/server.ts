import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import { expressMiddleware } from "@as-integrations/express5";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import express from "express";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import helmet from "helmet";
import type { Config } from "../shared/config.js";
import type { Context, Services } from "../shared/context.js";
import { isPublicError } from "../shared/errors.js";
import { logger, type Logger } from "../shared/logger.js";
import type { Executor } from "../shared/neo4j/executor.js";
import { cutQuotedValues } from "../shared/validation.js";
import { KnownOperationTypesRule } from "../shared/graphql/known-operation-types.js";
import { accessLog, accessLogPlugin, withAccessRecord } from "./access-log.js";
import { buildContext, resolveViewer } from "./context.js";
import { corsMiddleware } from "./cors.js";
import { boundedDocumentStore, documentGate, loadTrustedManifest } from "./documents.js";
import { explorerRoutes } from "./explorer.js";
import { graphiqlRoutes, withGraphiqlLink } from "./graphiql.js";
import { jsonErrorHandler, notFoundHandler } from "./http-errors.js";
import { LIMITS } from "./limits.js";
import { createMetrics } from "./metrics.js";
import { systemClock, type Clock } from "../shared/clock.js";
import { protect } from "./permissions.js";
import { HttpDrain } from "./shutdown.js";
import { createRateLimits, type LimiterStore } from "./rate-limit.js";
import { buildAppSchema } from "./schema.js";
import { EventRuntime } from "../modules/events/runtime.js";
import { startSubscriptionServer } from "./subscriptions.js";

export interface AppDeps {
  config: Config;
  executor: Executor;
  /** The clock defaults to the system's (a test may pass one it moves). */
  services: Omit<Services, "clock"> & { clock?: Clock };
  /** Where the access log goes (src/app/access-log.ts); default: the process's logger. */
  logger?: Logger;
  /** Where the rate limits count (src/app/rate-limit.ts); default: this process's memory. A cluster worker's: its primary (src/app/cluster.ts). */
  rateLimitStore?: LimiterStore;
}

export interface RunningApp {
  url: string;
  httpServer: Server;
  /** Channel events' background work in this process (src/modules/events/runtime.ts). */
  events: EventRuntime;
  close(): Promise<void>;
}

const SANDBOX_DOCUMENT = readFileSync(fileURLToPath(new URL("./sandbox/examples.graphql", import.meta.url)), "utf8");

/**
 * Lets typed errors through (they carry a public code and a message written for the caller)
 * and turns anything else into a generic INTERNAL_SERVER_ERROR: no driver text, no Cypher, no
 * stack. The original is logged with the request's path.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const tooComplex = queryLimitMessage(formatted, error);
  if (tooComplex) return { message: tooComplex, extensions: { code: "QUERY_TOO_COMPLEX" } };
  const original = unwrapResolverError(error);
  const candidate = original instanceof GraphQLError ? original : error;
  if (isPublicError(candidate) || isPublicError(error)) {
    const { stacktrace: _stacktrace, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
    return {
      // graphql-js and Apollo quote refused values whole (issue 10, point 8): at most 40 characters of each.
      message: cutQuotedValues(formatted.message.replace(/^Context creation failed: /, "")),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions,
    };
  }
  logger.error({ err: original, path: formatted.path }, "unexpected error");
  return {
    message: "Internal server error",
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: "INTERNAL_SERVER_ERROR" },
  };
}

/**
 * A query over one of the limits, whichever way it was refused: graphql-armor's validation rules
 * report QUERY_TOO_COMPLEX, but Apollo re-wraps every validation error as
 * GRAPHQL_VALIDATION_FAILED (keeping ours as originalError); the token limit is graphql-js's own
 * parser option, so it arrives as a parse failure.
 */
function queryLimitMessage(formatted: GraphQLFormattedError, error: unknown): string | null {
  const cause = error instanceof GraphQLError ? error.originalError : undefined;
  if (cause instanceof GraphQLError && cause.extensions?.code === "QUERY_TOO_COMPLEX") {
    return cause.message.replace(/^Syntax Error: /, "");
  }
  if (formatted.extensions?.code === "GRAPHQL_PARSE_FAILED" && /contains more th\w+ \d+ tokens/.test(formatted.message)) {
    return `The query has more than ${LIMITS.maxTokens} tokens.`;
  }
  return null;
}

/** Reports how many Cypher queries a request ran (the "no N+1" measure), when enabled. */
const queryCountPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response }) {
        response.http.headers.set("x-cypher-queries", String(contextValue.executor?.queryCount ?? 0));
      },
    };
  },
};

/**
 * After Apollo has parsed and validated the document (every limit has run), before execution:
 * the viewer is read, with the request's planned read (context.resolveViewer). Every answer is
 * marked `Cache-Control: no-store`: it depends on the caller's token and on live data.
 */
const requestPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ contextValue, schema, document, operation, request }) {
        if (operation) await resolveViewer(contextValue, { schema, document, operation, variables: request.variables });
      },
      async willSendResponse({ response }) {
        response.http.headers.set("cache-control", "no-store");
      },
    };
  },
};

function armor() {
  const reject = [
    (ctx: { reportError(error: GraphQLError): void } | null, error: GraphQLError) =>
      ctx?.reportError(new GraphQLError(error.message, { extensions: { code: "QUERY_TOO_COMPLEX" } })),
  ];
  return new ApolloArmor({
    maxDepth: { n: LIMITS.maxDepth, propagateOnRejection: false, onReject: reject, flattenFragments: true },
    costLimit: { maxCost: LIMITS.maxCost, flattenFragments: true, propagateOnRejection: false, onReject: reject },
    maxAliases: { n: LIMITS.maxAliases, propagateOnRejection: false, onReject: reject },
    maxDirectives: { n: LIMITS.maxDirectives, propagateOnRejection: false, onReject: reject },
    // armor's token limit re-parses the query outside Apollo's error handling (a syntax error
    // would escape as a 500); graphql-js's own `maxTokens` parse option does the same job.
    maxTokens: { enabled: false },
  }).protect();
}

export async function startApp(deps: AppDeps, port: number, host = "127.0.0.1"): Promise<RunningApp> {
  const { config, executor } = deps;
  // tsx turns source maps on, and neo4j-driver reads `new Error().stack` for every query it runs,
  // so each query paid for mapping its stack frames (visible in CPU profiles under load). Production
  // logs stacks of the transpiled code instead; development keeps TypeScript positions.
  if (config.production) process.setSourceMapsEnabled(false);
  const schema = protect(await buildAppSchema());
  const app = express();
  app.disable("x-powered-by");
  // First, so that every request gets its id, its access-log line and (on /graphql) its metrics.
  const metrics = config.metrics.enabled ? createMetrics({ executor, token: config.metrics.token }) : null;
  app.use(accessLog({ logger: deps.logger ?? logger, metrics }));
  app.use(securityHeaders(config.production));
  // Express hashes every body it sends for an ETag; nothing revalidates a GraphQL POST answer.
  app.disable("etag");
  const httpServer = createServer(app);
  // Shutdown: stop accepting, answer what was read (Connection: close), then stop Apollo (close()).
  const drain = new HttpDrain(httpServer);
  const protection = armor();
  const validationRules = [KnownOperationTypesRule, ...protection.validationRules];
  const safelist = config.trustedDocuments === "only" ? loadTrustedManifest() : undefined;

  const apollo = new ApolloServer<Context>({
    schema,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: LIMITS.maxTokens },
    // Bounded by bytes (a parsed document keeps its text alive), and persisted queries are
    // resolved before Apollo by documentGate.
    documentStore: boundedDocumentStore(),
    persistedQueries: false,
    // main.ts owns shutdown (API, driver, local Neo4j, in that order); Apollo's own handlers would race it.
    stopOnTerminationSignals: false,
    formatError,
    validationRules,
    plugins: [
      // graphql-armor ships CommonJS typings of @apollo/server; the runtime objects are the same.
      ...(protection.plugins as unknown as ApolloServerPlugin<Context>[]),
      // The API sets no cache hints; Apollo's default cache-control plugin would still wrap every
      // field's resolver to compute them (~500 fields on a page of customers).
      ApolloServerPluginCacheControlDisabled(),
      requestPlugin,
      accessLogPlugin,
      ...(config.exposeQueryCount ? [queryCountPlugin] : []),
      // Production serves no landing page (Apollo's names its version); a browser gets the JSON error of a GET without a query.
      config.production
        ? ApolloServerPluginLandingPageDisabled()
        : withGraphiqlLink(ApolloServerPluginLandingPageLocalDefault({ embed: true, footer: false, document: SANDBOX_DOCUMENT })),
    ],
  });
  await apollo.start();

  app.get("/healthz", (_req, res) => {
    res.status(200).json({ status: "ok" });
  });
  // Answers within 2 s whatever Neo4j does (ping's own timeout); 503 once shutdown has begun.
  app.get("/readyz", async (_req, res) => {
    if (drain.isDraining) {
      res.status(503).json({ status: "shutting down" });
      return;
    }
    const ready = await executor.ping();
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "neo4j unavailable" });
  });
  // METRICS (off in production unless METRICS=on or METRICS_TOKEN): otherwise a 404 like any unknown path. No rate limit.
  if (metrics) app.get("/metrics", metrics.handler);
  // The self-hosted GraphiQL (src/app/graphiql.ts): development only, like Sandbox and introspection.
  if (!config.production) app.use(graphiqlRoutes());
  // The channel explorer (src/app/explorer.ts): development and production; it holds no privilege of its own.
  app.use(explorerRoutes());
  // TRUST_PROXY: which X-Forwarded-For hops make `req.ip` (the rate limits' client address).
  app.set("trust proxy", config.trustProxy);
  const limits = createRateLimits(config, { passwords: deps.services.passwords, store: deps.rateLimitStore });
  const services: Services = { ...deps.services, clock: deps.services.clock ?? systemClock, passwords: limits.passwords };
  const events = new EventRuntime({ config, executor, services, logger: deps.logger });
  const cors = corsMiddleware(config);
  app.use(
    "/graphql",
    // CORS_ORIGINS first: a preflight is answered here, and refusals below (429, 413) carry the headers a page needs to read them.
    ...(cors ? [cors] : []),
    // The caller's request rate, before the body is read (O(Authorization header)).
    limits.requests,
    express.json({ limit: LIMITS.maxBodyBytes }),
    documentGate({ trusted: config.trustedDocuments, safelist }),
    expressMiddleware(apollo, {
      context: async ({ req }) => withAccessRecord(req, await buildContext(req, { config, executor, services })),
    }),
  );
  app.use(notFoundHandler);
  app.use(jsonErrorHandler);
  // channelEvents over WebSocket (graphql-ws) on the same server and path (src/app/subscriptions.ts, D-29).
  const subscriptions = startSubscriptionServer({
    httpServer, schema, validationRules, formatError, config, executor, services, hub: events.hub, safelist, logger: deps.logger ?? logger,
    chargeUser: limits.chargeUser,
    // An upgrade request never passes Express: its client address as Express would read it (TRUST_PROXY).
    clientAddress: (req) =>
      (Object.create(app.request, { headers: { value: req.headers }, socket: { value: req.socket }, connection: { value: req.socket } }) as express.Request).ip ??
      req.socket.remoteAddress ??
      "unknown",
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(port, host, () => resolve());
  });
  events.start();
  const address = httpServer.address() as AddressInfo;
  const shownHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return {
    url: `http://${shownHost}:${address.port}/graphql`,
    httpServer,
    events,
    async close() {
      // Every request already read is answered (up to SHUTDOWN_GRACE_MS) before Apollo stops;
      // the caller closes the driver after this. WebSocket connections first (1001): they would
      // keep the HTTP server open.
      await subscriptions.close();
      await drain.drain(config.shutdownGraceMs);
      await apollo.stop();
      await events.stop();
      metrics?.close();
    },
  };
}

/**
 * helmet's headers (nosniff, frame-ancestors none, no referrer, ...). Its Content-Security-Policy
 * is for production: in development Apollo Sandbox is an embedded page from Apollo's CDN. HSTS
 * only when the request came over https (directly, or as X-Forwarded-Proto through a proxy that
 * TRUST_PROXY names): a plain-http development server must not pin browsers to https.
 */
function securityHeaders(production: boolean): express.RequestHandler {
  const base = helmet({
    contentSecurityPolicy: production ? { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } } : false,
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: false,
  });
  const hsts = helmet.strictTransportSecurity({ maxAge: 31_536_000, includeSubDomains: true });
  return (req, res, next) => {
    base(req, res, (error?: unknown) => {
      if (error) return next(error);
      if (req.secure) return hsts(req, res, next);
      next();
    });
  };
}
