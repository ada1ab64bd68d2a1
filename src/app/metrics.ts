import cluster from "node:cluster";
import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import type { RequestHandler } from "express";
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type Aggregator, type MetricObjectWithValues, type MetricValue } from "prom-client";
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
 *
 * With WEB_CONCURRENCY > 1 (src/app/cluster.ts) the worker that gets GET /metrics (METRICS and
 * METRICS_TOKEN as always) asks its primary over the IPC channel, which collects every worker's
 * registry (getMetricsAsJSON) and its own default metrics and aggregates them (prom-client's
 * AggregatorRegistry.aggregate, see `aggregateClusterMetrics`): one scrape shows the machine,
 * whichever worker answers. A worker that does not answer within CLUSTER_SCRAPE_WAIT_MS is left
 * out of that scrape (`api_cluster_scrape_workers{result="missed"}` says so).
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
    help: "Neo4j sessions open, each holding or waiting for one pooled connection (the driver exposes no pool statistics); with several workers, their sum (the machine's connections in use).",
    registers: [registry],
    aggregator: "sum",
    collect() {
      this.set(executor.sessionsInUse);
    },
  });
  const stopObserving = executor.observe({
    transactionEnded: (mode, seconds) => transactions.observe({ mode }, seconds),
  });

  // A cluster worker answers its primary's collections with this registry, and asks the primary
  // for the machine's aggregate when scraped. One process (WEB_CONCURRENCY=1, tests): its own.
  const inCluster = cluster.isWorker && typeof process.send === "function";
  const stopAnswering = inCluster ? answerClusterCollections(registry) : () => {};
  const expected = options.token === undefined ? null : sha256(`Bearer ${options.token}`);
  const handler: RequestHandler = (req, res, next) => {
    if (expected && !timingSafeEqual(sha256(req.headers.authorization ?? ""), expected)) {
      sendGraphQLError(res, 401, "UNAUTHENTICATED", "GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`.", {}, { "WWW-Authenticate": 'Bearer realm="metrics"' });
      return;
    }
    const text = inCluster ? askPrimaryForMetrics() : registry.metrics();
    text.then(
      (body) => {
        res.status(200).type(registry.contentType).set("cache-control", "no-store").send(body);
      },
      (error: unknown) => {
        if (!inCluster) return next(error);
        // No aggregate (the primary is gone or stuck): no per-worker numbers under the machine's names.
        logger.warn({ err: error }, "cluster metrics unavailable");
        sendGraphQLError(res, 503, "SERVICE_UNAVAILABLE", "The metrics of the workers could not be collected; try again.", {});
      },
    );
  };

  return {
    registry,
    handler,
    observeRequest({ operationName, status, errorCodes, seconds, aborted }) {
      const operation = operationName === null ? "none" : operations.has(operationName) ? operationName : "other";
      requestDuration.observe({ operation, outcome: outcomeOf(status, errorCodes, aborted) }, seconds);
      for (const code of new Set(errorCodes)) errors.inc({ code: KNOWN_CODES.has(code) ? code : "OTHER" });
    },
    close() {
      stopObserving();
      stopAnswering();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Metrics of a cluster (WEB_CONCURRENCY > 1): the messages between a worker and its primary, and
// the aggregation. The primary's side of the exchange is WorkerPool's (src/app/cluster.ts).

/** Worker -> primary: GET /metrics came in, send me the machine's metrics. */
export const SCRAPE_REQUEST = "csp-metrics-scrape" as const;
/** Primary -> worker: the aggregate text for its scrape `id` (or why there is none). */
export const SCRAPE_ANSWER = "csp-metrics-scraped" as const;
/** Primary -> every worker: send your registry as JSON for collection `id`. */
export const COLLECT_REQUEST = "csp-metrics-collect" as const;
/** Worker -> primary: its registry for collection `id`. */
export const COLLECT_ANSWER = "csp-metrics-collected" as const;

export type ClusterMetricsMessage =
  | { type: typeof SCRAPE_REQUEST; id: number }
  | { type: typeof SCRAPE_ANSWER; id: number; text?: string; error?: string }
  | { type: typeof COLLECT_REQUEST; id: number }
  | { type: typeof COLLECT_ANSWER; id: number; metrics: MetricsJson };

export type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

/** How long the primary waits for the workers' registries before it answers with those it has. */
export const CLUSTER_SCRAPE_WAIT_MS = 1_000;
/** How long a scraped worker waits for its primary's aggregate before it answers 503. */
const PRIMARY_ANSWER_WAIT_MS = CLUSTER_SCRAPE_WAIT_MS + 2_000;

/**
 * How per-process series add up over the processes of a machine, where prom-client's own choice
 * (sum, unless the metric says otherwise) would mislead. Counters, histograms, memory, CPU,
 * handles, file descriptors and neo4j_sessions_in_use are summed (the machine's totals); the
 * event-loop lag is the worst process's (one stuck worker is what an alert must see), except the
 * minimum; the file-descriptor limit is per process; the start time and version as prom-client has them.
 */
const CLUSTER_AGGREGATORS: Record<string, Aggregator> = {
  nodejs_eventloop_lag_seconds: "max",
  nodejs_eventloop_lag_mean_seconds: "max",
  nodejs_eventloop_lag_stddev_seconds: "max",
  nodejs_eventloop_lag_p50_seconds: "max",
  nodejs_eventloop_lag_p90_seconds: "max",
  nodejs_eventloop_lag_p99_seconds: "max",
  nodejs_eventloop_lag_min_seconds: "min",
  nodejs_eventloop_lag_max_seconds: "max",
  process_max_fds: "max",
};

/**
 * The machine's metrics text from the processes' registries (each `getMetricsAsJSON()`):
 * prom-client's AggregatorRegistry.aggregate with CLUSTER_AGGREGATORS, plus
 * `api_cluster_scrape_workers{result}`: how many workers were asked and answered (`answered`) or
 * not in time (`missed`; their counters are missing from this scrape, so sums dip: rate() takes
 * that as a reset).
 */
export async function aggregateClusterMetrics(processes: MetricsJson[], workers: { answered: number; missed: number }): Promise<string> {
  const adjusted = processes.map((metrics) => metrics.map((metric) => (CLUSTER_AGGREGATORS[metric.name] ? { ...metric, aggregator: CLUSTER_AGGREGATORS[metric.name] } : metric)));
  const registry = AggregatorRegistry.aggregate(adjusted);
  const scraped = new Gauge({
    name: "api_cluster_scrape_workers",
    help: "Workers (WEB_CONCURRENCY) whose metrics this scrape includes (answered) or lacks (missed: no answer within 1 s).",
    labelNames: ["result"] as const,
    registers: [registry],
  });
  scraped.set({ result: "answered" }, workers.answered);
  scraped.set({ result: "missed" }, workers.missed);
  return registry.metrics();
}

let nextScrape = 0;
/** Bounded by PRIMARY_ANSWER_WAIT_MS per scrape: every entry is removed on answer or timeout. */
const scrapes = new Map<number, { resolve(text: string): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
let listening = false;

/** A worker's scrape: asks the primary for the machine's aggregate. */
function askPrimaryForMetrics(): Promise<string> {
  if (!process.connected || !process.send) return Promise.reject(new Error("no IPC channel to the cluster primary"));
  if (!listening) {
    listening = true;
    process.on("message", (message: Partial<ClusterMetricsMessage> | undefined) => {
      if (message?.type !== SCRAPE_ANSWER || typeof message.id !== "number") return;
      const waiting = scrapes.get(message.id);
      if (!waiting) return; // too late: answered 503 already
      scrapes.delete(message.id);
      clearTimeout(waiting.timer);
      if (typeof message.text === "string") waiting.resolve(message.text);
      else waiting.reject(new Error(message.error ?? "the primary sent no metrics"));
    });
  }
  const id = nextScrape++;
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      scrapes.delete(id);
      reject(new Error(`the cluster primary did not answer within ${PRIMARY_ANSWER_WAIT_MS} ms`));
    }, PRIMARY_ANSWER_WAIT_MS);
    timer.unref();
    scrapes.set(id, { resolve, reject, timer });
    process.send!({ type: SCRAPE_REQUEST, id } satisfies ClusterMetricsMessage, undefined, undefined, (error: Error | null) => {
      if (!error) return;
      scrapes.delete(id);
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** A worker's side of a collection: its registry, as JSON, to the primary. Returns the remover. */
function answerClusterCollections(registry: Registry): () => void {
  const onMessage = (message: Partial<ClusterMetricsMessage> | undefined) => {
    if (message?.type !== COLLECT_REQUEST || typeof message.id !== "number") return;
    const { id } = message;
    registry.getMetricsAsJSON().then(
      (metrics) => {
        if (process.connected) process.send?.({ type: COLLECT_ANSWER, id, metrics: metrics as MetricsJson } satisfies ClusterMetricsMessage);
      },
      (error: unknown) => logger.warn({ err: error }, "metrics for the cluster primary failed"),
    );
  };
  process.on("message", onMessage);
  return () => process.off("message", onMessage);
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
