/**
 * The peer: the same graph served by @neo4j/graphql 7 (generated schema and Cypher), over the
 * same HTTP stack as the API (Express 5, @as-integrations/express5, Apollo Server 5,
 * express.json), so that the difference measured is the GraphQL layer and its Cypher.
 *
 * It has no authorization: tenant scope is the caller's partner id, passed in `where` (or as an
 * argument of a @cypher field) by the operations of bench/lib/operations.ts, as a frontend would.
 * Each request counts the sessions it opens (one per root field's Cypher statement) and sends
 * the count as `x-cypher-queries`, like the API.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import { Neo4jGraphQL } from "@neo4j/graphql";
import express from "express";
import type { Driver, SessionConfig } from "neo4j-driver";

export const PEER_TYPE_DEFS = readFileSync(fileURLToPath(new URL("./typeDefs.graphql", import.meta.url)), "utf8");

export interface PeerHooks {
  /** Called with the request id (x-request-id) and the time a statement's transaction took. */
  onTransaction?(requestId: string, start: number, end: number): void;
}

interface PeerContext {
  executionContext: { session(config?: SessionConfig): ReturnType<Driver["session"]> };
  sessionConfig: { database: string };
  /** A holder, not a number: Apollo may shallow-copy the context object. */
  statements: { count: number };
}

export interface RunningPeer {
  url: string;
  httpServer: Server;
  close(): Promise<void>;
}

const countPlugin: ApolloServerPlugin<PeerContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response }) {
        response.http.headers.set("x-cypher-queries", String(contextValue.statements?.count ?? 0));
      },
    };
  },
};

export async function startPeer(driver: Driver, database: string, port: number, hooks: PeerHooks = {}): Promise<RunningPeer> {
  const neoSchema = new Neo4jGraphQL({ typeDefs: PEER_TYPE_DEFS, driver });
  const schema = await neoSchema.getSchema();
  const app = express();
  app.disable("x-powered-by");
  app.disable("etag"); // as the API's stack
  const httpServer = createServer(app);
  const apollo = new ApolloServer<PeerContext>({
    schema,
    introspection: false,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), countPlugin],
  });
  await apollo.start();
  app.use(
    "/graphql",
    express.json({ limit: "1mb" }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const requestId = String(req.headers["x-request-id"] ?? "");
        const context: PeerContext = {
          statements: { count: 0 },
          sessionConfig: { database },
          // @neo4j/graphql takes anything with session() as a driver: count and time each one.
          executionContext: {
            session(config?: SessionConfig) {
              context.statements.count += 1;
              const session = driver.session(config);
              const executeRead = session.executeRead.bind(session);
              session.executeRead = (async (...args: Parameters<typeof executeRead>) => {
                const start = performance.now();
                try {
                  return await executeRead(...args);
                } finally {
                  hooks.onTransaction?.(requestId, start, performance.now());
                }
              }) as typeof session.executeRead;
              return session;
            },
          },
        };
        return context;
      },
    }),
  );
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(port, "127.0.0.1", () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}/graphql`,
    httpServer,
    async close() {
      await apollo.stop();
    },
  };
}
