import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { ApolloServerPlugin } from "@apollo/server";
import type { Request, RequestHandler, Response } from "express";
import type { GraphQLFormattedError } from "graphql";
import type { Context } from "../shared/context.js";
import type { Logger } from "../shared/logger.js";
import type { AppMetrics } from "./metrics.js";
import { clientAddress } from "./rate-limit.js";

/**
 * One access-log line per HTTP request, written when its response has ended (`close`), and the
 * request metrics (src/app/metrics.ts) at the same moment:
 *
 *   {"log":"access","requestId":"…","method":"POST","path":"/graphql","status":200,"durationMs":12.3,
 *    "operationName":"Customers","cypherStatements":2,"userId":"…","clientIp":"127.0.0.1","msg":"request"}
 *
 * plus `errorCodes` when the answer carried errors ("request aborted" when the client went away
 * first). Never a header value (so never the token), never the query text or its variables, never
 * the query string. The health probes (/healthz, /readyz) and /metrics are logged at `debug`
 * (a failing or refused one at `warn`); 5xx and INTERNAL_SERVER_ERROR at `error`; other 4xx at `warn`.
 *
 * Why not pino-http: what the line needs (the operation Apollo resolved, the viewer, the request's
 * Cypher statements, the error codes) is only known inside Apollo, and the metrics need the same
 * moment; pino-http would add a child logger per request and its own req/res objects, and still
 * need this file's record. One `close` listener gives exactly one line, aborted requests included.
 *
 * The request id is chosen here, first: the client's `x-request-id` when it is 1-64 characters of
 * `A-Za-z0-9._-`, else a random UUID. It is sent back as `x-request-id` and is the context's
 * `requestId` (src/app/context.ts), the transaction metadata Neo4j shows in `SHOW TRANSACTIONS`.
 */

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const RECORD = Symbol("access-log record");
const PROBES = new Set(["/healthz", "/readyz", "/metrics"]);

interface RequestRecord {
  requestId: string;
  started: number;
  /** Apollo's copy of the context (the one the viewer is set on), once Apollo has the request. */
  context?: Context;
  /** Set when Apollo answers a request it ran (or refused after its context was made). */
  apollo?: { operationName: string | null; errorCodes: string[] };
  /** The codes of a refusal sent outside that path (body, route, rate limit, token, CSRF). */
  refusalCodes?: string[];
}

type Recorded = { [RECORD]?: RequestRecord };

/** The request's id: the access log's, or (no access log in front) the same rule applied here. */
export function requestIdOf(req: IncomingMessage): string {
  const record = (req as IncomingMessage & Recorded)[RECORD];
  if (record) return record.requestId;
  const header = req.headers["x-request-id"];
  return typeof header === "string" && REQUEST_ID.test(header) ? header : randomUUID();
}

/** First middleware of the app. `metrics`: also observe each /graphql request. */
export function accessLog(options: { logger: Logger; metrics: AppMetrics | null; graphqlPath?: string }): RequestHandler {
  const graphqlPath = options.graphqlPath ?? "/graphql";
  return (req, res, next) => {
    const record: RequestRecord = { requestId: requestIdOf(req), started: performance.now() };
    (req as Request & Recorded)[RECORD] = record;
    res.setHeader("x-request-id", record.requestId);
    keepRefusalCodes(res, record);
    res.once("close", () => {
      const aborted = !res.writableFinished;
      const seconds = (performance.now() - record.started) / 1000;
      const path = pathOf(req.originalUrl);
      const errorCodes = record.apollo?.errorCodes ?? record.refusalCodes ?? [];
      const line = {
        log: "access",
        requestId: record.requestId,
        method: req.method,
        path,
        status: res.statusCode,
        durationMs: Math.round(seconds * 10_000) / 10,
        operationName: record.apollo?.operationName ?? null,
        cypherStatements: record.context?.executor ? record.context.executor.queryCount : null,
        userId: record.context?.viewer?.userId ?? null,
        clientIp: clientAddress(req),
        ...(errorCodes.length > 0 ? { errorCodes } : {}),
      };
      options.logger[levelOf(path, res.statusCode, errorCodes, aborted)](line, aborted ? "request aborted" : "request");
      if (options.metrics && path === graphqlPath) {
        options.metrics.observeRequest({ operationName: line.operationName, status: res.statusCode, errorCodes, seconds, aborted });
      }
    });
    next();
  };
}

/** Apollo's context for the request, tied to its access-log record (called by the context function). */
export function withAccessRecord(req: IncomingMessage, context: Context): Context {
  const record = (req as IncomingMessage & Recorded)[RECORD];
  // A symbol-keyed property: Apollo's shallow copy of the context keeps it, and GraphQL never sees it.
  if (record) (context as Context & Recorded)[RECORD] = record;
  return context;
}

/** Fills the record with what only Apollo knows: the operation's name, the error codes of its answer and its context. */
export const accessLogPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart({ contextValue }) {
    const record = (contextValue as Context & Recorded)[RECORD];
    if (!record) return;
    record.context = contextValue;
    return {
      async willSendResponse({ operationName, response }) {
        const errors = response.body.kind === "single" ? response.body.singleResult.errors : response.body.initialResult.errors;
        record.apollo = { operationName: operationName ?? null, errorCodes: codesOf(errors) };
      },
    };
  },
};

/**
 * A refusal made before Apollo ran the request (body-parser, the route, the rate limit, a bad
 * token, Apollo's CSRF check, a persisted query) is a small `{"errors":[...]}` body sent with
 * `res.send` (also under `res.json`): its codes are read from it. Answers Apollo ran are not read.
 */
function keepRefusalCodes(res: Response, record: RequestRecord): void {
  const send = res.send;
  res.send = function sendAndKeepCodes(this: Response, body?: unknown) {
    if (!record.apollo && typeof body === "string" && body.length <= 65_536 && body.startsWith('{"errors"')) {
      try {
        record.refusalCodes = codesOf((JSON.parse(body) as { errors?: GraphQLFormattedError[] }).errors);
      } catch {
        // not JSON after all: no codes
      }
    }
    return send.call(this, body);
  } as Response["send"];
}

function codesOf(errors: readonly GraphQLFormattedError[] | undefined): string[] {
  if (!errors || errors.length === 0) return [];
  const codes = new Set<string>();
  for (const error of errors) {
    const code = error.extensions?.code;
    codes.add(typeof code === "string" ? code.slice(0, 64) : "NO_CODE");
  }
  return [...codes];
}

/** The path only: a GET's query string carries the query and its variables. */
function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  const path = end === -1 ? url : url.slice(0, end);
  return path.length > 200 ? `${path.slice(0, 200)}…` : path;
}

function levelOf(path: string, status: number, errorCodes: readonly string[], aborted: boolean): "debug" | "info" | "warn" | "error" {
  if (PROBES.has(path)) return status >= 400 ? "warn" : "debug";
  if (status >= 500 || errorCodes.includes("INTERNAL_SERVER_ERROR")) return "error";
  if (status >= 400 || aborted) return "warn";
  return "info";
}
