/**
 * A benchmarked server in its own process, started by bench/run.ts (never by hand):
 *   node --import tsx bench/server.ts api    the API (startApp, production settings)
 *   node --import tsx bench/server.ts peer   @neo4j/graphql over the same database
 * With WEB_CONCURRENCY=N > 1 (`npm run bench -- --workers N`), the api process is a cluster
 * primary as src/main.ts's (src/app/cluster.ts: round-robin, rate-limit counters in the primary)
 * with N workers, each this script's API; the primary relays the runner's commands to every
 * worker and merges their windows (mergeWindows).
 * Neo4j settings, JWT_SECRET etc. come from the environment the runner sets. The process speaks
 * to its parent over IPC: it reports `ready` with its URL, then answers window-start/window-end
 * (server-side timings), profile-start/profile-stop and stop.
 */
// First: type-graphql's decorators need the metadata polyfill before any module with them loads.
import "reflect-metadata";
import cluster, { type Worker } from "node:cluster";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import neo4j, { type ManagedTransaction, type Record as Neo4jRecord } from "neo4j-driver";
import { clusterLimiterStore, isClusterWorker, reportReady, WorkerPool } from "../src/app/cluster.js";
import { openDatabase } from "../src/app/database.js";
import { startApp } from "../src/app/server.js";
import { loadConfig, webConcurrency } from "../src/shared/config.js";
import { logger } from "../src/shared/logger.js";
import { createMailer } from "../src/shared/mail/mailer.js";
import { Executor, type AccessMode, type StatementBudget, type TxMetadata, type UnitOptions } from "../src/shared/neo4j/executor.js";
import { queryNamesByText } from "./lib/cypher-names.js";
import { Profiler, RequestTracker, type ServerWindow } from "./lib/instrument.js";
import { startPeer } from "./peer/server.js";

type Kind = "api" | "peer";

export interface ChildCommand {
  id: number;
  cmd: "window-start" | "window-end" | "profile-start" | "profile-stop" | "stop";
}

const kind = process.argv[2] as Kind;
if (kind !== "api" && kind !== "peer") throw new Error("usage: bench/server.ts api|peer");

const tracker = new RequestTracker();
const profiler = new Profiler();

type RunRest = [budget?: StatementBudget, unit?: UnitOptions];

/** The API's executor, timing each transaction and naming it after the queries it ran. */
class TimingExecutor extends Executor {
  private readonly names = queryNamesByText();

  // The request's budget and its consistency-token bookmarks pass through unchanged (`...rest`).
  override async run<T>(mode: AccessMode, work: (tx: ManagedTransaction) => Promise<T>, metadata: TxMetadata, ...rest: RunRest): Promise<T> {
    const ran: string[] = [];
    const start = performance.now();
    try {
      return await super.run(
        mode,
        (tx) => {
          const run = (query: string, params?: Record<string, unknown>) => {
            ran.push(this.names.get(query) ?? "(unnamed)");
            return tx.run(query, params);
          };
          return work({ run } as unknown as ManagedTransaction);
        },
        metadata,
        ...rest,
      );
    } finally {
      tracker.addTransaction(metadata.requestId, { name: [...new Set(ran)].join("+"), start, end: performance.now() }, metadata.operation);
    }
  }

  override async readOnce(query: string, params: Record<string, unknown>, metadata: TxMetadata, ...rest: RunRest): Promise<Neo4jRecord[]> {
    const start = performance.now();
    try {
      return await super.readOnce(query, params, metadata, ...rest);
    } finally {
      tracker.addTransaction(metadata.requestId, { name: this.names.get(query) ?? "(unnamed)", start, end: performance.now() }, metadata.operation);
    }
  }
}

function settings() {
  const uri = process.env.NEO4J_URI;
  if (!uri) throw new Error("NEO4J_URI is not set (bench/run.ts sets it)");
  return {
    uri,
    username: process.env.NEO4J_USERNAME || "neo4j",
    password: process.env.NEO4J_PASSWORD || "",
    database: process.env.NEO4J_DATABASE || "neo4j",
  };
}

