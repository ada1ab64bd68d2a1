import cluster, { type Worker } from "node:cluster";
import { collectDefaultMetrics, Registry } from "prom-client";
import { RateLimiterCluster, RateLimiterClusterMaster } from "rate-limiter-flexible";
import type { Logger } from "../shared/logger.js";
import {
  aggregateClusterMetrics,
  CLUSTER_SCRAPE_WAIT_MS,
  COLLECT_ANSWER,
  COLLECT_REQUEST,
  SCRAPE_ANSWER,
  SCRAPE_REQUEST,
  type ClusterMetricsMessage,
  type MetricsJson,
} from "./metrics.js";
import type { LimiterStore } from "./rate-limit.js";

/**
 * Several API processes on one machine (WEB_CONCURRENCY=N > 1, issue 15 part 5), with Node's
 * cluster module: a primary process that serves nothing itself and N workers, each a whole API
 * (its own driver, caches and background loops, startApp) listening on the same port. The
 * primary holds the listening socket and hands each new connection to the next worker in turn
 * (cluster.SCHED_RR): a keep-alive connection stays with the worker that accepted it.
 *
 * What the primary does (src/main.ts): everything that must happen once per machine (the local
 * development Neo4j when NEO4J_URI is unset, migrations, the demo load, the banner), then it forks
 * the workers with the resolved Neo4j settings in their environment, and keeps the request-rate and
 * sign-in counters of every worker (RateLimiterClusterMaster: the limits hold per machine, not per
 * worker). What a worker does: open its driver, startApp, report ready; on SIGTERM/SIGINT drain as
 * a single process does (SHUTDOWN_GRACE_MS) and exit; when its primary disappears (the IPC channel
 * closes), the same, so no worker outlives its primary.
 *
 * Shutdown: SIGTERM/SIGINT to the primary sends SIGTERM to every worker, waits for each to exit
 * (a worker still running SHUTDOWN_GRACE_MS + STOP_MARGIN_MS later is killed), then the primary
 * closes its own resources. The exit code is 1 when a worker did not exit with 0, or was down.
 *
 * A worker that dies while the pool runs is forked again after a backoff (1 s, doubling per
 * restart in the last minute, at most 30 s). More than MAX_RESTARTS_PER_MINUTE restarts within a
 * minute means something is wrong with every worker (Neo4j gone, a bug on a hot path): the pool
 * stops every worker and the primary exits 1, for the process manager to see. A worker that exits
 * before the pool is first ready (a port in use, a bad setting) fails the start at once.
 *
 * Metrics (src/app/metrics.ts): a worker scraped at GET /metrics asks the primary, which asks every
 * connected worker for its registry, waits at most CLUSTER_SCRAPE_WAIT_MS (1 s) for the answers,
 * adds its own process metrics and sends the aggregate back. Scrapes arriving while a collection
 * runs share it (one collection at a time).
 */

/** A worker's message to its primary once startApp listens. */
export interface WorkerReady {
  type: "csp-worker-ready";
  url: string;
}

export const WORKER_READY = "csp-worker-ready" as const;

/** Restarts of crashed workers allowed within a minute before the pool gives up (stops all, exit 1). */
export const MAX_RESTARTS_PER_MINUTE = 5;
/** Time a worker gets beyond SHUTDOWN_GRACE_MS to exit after SIGTERM before it is killed. */
export const STOP_MARGIN_MS = 10_000;
const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;

export function isClusterWorker(): boolean {
  return cluster.isWorker;
}

export interface WorkerPoolOptions {
  /** How many workers (WEB_CONCURRENCY). */
  count: number;
  /** Added to each worker's environment (the resolved Neo4j settings); never logged. */
  env: Record<string, string>;
  /** SHUTDOWN_GRACE_MS: a worker's drain; it is killed STOP_MARGIN_MS after that. */
  graceMs: number;
  logger: Logger;
  /** The pool gave up (too many restarts): the caller stops and exits non-zero. */
  onGiveUp(reason: string): void;
}

export interface StopOutcome {
  /** Every worker exited with code 0 when told to stop, and none was down. */
  clean: boolean;
  /** Exit codes or signals of the workers that did not. */
  failures: string[];
}

/**
 * The primary's side. Before forking, it takes the shared counters' side of the rate limits
 * (RateLimiterClusterMaster: the workers' limiters are clients of it, clusterLimiterStore).
 */
