import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from "@apollo/server/plugin/landingPage/default";
import { expressMiddleware } from "@as-integrations/express5";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import express from "express";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import type { Config } from "../shared/config.js";
import type { Context, Services } from "../shared/context.js";
import { isPublicError } from "../shared/errors.js";
import { logger } from "../shared/logger.js";
import type { Executor } from "../shared/neo4j/executor.js";
import { buildContext } from "./context.js";
import { protect } from "./permissions.js";
import { buildAppSchema } from "./schema.js";

export interface AppDeps {
  config: Config;
  executor: Executor;
  services: Services;
}

export interface RunningApp {
  url: string;
  httpServer: Server;
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
      message: formatted.message.replace(/^Context creation failed: /, ""),
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

const MAX_TOKENS = 3_000;

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
    return `The query has more than ${MAX_TOKENS} tokens.`;
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

function armor() {
  const reject = [
    (ctx: { reportError(error: GraphQLError): void } | null, error: GraphQLError) =>
      ctx?.reportError(new GraphQLError(error.message, { extensions: { code: "QUERY_TOO_COMPLEX" } })),
  ];
  return new ApolloArmor({
    maxDepth: { n: 10, propagateOnRejection: false, onReject: reject, flattenFragments: true },
    // armor multiplies a list's cost by a literal `first` (a variable counts as 1), with 1.5x per
    // level: the limit lets the contract's heaviest read ask for its largest pages written inline
    // (IndirectResellers: 100 resellers x 20 shared customers, ~280k) as it may with variables;
    // `first` itself is capped at MAX_PAGE_SIZE on every connection.
    costLimit: { maxCost: 300_000, flattenFragments: true, propagateOnRejection: false, onReject: reject },
    maxAliases: { n: 15, propagateOnRejection: false, onReject: reject },
    maxDirectives: { n: 30, propagateOnRejection: false, onReject: reject },
    // armor's token limit re-parses the query outside Apollo's error handling (a syntax error
    // would escape as a 500); graphql-js's own `maxTokens` parse option does the same job.
    maxTokens: { enabled: false },
  }).protect();
}

export async function startApp(deps: AppDeps, port: number, host = "127.0.0.1"): Promise<RunningApp> {
  const { config, executor } = deps;
  // tsx turns source maps on, and neo4j-driver reads `new Error().stack` for every query it runs,
  // so each query paid for mapping its stack frames (~7% of the API's CPU under load). Production
  // logs stacks of the transpiled code instead; development keeps TypeScript positions.
  if (config.production) process.setSourceMapsEnabled(false);
  const schema = protect(await buildAppSchema());
  const app = express();
  app.disable("x-powered-by");
  // Express hashes every body it sends for an ETag; nothing revalidates a GraphQL POST answer.
  app.disable("etag");
  const httpServer = createServer(app);
  const protection = armor();

  const apollo = new ApolloServer<Context>({
    schema,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: MAX_TOKENS },
    // main.ts owns shutdown (API, driver, local Neo4j, in that order); Apollo's own handlers would race it.
    stopOnTerminationSignals: false,
    formatError,
    validationRules: [...protection.validationRules],
    plugins: [
      // graphql-armor ships CommonJS typings of @apollo/server; the runtime objects are the same.
      ...(protection.plugins as unknown as ApolloServerPlugin<Context>[]),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // The API sets no cache hints; Apollo's default cache-control plugin would still wrap every
      // field's resolver to compute them (~500 fields on a page of customers).
      ApolloServerPluginCacheControlDisabled(),
      ...(config.exposeQueryCount ? [queryCountPlugin] : []),
      config.production
        ? ApolloServerPluginLandingPageProductionDefault({ footer: false })
        : ApolloServerPluginLandingPageLocalDefault({ embed: true, footer: false, document: SANDBOX_DOCUMENT }),
    ],
  });
  await apollo.start();

  app.get("/healthz", (_req, res) => {
    res.status(200).json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    const ready = await executor.ping();
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "neo4j unavailable" });
  });
  app.use(
    "/graphql",
    express.json({ limit: "1mb" }),
    expressMiddleware(apollo, {
      context: ({ req }) => buildContext(req, { config, executor, services: deps.services, schema }),
    }),
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(port, host, () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  const shownHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return {
    url: `http://${shownHost}:${address.port}/graphql`,
    httpServer,
    async close() {
      await apollo.stop();
    },
  };
}