async function main(): Promise<void> {
  const neo = settings();
  let close: () => Promise<void>;
  let url: string;
  if (kind === "api") {
    const loaded = loadConfig();
    // BENCH_LOOPBACK_WEBHOOKS=on (the writes bench, bench/writes.ts): the running app is told it is
    // not in production, only so that webhooks to http://127.0.0.1 are allowed (D-30 allows them in
    // development only). Everything loadConfig derives from NODE_ENV=production stays (metrics,
    // CORS, logging, ...), source maps are turned off below as startApp does in production; the
    // flag otherwise changes only the CSP header, GET's landing page, GraphiQL's routes and
    // introspection, none of which a POSTed operation goes through.
    const loopbackWebhooks = process.env.BENCH_LOOPBACK_WEBHOOKS === "on";
    const config = loopbackWebhooks ? { ...loaded, production: false } : loaded;
    const database = await openDatabase(neo, { queryTimeoutMs: config.queryTimeoutMs });
    const executor = new TimingExecutor(database.driver, { database: neo.database, timeoutMs: config.queryTimeoutMs });
    const mailer = createMailer({ mailDir: mkdtempSync(join(tmpdir(), "bench-mail-")) });
    // A cluster worker listens on the primary's port (listen(0) in every worker shares one port)
    // and counts rate limits in the primary, as src/main.ts's workers do.
    const app = await startApp({ config, executor, services: { mailer }, ...(isClusterWorker() ? { rateLimitStore: clusterLimiterStore() } : {}) }, 0);
    if (loopbackWebhooks && loaded.production) process.setSourceMapsEnabled(false);
    tracker.attach(app.httpServer);
    url = app.url;
    close = async () => {
      await app.close();
      await database.driver.close();
      mailer.close();
    };
  } else {
    const driver = neo4j.driver(neo.uri, neo4j.auth.basic(neo.username, neo.password), {
      // The API's driver settings (src/app/database.ts).
      maxConnectionPoolSize: 100,
      connectionAcquisitionTimeout: 10_000,
      connectionTimeout: 5_000,
      maxTransactionRetryTime: 10_000,
      userAgent: "csp-channel-bench-peer",
    });
    await driver.verifyConnectivity({ database: neo.database });
    const peer = await startPeer(driver, neo.database, 0, {
      onTransaction: (requestId, start, end) => tracker.addTransaction(requestId, { name: "peer", start, end }),
    });
    tracker.attach(peer.httpServer);
    url = peer.url;
    close = async () => {
      await peer.close();
      await driver.close();
    };
  }

  process.on("message", (message: ChildCommand) => {
    // A cluster worker's channel also carries the rate limiter's messages (src/app/cluster.ts).
    if (typeof message?.id !== "number" || typeof message.cmd !== "string") return;
    void (async () => {
      try {
        let result: unknown = null;
        if (message.cmd === "window-start") tracker.startWindow();
        else if (message.cmd === "window-end") result = tracker.endWindow();
        else if (message.cmd === "profile-start") await profiler.start();
        else if (message.cmd === "profile-stop") result = await profiler.stop();
        else if (message.cmd === "stop") {
          await close();
          process.send?.({ id: message.id, ok: true, result: null }, () => process.exit(0));
          return;
        }
        process.send?.({ id: message.id, ok: true, result });
      } catch (error) {
        process.send?.({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) });
      }
    })();
  });
  // Orphaned (the runner, or the cluster primary, died): leave.
  process.on("disconnect", () => void close().finally(() => process.exit(0)));
  if (isClusterWorker()) {
    // The primary stops its workers with SIGTERM (WorkerPool.stop).
    process.once("SIGTERM", () => void close().finally(() => process.exit(0)));
    reportReady(url);
  } else process.send?.({ type: "ready", url });
}

/**
 * The api process with WEB_CONCURRENCY > 1: a cluster primary with that many workers (this script
 * again). Every command of the runner goes to every worker; window-end merges their windows (and
 * adds the primary's own CPU: it accepts every connection and keeps the rate-limit counters);
 * profiles are the first worker's.
 */
