import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import type { RequestHandler } from "express";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { PUBLIC_ERROR_CODES } from "../shared/errors.js";
import { logger } from "../shared/logger.js";
import type { Executor } from "../shared/neo4j/executor.js";
import { TRUSTED_DOCUMENTS_FILE, type PersistedQueryManifest } from "./documents.js";
import { sendGraphQLError } from "./http-errors.js";

/**
 * Prometheus metrics (prom-client), served at GET /metrics in the text format. Each app has its
 * own Registry, so several apps in one process (the tests) never share or clash over a metric:
 * - `graphql_request_duration_seconds{operation, outcome}`: every /graphql request, from its first
 *   byte read to its last byte written. `operation` is a contract operation's name (the trusted
 *   documents manifest), `other` for any other name and `none` when there is none (anonymous, or
 *   refused before Apollo named it): a client cannot grow the label set. `outcome`: `ok`,
 *   `client_error` (any error code but those below, or a 4xx), `server_error`
 *   (`INTERNAL_SERVER_ERROR`, `SERVICE_UNAVAILABLE`, or a 5xx) or `aborted` (the client went away).
 * - `graphql_errors_total{code}`: /graphql answers carrying each error code (once per answer and
 *   code); a code not among SERVICE.md's is counted as `OTHER`.
 * - `neo4j_transaction_duration_seconds{mode}`: every transaction (and auto-commit read) attempt,
 *   READ or WRITE, from opening its session to its end (the executor's observer).
 * - `neo4j_sessions_in_use`: sessions open now, each holding or waiting for a pooled connection
 *   (the executor counts them: neo4j-driver has no public pool statistics; the pool holds 100).
 * - prom-client's default Node.js metrics: `nodejs_eventloop_lag_seconds` (and its percentiles),
 *   heap, GC, CPU, handles, file descriptors.
 */
export interface AppMetrics {
  registry: Registry;
  /** A finished (or aborted) /graphql request. */
  observeRequest(request: ObservedRequest): void;
  /** GET /metrics (with METRICS_TOKEN, only for `Authorization: Bearer <token>`). */
  handler: RequestHandler;
  /** Stops observing the executor. */
  close(): void;
}

export interface ObservedRequest {
  operationName: string | null;
  status: number;
  errorCodes: readonly string[];
  seconds: number;
  aborted: boolean;
}

const SERVER_ERRORS = new Set(["INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE"]);
const KNOWN_CODES = new Set<string>(PUBLIC_ERROR_CODES);

export function createMetrics(options: { executor: Executor; token?: string; operations?: ReadonlySet<string> }): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const operations = options.operations ?? contractOperationNames();
  const requestDuration = new Histogram({
    name: "graphql_request_duration_seconds",
    help: "GraphQL requests on /graphql by operation (contract names; other; none) and outcome (ok, client_error, server_error, aborted).",
    labelNames: ["operation", "outcome"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors = new Counter({
    name: "graphql_errors_total",
    help: "GraphQL answers carrying an error, by extensions.code (once per answer and code).",
    labelNames: ["code"] as const,
    registers: [registry],
  });
  const transactions = new Histogram({
    name: "neo4j_transaction_duration_seconds",
    help: "Neo4j transactions (and auto-commit reads), per attempt, from opening the session to the end, by access mode.",
    labelNames: ["mode"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
    registers: [registry],
  });
  const { executor } = options;
  new Gauge({
    name: "neo4j_sessions_in_use",
    help: "Neo4j sessions open in this process, each holding or waiting for one pooled connection (the driver exposes no pool statistics).",
    registers: [registry],
    collect() {
      this.set(executor.sessionsInUse);
    },
  });
  const stopObserving = executor.observe({
    transactionEnded: (mode, seconds) => transactions.observe({ mode }, seconds),
  });

  const expected = options.token === undefined ? null : sha256(`Bearer ${options.token}`);
  const handler: RequestHandler = (req, res, next) => {
    if (expected && !timingSafeEqual(sha256(req.headers.authorization ?? ""), expected)) {
      sendGraphQLError(res, 401, "UNAUTHENTICATED", "GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`.", {}, { "WWW-Authenticate": 'Bearer realm="metrics"' });
      return;
    }
    registry.metrics().then((text) => {
      res.status(200).type(registry.contentType).set("cache-control", "no-store").send(text);
    }, next);
  };

  return {
    registry,
    handler,
    observeRequest({ operationName, status, errorCodes, seconds, aborted }) {
      const operation = operationName === null ? "none" : operations.has(operationName) ? operationName : "other";
      requestDuration.observe({ operation, outcome: outcomeOf(status, errorCodes, aborted) }, seconds);
      for (const code of new Set(errorCodes)) errors.inc({ code: KNOWN_CODES.has(code) ? code : "OTHER" });
    },
    close: stopObserving,
  };
}

function outcomeOf(status: number, errorCodes: readonly string[], aborted: boolean): string {
  if (aborted) return "aborted";
  if (status >= 500 || errorCodes.some((code) => SERVER_ERRORS.has(code))) return "server_error";
  if (status >= 400 || errorCodes.length > 0) return "client_error";
  return "ok";
}

/** The contract's operation names, from the trusted documents manifest (`npm run trusted:emit`). */
export function contractOperationNames(file = TRUSTED_DOCUMENTS_FILE): Set<string> {
  try {
    const manifest = JSON.parse(readFileSync(file, "utf8")) as PersistedQueryManifest;
    return new Set(manifest.operations.map((operation) => operation.name));
  } catch (error) {
    logger.warn({ err: error, file }, "no operation names for metrics: every operation is counted as `other`");
    return new Set();
  }
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}