export class WorkerPool {
  private readonly workers = new Set<Worker>();
  private readonly restarts: number[] = [];
  private readonly pendingRestarts = new Set<NodeJS.Timeout>();
  private stopping = false;
  private ready = false;
  private downAtStop = 0;
  /** The primary's own process metrics (CPU, memory, event loop: it accepts every connection). */
  private readonly ownMetrics = new Registry();
  private collection: Promise<string> | null = null;
  private nextCollection = 0;

  constructor(private readonly options: WorkerPoolOptions) {
    if (!cluster.isPrimary) throw new Error("WorkerPool: only a cluster primary forks workers");
    // Round-robin (also Node's default outside Windows): NODE_CLUSTER_SCHED_POLICY cannot change it.
    cluster.schedulingPolicy = cluster.SCHED_RR;
    new RateLimiterClusterMaster();
    collectDefaultMetrics({ register: this.ownMetrics });
    cluster.on("message", (worker, message: Partial<ClusterMetricsMessage> | undefined) => {
      if (message?.type !== SCRAPE_REQUEST || typeof message.id !== "number" || !this.workers.has(worker)) return;
      const { id } = message;
      const reply = (answer: { text?: string; error?: string }) => {
        // A worker gone meanwhile: nothing to answer (the callback keeps the send's error from being thrown).
        if (worker.isConnected()) worker.send({ type: SCRAPE_ANSWER, id, ...answer } satisfies ClusterMetricsMessage, undefined, undefined, ignoreSendError);
      };
      this.clusterMetrics().then(
        (text) => reply({ text }),
        (error: unknown) => {
          this.options.logger.warn({ err: error }, "cluster metrics failed");
          reply({ error: error instanceof Error ? error.message : String(error) });
        },
      );
    });
  }

  /**
   * The machine's metrics: every connected worker's registry (those that answer within
   * CLUSTER_SCRAPE_WAIT_MS) and the primary's own, aggregated. One collection at a time: a scrape
   * during one gets its result.
   */
  clusterMetrics(): Promise<string> {
    this.collection ??= this.collect().finally(() => {
      this.collection = null;
    });
    return this.collection;
  }