async function primary(workers: number): Promise<void> {
  const pool = new WorkerPool({
    count: workers,
    env: {},
    graceMs: loadConfig().shutdownGraceMs,
    logger,
    onGiveUp: (reason) => {
      process.stderr.write(`[bench api] workers keep exiting: ${reason}\n`);
      void pool.stop().finally(() => process.exit(1));
    },
  });
  let nextId = 0;
  const pending = new Map<number, (reply: { ok: boolean; result?: unknown; error?: string }) => void>();
  cluster.on("message", (_worker, message: { id?: number; ok?: boolean; result?: unknown; error?: string }) => {
    if (typeof message?.id !== "number" || typeof message.ok !== "boolean") return;
    pending.get(message.id)?.({ ok: message.ok, result: message.result, error: message.error });
    pending.delete(message.id);
  });
  const ask = (worker: Worker, cmd: ChildCommand["cmd"]) =>
    new Promise<unknown>((resolve, reject) => {
      const id = (nextId += 1);
      pending.set(id, (reply) => (reply.ok ? resolve(reply.result) : reject(new Error(reply.error))));
      worker.send({ id, cmd });
    });
  const all = () => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
  const url = await pool.start();
  let cpuStart = process.cpuUsage();

  process.on("message", (message: ChildCommand) => {
    void (async () => {
      try {
        let result: unknown = null;
        if (message.cmd === "stop") {
          const outcome = await pool.stop();
          process.send?.({ id: message.id, ok: outcome.clean, result: null, error: outcome.failures.join("; ") }, () => process.exit(0));
          return;
        }
        if (message.cmd === "window-start") {
          cpuStart = process.cpuUsage();
          await Promise.all(all().map((w) => ask(w, "window-start")));
        } else if (message.cmd === "window-end") {
          const windows = (await Promise.all(all().map((w) => ask(w, "window-end")))) as ServerWindow[];
          const cpu = process.cpuUsage(cpuStart);
          result = mergeWindows(windows, (cpu.user + cpu.system) / 1000);
        } else {
          const [first] = all();
          result = await ask(first, message.cmd);
        }
        process.send?.({ id: message.id, ok: true, result });
      } catch (error) {
        process.send?.({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) });
      }
    })();
  });
  process.on("disconnect", () => void pool.stop().finally(() => process.exit(0)));
  process.send?.({ type: "ready", url });
}

/**
 * The workers' windows as one server's: request-weighted means; serverP50 is the request-weighted
 * mean of the workers' medians (round-robin gives them the same mix, so their medians are close);
 * CPU per request counts every worker and the primary; event-loop utilisation is the workers' mean.
 */
function mergeWindows(windows: ServerWindow[], primaryCpuMs: number): ServerWindow {
  const requests = windows.reduce((sum, w) => sum + w.requests, 0);
  const n = requests || 1;
  const weighted = (pick: (w: ServerWindow) => number) => windows.reduce((sum, w) => sum + pick(w) * w.requests, 0) / n;
  const byQuery: Record<string, number> = {};
  const background: Record<string, { count: number; ms: number }> = {};
  for (const w of windows) {
    for (const [name, ms] of Object.entries(w.byQuery)) byQuery[name] = (byQuery[name] ?? 0) + (ms * w.requests) / n;
    for (const [name, entry] of Object.entries(w.background ?? {})) {
      const into = (background[name] ??= { count: 0, ms: 0 });
      into.count += entry.count;
      into.ms += entry.ms;
    }
  }
  const serverMean = weighted((w) => w.serverMean);
  const viewerMean = weighted((w) => w.viewerMean);
  const dataMean = weighted((w) => w.dataMean);
  return {
    requests,
    serverP50: weighted((w) => w.serverP50),
    serverMean,
    viewerMean,
    dataMean,
    otherMean: serverMean - viewerMean - dataMean,
    transactionsPerRequest: weighted((w) => w.transactionsPerRequest),
    byQuery,
    cpuMsPerRequest: (windows.reduce((sum, w) => sum + w.cpuMsPerRequest * w.requests, 0) + primaryCpuMs) / n,
    eventLoopUtilization: windows.reduce((sum, w) => sum + w.eventLoopUtilization, 0) / (windows.length || 1),
    seconds: Math.max(0, ...windows.map((w) => w.seconds)),
    background,
  };
}

const workers = kind === "api" && !isClusterWorker() ? webConcurrency(process.env) : 1;
(workers > 1 ? primary(workers) : main()).catch((error: unknown) => {
  process.stderr.write(`[bench ${kind}] start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
