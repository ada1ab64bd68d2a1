/**
 * Server-side measurement inside a benchmarked server process (bench/server.ts): per request,
 * the time from the HTTP request event to the response's `finish`, and the time of each Neo4j
 * transaction it ran (named after the cypher/queries file, so the viewer query stands apart).
 * Aggregated over a window (one measured run), with the process's CPU time and event-loop
 * utilisation, and an optional V8 CPU profile of the window.
 */
import type { Server } from "node:http";
import { Session } from "node:inspector/promises";
import { type EventLoopUtilization, performance } from "node:perf_hooks";
import { percentile } from "./stats.js";

export interface TxSpan {
  name: string;
  start: number;
  end: number;
}

interface RequestSample {
  total: number;
  viewer: number;
  data: number;
  transactions: number;
}

export interface ServerWindow {
  requests: number;
  /** Request event to response finish, in the server process (ms). */
  serverP50: number;
  serverMean: number;
  /** The viewer query (auth/viewer), run while building the context (ms, mean). */
  viewerMean: number;
  /** Wall time covered by the other transactions (concurrent DataLoader batches overlap; ms, mean). */
  dataMean: number;
  /** serverMean - viewerMean - dataMean: JavaScript (HTTP, JSON, JWT, Apollo, shield, resolvers, serialization) and waiting for the event loop. */
  otherMean: number;
  transactionsPerRequest: number;
  /** Transaction time by query name (ms per request, mean over requests). */
  byQuery: Record<string, number>;
  /** CPU time of the whole server process per request (user + system, ms). */
  cpuMsPerRequest: number;
  /** Share of the window the event loop was busy (0..1). */
  eventLoopUtilization: number;
  seconds: number;
  /**
   * Transactions outside any request (background loops: the event sequencer, live subscriptions,
   * webhook delivery), by operation and query names: how many in the window and their total ms.
   */
  background?: Record<string, { count: number; ms: number }>;
}

const VIEWER_QUERY = "auth/viewer";

export class RequestTracker {
  private readonly open = new Map<string, TxSpan[]>();
  private samples: RequestSample[] = [];
  private byQuery = new Map<string, number>();
  private windowStart = performance.now();
  private cpuStart = process.cpuUsage();
  private eluStart: EventLoopUtilization = performance.eventLoopUtilization();
  private next = 0;
  private background = new Map<string, { count: number; ms: number }>();

  /** Gives every request an id (x-request-id, which the API's context adopts) and times it. */
  attach(server: Server): void {
    server.prependListener("request", (req, res) => {
      const id = `bench-${(this.next += 1)}`;
      req.headers["x-request-id"] = id;
      const start = performance.now();
      this.open.set(id, []);
      res.once("finish", () => this.finish(id, performance.now() - start));
      res.once("close", () => this.open.delete(id));
    });
  }

  addTransaction(requestId: string | undefined, span: TxSpan, operation?: string): void {
    const spans = requestId ? this.open.get(requestId) : undefined;
    if (spans) {
      spans.push(span);
      return;
    }
    if (requestId) return;
    const key = `${operation ?? "?"}: ${span.name}`;
    const entry = this.background.get(key) ?? { count: 0, ms: 0 };
    entry.count += 1;
    entry.ms += span.end - span.start;
    this.background.set(key, entry);
  }

  private finish(id: string, total: number): void {
    const spans = this.open.get(id) ?? [];
    this.open.delete(id);
    let viewer = 0;
    const data: TxSpan[] = [];
    for (const span of spans) {
      this.byQuery.set(span.name, (this.byQuery.get(span.name) ?? 0) + (span.end - span.start));
      if (span.name === VIEWER_QUERY) viewer += span.end - span.start;
      else data.push(span);
    }
    this.samples.push({ total, viewer, data: unionLength(data), transactions: spans.length });
  }

  startWindow(): void {
    this.samples = [];
    this.byQuery = new Map();
    this.background = new Map();
    this.windowStart = performance.now();
    this.cpuStart = process.cpuUsage();
    this.eluStart = performance.eventLoopUtilization();
  }

  endWindow(): ServerWindow {
    const cpu = process.cpuUsage(this.cpuStart);
    const elu = performance.eventLoopUtilization(this.eluStart);
    const n = this.samples.length || 1;
    const mean = (pick: (s: RequestSample) => number) => this.samples.reduce((sum, s) => sum + pick(s), 0) / n;
    const serverMean = mean((s) => s.total);
    const viewerMean = mean((s) => s.viewer);
    const dataMean = mean((s) => s.data);
    return {
      requests: this.samples.length,
      serverP50: percentile(
        this.samples.map((s) => s.total),
        50,
      ),
      serverMean,
      viewerMean,
      dataMean,
      otherMean: serverMean - viewerMean - dataMean,
      transactionsPerRequest: mean((s) => s.transactions),
      byQuery: Object.fromEntries([...this.byQuery].map(([name, ms]) => [name, ms / n])),
      cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / n,
      eventLoopUtilization: elu.utilization,
      seconds: (performance.now() - this.windowStart) / 1000,
      background: Object.fromEntries(this.background),
    };
  }
}

/** Total length covered by possibly overlapping intervals. */
function unionLength(spans: TxSpan[]): number {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let total = 0;
  let end = -Infinity;
  for (const span of sorted) {
    if (span.end <= end) continue;
    total += span.end - Math.max(span.start, end);
    end = span.end;
  }
  return total;
}

/** A V8 CPU profile of this process, started and stopped on demand. */
export class Profiler {
  private session: Session | undefined;

  async start(): Promise<void> {
    this.session = new Session();
    this.session.connect();
    await this.session.post("Profiler.enable");
    await this.session.post("Profiler.setSamplingInterval", { interval: 200 });
    await this.session.post("Profiler.start");
  }

  async stop(): Promise<unknown> {
    if (!this.session) throw new Error("the profiler is not running");
    const { profile } = await this.session.post("Profiler.stop");
    await this.session.post("Profiler.disable");
    this.session.disconnect();
    this.session = undefined;
    return profile;
  }
}