  private async collect(): Promise<string> {
    const id = this.nextCollection++;
    const asked = [...this.workers].filter((worker) => worker.isConnected());
    const answers = new Map<Worker, MetricsJson>();
    await new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        for (const worker of asked) worker.off("message", onMessage.get(worker)!);
        resolve();
      };
      const timer = setTimeout(finish, CLUSTER_SCRAPE_WAIT_MS);
      const onMessage = new Map<Worker, (message: Partial<ClusterMetricsMessage> | undefined) => void>();
      for (const worker of asked) {
        const listener = (message: Partial<ClusterMetricsMessage> | undefined) => {
          if (message?.type !== COLLECT_ANSWER || message.id !== id || !Array.isArray(message.metrics)) return;
          answers.set(worker, message.metrics);
          if (answers.size === asked.length) finish();
        };
        onMessage.set(worker, listener);
        worker.on("message", listener);
        worker.send({ type: COLLECT_REQUEST, id } satisfies ClusterMetricsMessage, undefined, undefined, ignoreSendError);
      }
      if (asked.length === 0) finish();
    });
    const own = (await this.ownMetrics.getMetricsAsJSON()) as MetricsJson;
    return aggregateClusterMetrics([...answers.values(), own], { answered: answers.size, missed: asked.length - answers.size });
  }

  /** Process ids of the workers running now. */
  get pids(): number[] {
    return [...this.workers].map((worker) => worker.process.pid).filter((pid): pid is number => pid !== undefined);
  }

  /**
   * Forks every worker and resolves with the URL the first reported once all are listening.
   * Rejects (after stopping the others) when one exits first.
   */
  async start(): Promise<string> {
    const started = Array.from({ length: this.options.count }, (_, index) => this.fork(index + 1));
    try {
      const urls = await Promise.all(started);
      this.ready = true;
      return urls[0];
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** One worker; resolves with its URL when it reports ready, rejects when it exits before that. */
  private fork(slot: number): Promise<string> {
    const worker = cluster.fork({ ...this.options.env, CSP_WORKER_SLOT: String(slot) });
    this.workers.add(worker);
    const pid = worker.process.pid;
    return new Promise<string>((resolve, reject) => {
      let listening = false;
      worker.on("message", (message: Partial<WorkerReady> | undefined) => {
        if (message?.type !== WORKER_READY || typeof message.url !== "string") return;
        listening = true;
        this.options.logger.info({ worker: slot, workerPid: pid }, "worker ready");
        resolve(message.url);
      });
      worker.once("exit", (code, signal) => {
        this.workers.delete(worker);
        const how = signal ? `signal ${signal}` : `code ${code}`;
        if (!listening) reject(new Error(`worker ${slot} (pid ${pid}) exited during its start (${how})`));
        if (this.stopping || !this.ready) return;
        this.options.logger.error({ worker: slot, workerPid: pid, code, signal }, "worker exited unexpectedly");
        this.scheduleRestart(slot);
      });
    });
  }

  private scheduleRestart(slot: number): void {
    const now = Date.now();
    while (this.restarts.length && this.restarts[0] <= now - 60_000) this.restarts.shift();
    if (this.restarts.length >= MAX_RESTARTS_PER_MINUTE) {
      this.options.onGiveUp(`${this.restarts.length + 1} worker exits within a minute (at most ${MAX_RESTARTS_PER_MINUTE} restarts a minute)`);
      return;
    }
    const delay = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** this.restarts.length);
    this.restarts.push(now);
    this.options.logger.warn({ worker: slot, delayMs: delay }, "restarting worker");
    const timer = setTimeout(() => {
      this.pendingRestarts.delete(timer);
      if (this.stopping) return;
      this.fork(slot).catch((error: unknown) => this.options.logger.error({ err: error }, "restarted worker failed to start"));
    }, delay);
    this.pendingRestarts.add(timer);
  }

  /**
   * SIGTERM to every worker (each drains for up to SHUTDOWN_GRACE_MS as a single process does),
   * then waits for all to exit; one still there STOP_MARGIN_MS after its grace is killed.
   */
  async stop(): Promise<StopOutcome> {
    if (!this.stopping) {
      this.stopping = true;
      this.downAtStop = this.pendingRestarts.size;
      for (const timer of this.pendingRestarts) clearTimeout(timer);
      this.pendingRestarts.clear();
    }
    const failures: string[] = [];
    if (this.downAtStop > 0) failures.push(`${this.downAtStop} worker(s) down, waiting for a restart`);
    await Promise.all(
      [...this.workers].map(
        (worker) =>
          new Promise<void>((resolve) => {
            const pid = worker.process.pid;
            const done = (code: number | null, signal: string | null) => {
              clearTimeout(killer);
              if (code !== 0) failures.push(`worker ${pid}: ${signal ? `signal ${signal}` : `code ${code}`}`);
              resolve();
            };
            const killer = setTimeout(() => {
              this.options.logger.error({ workerPid: pid }, "worker did not stop in time: killed");
              worker.process.kill("SIGKILL");
            }, this.options.graceMs + STOP_MARGIN_MS);
            if (worker.process.exitCode !== null || worker.process.signalCode !== null) {
              done(worker.process.exitCode, worker.process.signalCode);
              return;
            }
            worker.once("exit", done);
            worker.process.kill("SIGTERM");
          }),
      ),
    );
    return { clean: failures.length === 0, failures };
  }
}

/** A message to a worker that exited meanwhile: it is simply not answered (or counted as missed). */
function ignoreSendError(): void {}

/**
 * A worker's rate-limit store: every counter (request rate, failed sign-ins per account and per
 * address) is kept by the primary (RateLimiterClusterMaster) and asked over the IPC channel, so
 * RATE_LIMIT_PER_MINUTE and SIGNIN_MAX_FAILURES hold for the machine as they do for one process.
 * An answer that does not come within a second lets the request through (rate-limit.ts logs it).
 */
export function clusterLimiterStore(): LimiterStore {
  return (options) => new RateLimiterCluster({ ...options, timeoutMs: 1_000 });
}

/** Tells the primary this worker listens (src/main.ts, after startApp). */
export function reportReady(url: string): void {
  process.send?.({ type: WORKER_READY, url } satisfies WorkerReady);
}

/** Runs `shutdown` when the primary goes away without telling this worker (killed, crashed). */
export function onPrimaryGone(shutdown: () => void): void {
  process.once("disconnect", shutdown);
}
