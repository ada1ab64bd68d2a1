/**
 * `npm run bench:writes` (or `npm run bench -- --only submit-order`): what channel events cost the
 * writes (issue 14, Performance). SubmitOrder over HTTP (autocannon), each request for the next
 * customer of the bench's own fixture, in four variants on the same data and machine:
 *   A  the same code with the outbox write removed (a patched copy, bench/lib/no-outbox.ts)
 *   B  events on, no subscribers
 *   C  events on, live subscribers (graphql-ws on /graphql)
 *   D  events on, webhooks registered (a receiver on 127.0.0.1 answering 200)
 * interleaved (A B C D, A B C D, ...) so the machine's noise hits all alike, plus one read case
 * (Customers page 1) in A and B. See bench/README.md, "Writes and channel events".
 */
// First: type-graphql's decorators (src/shared/graphql/connection.ts, via bench/lib/operations.ts) need the polyfill.
import "reflect-metadata";
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { ServerWindow } from "./lib/instrument.js";
import { codeVersion, machineInfo, packageVersions, type CodeVersion, type MachineInfo } from "./lib/machine.js";
import { dataSize, localNeo4jPid, neo4jInfo, openBenchDatabase, processCpuMs, roundTrip, type Database, type DataSize, type Neo4jInfo } from "./lib/neo4j.js";
import { makeNoOutboxCopy } from "./lib/no-outbox.js";
import { contractOperation } from "./lib/operations.js";
import { ms, x } from "./lib/report.js";
import { ChildServer, serverEnv } from "./lib/servers.js";
import { Sinks } from "./lib/sinks.js";
import { ratio } from "./lib/stats.js";
import { createWriteFixture, removeLeftovers, writeCounts, type WriteFixture } from "./lib/write-fixture.js";
import { Rotation, writeLoad, type WriteLoadResult } from "./lib/write-load.js";

const HELP = `npm run bench:writes -- [options]     (also: npm run bench -- --only submit-order [options])

SubmitOrder throughput with channel events: A (outbox removed, a patched copy of the project),
B (events on), C (events on, live subscribers), D (events on, webhooks), interleaved; and
Customers page 1 in A and B. Runs against NEO4J_URI etc. (unset: the local development Neo4j,
started if needed) on its own fixture, removed at the end.

  --duration <s>       measured seconds per variant and round (default 10; --smoke: 2)
  --warmup <s>         warm-up before each measurement (default 3; --smoke: 1)
  --rounds <n>         rounds of A B C D (default 3; --smoke: 1)
  --connections <n>    autocannon connections (default 10)
  --customers <n>      customers of the write fixture, ordered for in turn (default 300)
  --subscribers <n>    live subscribers in C (default 10: half the provider's admin, half the reseller's)
  --webhooks <n>       webhooks in D (default 2: one per organisation of the order)
  --variants <list>    default A,B,C,D; also B0: B with WEBHOOK_DELIVERY=off (the webhook dispatcher's share of B)
  --skip-read          no read case
  --profile            during each measured run, a CPU profile of the API (.cpuprofile) and a Java Flight
                       Recording of the local Neo4j (.jfr, jcmd), in <out>/profiles/writes-<date>/; the
                       profilers cost CPU too: read their numbers, not those runs' writes/s
  --keep-api           one API process for B, C and D of a round (default: a fresh one per measurement)
  --smoke              a short run; exits 1 on failed requests or GraphQL errors
  --out <dir>          where results go (default bench/results)
`;

const RESULTS_DIR = fileURLToPath(new URL("./results/", import.meta.url));
const VARIANTS = ["A", "B0", "B", "C", "D"] as const;
type Variant = (typeof VARIANTS)[number];
/** The issue's four; B0 (a diagnosis: B without the webhook dispatcher) only when asked for. */
const DEFAULT_VARIANTS: readonly Variant[] = ["A", "B", "C", "D"];

const VARIANT_TEXT: Record<Variant, string> = {
  A: "outbox removed (patched copy)",
  B0: "events on, no subscribers, webhook delivery off (WEBHOOK_DELIVERY=off)",
  B: "events on, no subscribers",
  C: "events on, live subscribers",
  D: "events on, webhooks",
};

const say = (line = "") => process.stdout.write(`${line}\n`);
const sleep = (msDelay: number) => new Promise((r) => setTimeout(r, msDelay));
const load1 = () => Math.round(os.loadavg()[0] * 100) / 100;

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: "string" },
      warmup: { type: "string" },
      rounds: { type: "string" },
      connections: { type: "string" },
      customers: { type: "string" },
      subscribers: { type: "string" },
      webhooks: { type: "string" },
      variants: { type: "string" },
      only: { type: "string" },
      "skip-read": { type: "boolean", default: false },
      "keep-api": { type: "boolean", default: false },
      profile: { type: "boolean", default: false },
      smoke: { type: "boolean", default: false },
      out: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.only !== undefined && values.only !== "submit-order") throw new Error(`bench:writes measures submit-order only, got --only ${values.only}`);
  const number = (name: string, raw: string | undefined, fallback: number, min: number) => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number >= ${min}, got ${raw}`);
    return value;
  };
  const smoke = values.smoke;
  const variants = (values.variants ?? DEFAULT_VARIANTS.join(",")).split(",").map((v) => {
    const name = v.trim().toUpperCase();
    if (!VARIANTS.includes(name as Variant)) throw new Error(`--variants: unknown variant ${v}; known: ${VARIANTS.join(", ")}`);
    return name as Variant;
  });
  return {
    help: values.help,
    durationS: number("duration", values.duration, smoke ? 2 : 10, 1),
    warmupS: number("warmup", values.warmup, smoke ? 1 : 3, 0),
    rounds: Math.round(number("rounds", values.rounds, smoke ? 1 : 3, 1)),
    connections: Math.round(number("connections", values.connections, 10, 1)),
    customers: Math.round(number("customers", values.customers, 300, 10)),
    subscribers: Math.round(number("subscribers", values.subscribers, 10, 1)),
    webhooks: Math.round(number("webhooks", values.webhooks, 2, 1)),
    variants: VARIANTS.filter((v) => variants.includes(v)),
    read: !values["skip-read"],
    keepApi: values["keep-api"],
    profile: values.profile,
    smoke,
    out: resolve(values.out ?? RESULTS_DIR),
  };
}

type Options = ReturnType<typeof options>;

// ------------------------------------------------------------------------------------------ results

export interface Delivery {
  /** Events each receiver should have: orders placed since it was set up. */
  expected: number;
  /** The least any receiver had when the measured load ended, and when the wait ended. */
  atLoadEnd: number;
  received: number;
  /** Seconds after the load ended until every receiver had all (null: not within the wait). */
  drainedAfterS: number | null;
  /** D: POSTs received in all (retries and duplicates included). */
  posts?: number;
  errors: string[];
}

export interface WriteRound {
  round: number;
  variant: Variant;
  load: WriteLoadResult;
  /** Orders placed and channel events written (concerning the provider) during the measured run, from the database. */
  orders: number;
  events: number;
  server?: ServerWindow;
  neo4jCpuMsPerWrite?: number;
  /** CPU time of the receivers' process (subscribers, webhook receiver) per write during the measured run: load on the same 2 cores that a real deployment's receivers would not put there. */
  sinksCpuMsPerWrite?: number;
  delivery?: Delivery;
  read?: WriteLoadResult;
  /** One request at a time (1 connection, 3 s, after delivery caught up): a write's composition without queueing. */
  alone?: { load: WriteLoadResult; server: ServerWindow };
  loadAverage: number;
}

export interface WritesRun {
  version: 1;
  kind: "writes";
  startedAt: string;
  finishedAt: string;
  smoke: boolean;
  settings: Omit<Options, "help" | "out" | "smoke">;
  neo4jSource: string;
  neo4j: Neo4jInfo;
  machine: MachineInfo;
  versions: Record<string, string>;
  code: CodeVersion | null;
  data: DataSize;
  fixture: { customers: number; readCustomers: number };
  noOutboxDiff: string;
  unavailable: Partial<Record<Variant, string>>;
  rounds: WriteRound[];
  notes: string[];
  /** Neo4j's `RETURN 1` round trip before the fixture and after the last measurement (bench/lib/neo4j.ts roundTrip): the host's state. */
  roundTripMs?: { start: { p50: number; p90: number }; end: { p50: number; p90: number } | null };
}

function median(values: number[]): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!v.length) return Number.NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

function n(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? "–" : Math.round(value).toLocaleString("en-US");
}

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(" | ")} |`, `|${header.map((_, i) => (i < 2 ? "---" : "---:")).join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

interface VariantSummary {
  variant: Variant;
  rounds: number;
  rps: number;
  p50: number;
  p99: number;
  ratioToA: number;
  /** Median over rounds of (this round's writes/s / A's of the same round). */
  roundRatioToA: number;
  apiCpuMs: number;
  neo4jCpuMs: number;
  sinksCpuMs: number;
  eventsPerWrite: number;
  /** Transactions of the background loops per write, and the commonest (summed over rounds). */
  backgroundPerWrite: number;
  background: string;
  delivery: string;
  /** One at a time: p50 at the client, the write transaction (mean ms), the viewer query. */
  aloneP50: number;
  aloneWriteTx: number;
  aloneViewer: number;
  readRps?: number;
  readP50?: number;
  readP99?: number;
}

/** "all in 5 of 5 rounds, the last 0.1 s after the load (median; 0.1-0.2 s)". */
function deliveryText(deliveries: Delivery[]): string {
  const done = deliveries.filter((d) => d.drainedAfterS !== null).map((d) => d.drainedAfterS!);
  const late = deliveries.filter((d) => d.drainedAfterS === null).map((d) => `${n(d.received)}/${n(d.expected)}`);
  const range = done.length ? `, the last ${median(done).toFixed(1)} s after the load (median; ${Math.min(...done).toFixed(1)}-${Math.max(...done).toFixed(1)} s)` : "";
  return `all in ${done.length} of ${deliveries.length} rounds${range}${late.length ? `; not all within the wait: ${late.join(", ")}` : ""}`;
}

/** Mean ms per request of the transaction that ran audit/record (SubmitOrder's one write transaction). */
function writeTxMs(server: ServerWindow | undefined): number {
  if (!server) return Number.NaN;
  const entry = Object.entries(server.byQuery).find(([name]) => name.includes("audit/record"));
  return entry ? entry[1] : Number.NaN;
}

function sumCounts(background: Record<string, { count: number }> | undefined): number {
  return Object.values(background ?? {}).reduce((a, b) => a + b.count, 0);
}

/** The background transactions of a variant's rounds, commonest first: "name n (ms each)". */
function backgroundText(rows: WriteRound[]): string {
  const all = new Map<string, { count: number; ms: number }>();
  let writes = 0;
  for (const r of rows) {
    writes += r.orders;
    for (const [name, b] of Object.entries(r.server?.background ?? {})) {
      const e = all.get(name) ?? { count: 0, ms: 0 };
      e.count += b.count;
      e.ms += b.ms;
      all.set(name, e);
    }
  }
  return (
    [...all]
      .sort((a, b) => b[1].count - a[1].count)
      .slice(0, 6)
      .map(([name, b]) => `${name} ${(b.count / (writes || 1)).toFixed(2)}/write (${ms(b.ms / b.count)} ms)`)
      .join("; ") || "none"
  );
}

export function summarize(run: WritesRun): VariantSummary[] {
  const of = (v: Variant) => run.rounds.filter((r) => r.variant === v);
  const aRps = median(of("A").map((r) => r.load.rps));
  return VARIANTS.filter((v) => of(v).length).map((v) => {
    const rows = of(v);
    const rps = median(rows.map((r) => r.load.rps));
    const perRound = rows.map((r) => ratio(r.load.rps, run.rounds.find((a) => a.variant === "A" && a.round === r.round)?.load.rps));
    const deliveries = rows.map((r) => r.delivery).filter((d): d is Delivery => d !== undefined);
    const reads = rows.map((r) => r.read).filter((r): r is WriteLoadResult => r !== undefined);
    return {
      variant: v,
      rounds: rows.length,
      rps,
      p50: median(rows.map((r) => r.load.p50)),
      p99: median(rows.map((r) => r.load.p99)),
      ratioToA: ratio(rps, aRps),
      roundRatioToA: median(perRound),
      apiCpuMs: median(rows.map((r) => r.server?.cpuMsPerRequest ?? Number.NaN)),
      neo4jCpuMs: median(rows.map((r) => r.neo4jCpuMsPerWrite ?? Number.NaN)),
      sinksCpuMs: median(rows.map((r) => r.sinksCpuMsPerWrite ?? Number.NaN)),
      eventsPerWrite: median(rows.map((r) => (r.orders ? r.events / r.orders : Number.NaN))),
      backgroundPerWrite: median(rows.map((r) => (r.orders ? sumCounts(r.server?.background) / r.orders : Number.NaN))),
      background: backgroundText(rows),
      aloneP50: median(rows.map((r) => r.alone?.load.p50 ?? Number.NaN)),
      aloneWriteTx: median(rows.map((r) => writeTxMs(r.alone?.server))),
      aloneViewer: median(rows.map((r) => r.alone?.server.viewerMean ?? Number.NaN)),
      delivery: deliveries.length ? deliveryText(deliveries)
        : v === "A" || v === "B"
          ? "–"
          : "not measured",
      ...(reads.length
        ? { readRps: median(reads.map((r) => r.rps)), readP50: median(reads.map((r) => r.p50)), readP99: median(reads.map((r) => r.p99)) }
        : {}),
    };
  });
}

export function writesMarkdown(run: WritesRun): string {
  const m = run.machine;
  const s = run.settings;
  const out: string[] = [];
  const summary = summarize(run);
  out.push(`# Writes and channel events ${run.startedAt.slice(0, 10)}${run.smoke ? " (smoke)" : ""}`);
  out.push("");
  out.push(
    `SubmitOrder (one line item) over HTTP, ${s.connections} connections, ${s.durationS} s per variant and round after ${s.warmupS} s of warm-up, ` +
      `${s.rounds} round(s) of ${s.variants.join(" ")} interleaved; each request for the next of ${n(run.fixture.customers)} customers of the bench's own ` +
      `provider and reseller (the provider's global admin orders). Database: ${n(run.data.customers)} customers, ${n(run.data.nodes)} nodes besides the fixture ` +
      `(Neo4j ${run.neo4j.version} ${run.neo4j.edition}, heap ${run.neo4j.heap ?? "?"}, page cache ${run.neo4j.pageCache ?? "?"}; ${run.neo4jSource}).`,
  );
  out.push(
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.ramGiB} GiB; load average ${m.loadAverageAtStart} at start, ${m.loadAverageAtEnd ?? "?"} at the end ` +
      `(per measurement: ${run.rounds.map((r) => r.loadAverage).join(", ")}). API commit ${run.code?.commit.slice(0, 7) ?? "?"}` +
      (run.code?.changed.length ? ` with uncommitted changes to ${run.code.changed.join(", ")}` : "") +
      (run.roundTripMs
        ? `; Neo4j's round trip (RETURN 1, p50 / p90) ${run.roundTripMs.start.p50} / ${run.roundTripMs.start.p90} ms at start, ` +
          `${run.roundTripMs.end ? `${run.roundTripMs.end.p50} / ${run.roundTripMs.end.p90}` : "?"} ms at the end`
        : "") +
      `; NODE_ENV=production (the running app told it is not, so that webhooks to 127.0.0.1 are allowed: bench/server.ts, BENCH_LOOPBACK_WEBHOOKS), one API process at a time, ${s.keepApi ? "one per round for B, C and D" : "a fresh one per measurement"} (A's from the patched copy), the subscribers and the webhook receiver in a process of their own.`,
  );
  for (const [v, why] of Object.entries(run.unavailable)) out.push(`\nVariant ${v} (${VARIANT_TEXT[v as Variant]}) not measured: ${why}`);
  out.push("");
  out.push(
    table(
      ["variant", "what", "writes/s", "vs A", "vs A, per round", "p50 ms", "p99 ms", "API CPU ms/write", "Neo4j CPU ms/write", "receivers CPU ms/write", "events/write", "delivered"],
      summary.map((v) => [
        v.variant,
        VARIANT_TEXT[v.variant] + (v.variant === "C" ? ` (${s.subscribers})` : v.variant === "D" ? ` (${s.webhooks})` : ""),
        n(v.rps),
        x(v.ratioToA),
        x(v.roundRatioToA),
        ms(v.p50),
        ms(v.p99),
        ms(v.apiCpuMs),
        ms(v.neo4jCpuMs),
        ms(v.sinksCpuMs),
        Number.isFinite(v.eventsPerWrite) ? v.eventsPerWrite.toFixed(2) : "–",
        v.delivery,
      ]),
    ),
  );
  out.push("");
  out.push(
    "writes/s: answers without errors per second (median over rounds); p50/p99: their latency at the client (median over rounds); vs A: writes/s / A's " +
      "(goal of issue 14: B, C and D at least 0.90×); per round: the median of each round's ratio to the A of the same round. CPU: the process's CPU time per " +
      "write during the measured run (the API's includes its background work: sequencer, subscriptions, webhook deliveries; the receivers' is the process of the " +
      "live subscribers and the webhook receiver, which shares the 2 cores here and would not in a deployment). events/write: channel events " +
      "concerning the provider written per order, from the database (A: 0 proves the outbox write is gone). delivered: events each subscriber / webhook " +
      "receiver should have had since it was set up, and when the last arrived.",
  );
  out.push("");
  out.push("One write at a time (1 connection, 3 s after each measured run and its deliveries; median over rounds):");
  out.push("");
  out.push(
    table(
      ["variant", "what", "p50 ms", "vs A", "write transaction ms", "vs A", "viewer query ms"],
      summary.map((v) => {
        const a = summary.find((w) => w.variant === "A");
        return [v.variant, VARIANT_TEXT[v.variant], ms(v.aloneP50), x(ratio(v.aloneP50, a?.aloneP50)), ms(v.aloneWriteTx), x(ratio(v.aloneWriteTx, a?.aloneWriteTx)), ms(v.aloneViewer)];
      }),
    ),
  );
  out.push("");
  out.push(
    "write transaction: SubmitOrder's one write transaction (orders/submit-check, orders/create, audit/record: the outbox write is in the last), " +
      "from its session's start to its commit, in the API process.",
  );
  out.push("");
  out.push("Transactions of the API's background loops during the measured runs (none in a request; per write, and their mean duration):");
  out.push("");
  for (const v of summary) out.push(`- ${v.variant}: ${Number.isFinite(v.backgroundPerWrite) ? v.backgroundPerWrite.toFixed(2) : "–"} per write: ${v.background}`);
  const reads = summary.filter((v) => v.readRps !== undefined);
  if (reads.length) {
    const a = reads.find((v) => v.variant === "A");
    out.push("");
    out.push("## Reads: Customers page 1");
    out.push("");
    out.push(
      table(
        ["variant", "what", "req/s", "vs A", "p50 ms", "p99 ms"],
        reads.map((v) => [v.variant, VARIANT_TEXT[v.variant], n(v.readRps), x(ratio(v.readRps, a?.readRps)), ms(v.readP50), ms(v.readP99)]),
      ),
    );
    out.push("");
    out.push(
      `Customers (the contract's operation) page 1 as the global admin of the read fixture's provider (${n(run.fixture.readCustomers)} customers, ` +
        `orders for the first page's), after the writes of the same variant and round, nothing else running; median over rounds.`,
    );
  }
  out.push("");
  out.push("## Rounds");
  out.push("");
  out.push(
    table(
      ["round", "variant", "writes/s", "p50 ms", "p99 ms", "orders (db)", "events (db)", "failed", "GraphQL errors", "API CPU ms/write", "event loop", "read req/s", "load avg"],
      run.rounds.map((r) => [
        String(r.round),
        r.variant,
        n(r.load.rps),
        ms(r.load.p50),
        ms(r.load.p99),
        n(r.orders),
        n(r.events),
        n(r.load.errors),
        n(r.load.graphqlErrors),
        ms(r.server?.cpuMsPerRequest),
        r.server ? `${Math.round(r.server.eventLoopUtilization * 100)}%` : "–",
        n(r.read?.rps),
        String(r.loadAverage),
      ]),
    ),
  );
  out.push("");
  out.push("## Variant A: the patch (bench/lib/no-outbox.ts), applied to a copy of the work tree");
  out.push("");
  out.push("```diff");
  out.push(run.noOutboxDiff.trimEnd());
  out.push("```");
  const errors = run.rounds.filter((r) => r.load.firstError).map((r) => `round ${r.round} ${r.variant}: ${r.load.firstError}`);
  const deliveryErrors = run.rounds.flatMap((r) => (r.delivery?.errors ?? []).map((e) => `round ${r.round} ${r.variant}: ${e}`));
  if (run.notes.length || errors.length || deliveryErrors.length) {
    out.push("");
    out.push("## Notes");
    out.push("");
    for (const line of [...run.notes, ...errors, ...deliveryErrors]) out.push(`- ${line}`);
  }
  out.push("");
  return out.join("\n");
}

// ------------------------------------------------------------------------------------------ the run

interface Gql {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function gql(url: string, token: string, query: string, variables: Record<string, unknown> = {}, operationName?: string): Promise<Gql> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables, ...(operationName ? { operationName } : {}) }),
  });
  return (await response.json()) as Gql;
}

const CREATE_WEBHOOK = `mutation CreateWebhook($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id url events active } secret } }`;
const DELETE_WEBHOOK = `mutation DeleteWebhook($id: ID!) { deleteWebhook(id: $id) { id } }`;

class Bench {
  private api: ChildServer | null = null;
  private apiKind: string | null = null;
  private readonly submitOrder = contractOperation("SubmitOrder");
  private readonly customersOp = contractOperation("Customers");
  private readonly rotation: Rotation;
  private readonly readBody: string;
  private readonly neo4jPid: number | undefined;
  readonly unavailable: Partial<Record<Variant, string>> = {};
  readonly notes: string[] = [];

  constructor(
    private readonly opts: Options,
    private readonly db: Database,
    private readonly env: Record<string, string>,
    private readonly copyRoot: string,
    private readonly fixture: WriteFixture,
    private readonly sinks: Sinks,
  ) {
    const w = fixture.write;
    this.rotation = new Rotation(
      w.customerIds.map((customerId) =>
        JSON.stringify({
          query: this.submitOrder,
          operationName: "SubmitOrder",
          variables: { input: { customerId, resellerId: w.reseller.id, lineItems: [{ offerId: fixture.offerId, quantity: 1 }] } },
        }),
      ),
    );
    this.readBody = JSON.stringify({ query: this.customersOp, operationName: "Customers", variables: { first: 20 } });
    this.neo4jPid = localNeo4jPid(db.settings.uri);
  }

  private get writeHeaders() {
    return { authorization: `Bearer ${this.fixture.write.provider.admin.token}` };
  }

  /**
   * The API of the variant, alone and fresh: the one before is stopped, a new one started and
   * warmed up, so every measurement starts from the same state (a process that had served the
   * variants before it would be warmer than one just started; --keep-api reuses the work tree's
   * process for B, C and D).
   */
  async apiFor(variant: Variant): Promise<ChildServer> {
    const kind = variant === "A" ? "copy" : variant === "B0" ? "main, no webhook delivery" : "main";
    if (this.api && this.apiKind === kind && this.opts.keepApi) return this.api;
    await this.api?.stop();
    this.api = null;
    const started = Date.now();
    const env = variant === "B0" ? { ...this.env, WEBHOOK_DELIVERY: "off" } : this.env;
    this.api = await ChildServer.start("api", env, kind === "copy" ? this.copyRoot : undefined);
    this.apiKind = kind;
    say(`  (API from ${kind === "copy" ? this.copyRoot : "the work tree"} started in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    // A few orders one at a time first: ten concurrent first requests on a cold process (JIT, the
    // statements' first plans) queue long enough to run out of the request budget.
    for (let i = 0; i < 5; i += 1) {
      const answer = await gql(this.api.url, this.fixture.write.provider.admin.token, this.submitOrder, JSON.parse(this.rotation.take()).variables, "SubmitOrder");
      if (answer.errors?.length && i === 4) throw new Error(`SubmitOrder as the fixture's provider failed (${kind}): ${JSON.stringify(answer.errors).slice(0, 400)}`);
    }
    if (this.opts.warmupS > 0) await this.writes(this.opts.warmupS);
    return this.api;
  }

  async stop(): Promise<void> {
    await this.api?.stop();
    this.api = null;
  }

  private writes(seconds: number): Promise<WriteLoadResult> {
    return writeLoad({ url: this.api!.url, body: this.rotation, headers: this.writeHeaders, connections: this.opts.connections, seconds });
  }

  private reads(seconds: number): Promise<WriteLoadResult> {
    const headers = { authorization: `Bearer ${this.fixture.read.provider.admin.token}` };
    return writeLoad({ url: this.api!.url, body: this.readBody, headers, connections: this.opts.connections, seconds });
  }

  /** Until every committed event has its seq (the sequencer of the last process caught up), at most 30 s. */
  private async quiet(): Promise<void> {
    for (let i = 0; i < 150; i += 1) {
      if ((await writeCounts(this.db, this.fixture.write.provider.id)).unsequenced === 0) return;
      await sleep(200);
    }
    this.notes.push("events still unsequenced 30 s after a measurement (the next one started anyway)");
  }

  /** Setup through the events-on API: the read fixture's first page of customers gets orders; C and D are probed. */
  async prepare(): Promise<void> {
    const api = await this.apiFor("B");
    const r = this.fixture.read;
    const sample = await gql(api.url, this.fixture.write.provider.admin.token, this.submitOrder, JSON.parse(this.rotation.take()).variables, "SubmitOrder");
    if (sample.errors?.length) throw new Error(`SubmitOrder as the fixture's provider failed: ${JSON.stringify(sample.errors)}`);
    for (const customerId of r.customerIds.slice(0, 20)) {
      for (const quantity of [5, 12]) {
        const order = await gql(
          api.url,
          r.provider.admin.token,
          this.submitOrder,
          { input: { customerId, resellerId: r.reseller.id, lineItems: [{ offerId: this.fixture.offerId, quantity }] } },
          "SubmitOrder",
        );
        if (order.errors?.length) throw new Error(`SubmitOrder for the read fixture failed: ${JSON.stringify(order.errors)}`);
      }
    }
    if (this.opts.read) {
      const page = await gql(api.url, r.provider.admin.token, this.customersOp, { first: 20 }, "Customers");
      const edges = (page.data?.customers as { edges?: unknown[] } | undefined)?.edges;
      if (page.errors?.length || edges?.length !== 20) throw new Error(`Customers page 1 of the read fixture: ${JSON.stringify(page).slice(0, 400)}`);
    }
    if (this.opts.variants.includes("C")) {
      try {
        await this.sinks.subscribe(api.url, this.subscriberTokens().slice(0, 2));
        const before = await writeCounts(this.db, this.fixture.write.provider.id);
        await gql(api.url, this.fixture.write.provider.admin.token, this.submitOrder, JSON.parse(this.rotation.take()).variables, "SubmitOrder");
        let got: number[] = [];
        for (let i = 0; i < 50 && !(got.length === 2 && got.every((c) => c >= 1)); i += 1) {
          await sleep(200);
          const counts = await this.sinks.counts();
          got = counts.subscribers;
          if (counts.subscriberErrors.length) throw new Error(counts.subscriberErrors.join("; "));
        }
        if (!(got.length === 2 && got.every((c) => c >= 1))) throw new Error(`no event within 10 s of an order (received: ${got.join(", ")}; orders before: ${before.orders})`);
      } catch (error) {
        this.unavailable.C = `the live subscription did not work: ${error instanceof Error ? error.message : String(error)}`;
      } finally {
        await this.sinks.unsubscribe().catch(() => undefined);
        await this.sinks.reset();
      }
    }
    if (this.opts.variants.includes("D")) {
      const port = await this.sinks.webhookPort();
      const probe = await gql(api.url, this.fixture.write.provider.admin.token, CREATE_WEBHOOK, {
        input: { url: `http://127.0.0.1:${port}/probe`, events: ["ORDER_SUBMITTED"] },
      });
      const id = (probe.data?.createWebhook as { webhook?: { id: string } } | undefined)?.webhook?.id;
      if (probe.errors?.length || !id) this.unavailable.D = `createWebhook failed: ${JSON.stringify(probe.errors ?? probe.data).slice(0, 300)}`;
      else await gql(api.url, this.fixture.write.provider.admin.token, DELETE_WEBHOOK, { id });
    }
    await this.quiet();
  }

  /** C's subscribers: half as the provider's admin, half as the reseller's (every ORDER_SUBMITTED concerns both). */
  private subscriberTokens(): string[] {
    const w = this.fixture.write;
    return Array.from({ length: this.opts.subscribers }, (_, i) => (i % 2 === 0 ? w.provider : w.reseller).admin.token);
  }

  /**
   * Until the orders count stands still: a load's end aborts the requests in flight, whose
   * transactions may still commit; counted before a subscriber or webhook exists, such an order
   * would be expected at a receiver that never gets it.
   */
  private async settle(): Promise<void> {
    let last = -1;
    for (let i = 0; i < 50; i += 1) {
      const { orders } = await writeCounts(this.db, this.fixture.write.provider.id);
      if (orders === last) return;
      last = orders;
      await sleep(300);
    }
  }

  /** --profile: the API's V8 CPU profile and Neo4j's flight recording, over the measured run. */
  private async profileStart(api: ChildServer): Promise<{ stop: (name: string) => Promise<void> }> {
    const dir = join(this.opts.out, "profiles", `writes-${new Date().toISOString().slice(0, 10)}`);
    mkdirSync(dir, { recursive: true });
    const pid = this.neo4jPid;
    const jcmd = (...args: string[]) => (pid === undefined ? null : spawnSync("jcmd", [String(pid), ...args], { encoding: "utf8" }));
    const started = jcmd("JFR.start", "name=bench-writes", "settings=profile");
    if (started && started.status !== 0) this.notes.push(`jcmd JFR.start failed: ${started.stderr || started.stdout}`);
    await api.profileStart();
    return {
      stop: async (name: string) => {
        writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(await api.profileStop()));
        const stopped = jcmd("JFR.stop", "name=bench-writes", `filename=${join(dir, `${name}.jfr`)}`);
        if (stopped && stopped.status !== 0) this.notes.push(`jcmd JFR.stop failed: ${stopped.stderr || stopped.stdout}`);
        say(`  profiles: ${join(dir, name)}.{cpuprofile,jfr}`);
      },
    };
  }

  async measure(round: number, variant: Variant): Promise<WriteRound> {
    const api = await this.apiFor(variant);
    await this.settle();
    await this.quiet();
    const w = this.fixture.write;
    let setupOrders = 0;
    const hookIds: { id: string; token: string }[] = [];
    if (variant === "C") {
      await this.sinks.reset();
      await this.sinks.subscribe(api.url, this.subscriberTokens());
      setupOrders = (await writeCounts(this.db, w.provider.id)).orders;
    }
    if (variant === "D") {
      await this.sinks.reset();
      const port = await this.sinks.webhookPort();
      setupOrders = (await writeCounts(this.db, w.provider.id)).orders;
      for (let i = 0; i < this.opts.webhooks; i += 1) {
        const org = i % 2 === 0 ? w.provider : w.reseller;
        const created = await gql(api.url, org.admin.token, CREATE_WEBHOOK, {
          input: { url: `http://127.0.0.1:${port}/round${round}-hook${i}`, events: ["ORDER_SUBMITTED"] },
        });
        const id = (created.data?.createWebhook as { webhook?: { id: string } } | undefined)?.webhook?.id;
        if (!id) throw new Error(`createWebhook: ${JSON.stringify(created.errors ?? created.data).slice(0, 300)}`);
        hookIds.push({ id, token: org.admin.token });
      }
    }
    if (this.opts.warmupS > 0) await this.writes(this.opts.warmupS);
    const loadAverage = load1();
    const before = await writeCounts(this.db, w.provider.id);
    const cpuBefore = processCpuMs(this.neo4jPid);
    const sinksBefore = processCpuMs(this.sinks.pid);
    const profiling = this.opts.profile ? await this.profileStart(api) : null;
    await api.windowStart();
    const load = await this.writes(this.opts.durationS);
    const server = await api.windowEnd();
    if (profiling) await profiling.stop(`round${round}-${variant}`);
    const cpuAfter = processCpuMs(this.neo4jPid);
    const sinksAfter = processCpuMs(this.sinks.pid);
    const loadEnded = Date.now();
    const after = await writeCounts(this.db, w.provider.id);
    const orders = after.orders - before.orders;
    const result: WriteRound = {
      round,
      variant,
      load,
      orders,
      events: after.events - before.events,
      server,
      ...(cpuBefore !== undefined && cpuAfter !== undefined && orders > 0 ? { neo4jCpuMsPerWrite: (cpuAfter - cpuBefore) / orders } : {}),
      ...(sinksBefore !== undefined && sinksAfter !== undefined && orders > 0 ? { sinksCpuMsPerWrite: (sinksAfter - sinksBefore) / orders } : {}),
      loadAverage,
    };
    if (variant === "C" || variant === "D") {
      const expected = after.orders - setupOrders;
      const least = async () => {
        const counts = await this.sinks.counts();
        const values =
          variant === "C"
            ? counts.subscribers
            : hookIds.map((_, i) => counts.webhooks[`/round${round}-hook${i}`]?.events ?? 0);
        const posts = Object.values(counts.webhooks).reduce((a, h) => a + h.posts, 0);
        return { least: values.length ? Math.min(...values) : 0, errors: counts.subscriberErrors, posts };
      };
      const atEnd = await least();
      let now = atEnd;
      // Subscribers: 60 s at most; webhooks (a delivery loop that may lag): 180 s.
      const deadline = loadEnded + (variant === "C" ? 60_000 : 180_000);
      while (now.least < expected && Date.now() < deadline) {
        await sleep(100);
        now = await least();
      }
      result.delivery = {
        expected,
        atLoadEnd: atEnd.least,
        received: now.least,
        drainedAfterS: now.least >= expected ? (Date.now() - loadEnded) / 1000 : null,
        ...(variant === "D" ? { posts: now.posts } : {}),
        errors: now.errors,
      };
    }
    await api.windowStart();
    const aloneLoad = await writeLoad({ url: api.url, body: this.rotation, headers: this.writeHeaders, connections: 1, seconds: Math.min(3, this.opts.durationS) });
    result.alone = { load: aloneLoad, server: await api.windowEnd() };
    if (variant === "C") await this.sinks.unsubscribe();
    for (const hook of hookIds) {
      const deleted = await gql(api.url, hook.token, DELETE_WEBHOOK, { id: hook.id });
      if (deleted.errors?.length) this.notes.push(`deleteWebhook failed: ${JSON.stringify(deleted.errors).slice(0, 200)}`);
    }
    if (this.opts.read && (variant === "A" || variant === "B")) {
      await this.quiet();
      if (this.opts.warmupS > 0) await this.reads(Math.min(this.opts.warmupS, 2));
      result.read = await this.reads(this.opts.durationS);
    }
    return result;
  }
}

function line(r: WriteRound): string {
  const parts = [
    `round ${r.round} ${r.variant}: ${n(r.load.rps)} writes/s, p50 ${ms(r.load.p50)} p99 ${ms(r.load.p99)} ms`,
    `${n(r.orders)} orders, ${n(r.events)} events`,
    r.server ? `API CPU ${ms(r.server.cpuMsPerRequest)} ms/write, ${r.orders ? (sumCounts(r.server.background) / r.orders).toFixed(2) : "–"} background tx/write` : "",
    r.load.errors || r.load.graphqlErrors ? `FAILED ${r.load.errors} + GraphQL errors ${r.load.graphqlErrors}` : "",
    r.delivery
      ? `delivered ${n(r.delivery.received)}/${n(r.delivery.expected)}${r.delivery.drainedAfterS !== null ? ` (${r.delivery.drainedAfterS.toFixed(1)} s after)` : ""}`
      : "",
    r.alone ? `one at a time p50 ${ms(r.alone.load.p50)} ms (write tx ${ms(writeTxMs(r.alone.server))} ms)` : "",
    r.read ? `read ${n(r.read.rps)} req/s p50 ${ms(r.read.p50)} ms` : "",
    `load ${r.loadAverage}`,
  ];
  return `  ${parts.filter(Boolean).join("; ")}`;
}

export async function main(argv: string[]): Promise<void> {
  const opts = options(argv);
  if (opts.help) {
    say(HELP);
    return;
  }
  const startedAt = new Date();
  const machine = machineInfo();
  say(`Machine: ${machine.cpuModel}, ${machine.cores} cores; load average ${machine.loadAverageAtStart}.`);
  // First, so a changed record.cypher or audit.ts stops the run before anything else.
  const copy = makeNoOutboxCopy();
  say(`Variant A runs from ${copy.root} (the outbox write removed):\n${copy.diff}`);
  const db = await openBenchDatabase((l) => say(`[neo4j] ${l}`));
  let fixture: WriteFixture | null = null;
  let sinks: Sinks | null = null;
  let bench: Bench | null = null;
  try {
    const data = await dataSize(db);
    const info = await neo4jInfo(db);
    const roundTripAtStart = await roundTrip(db);
    say(`Neo4j round trip (RETURN 1): p50 ${roundTripAtStart.p50} ms, p90 ${roundTripAtStart.p90} ms.`);
    const left = await removeLeftovers(db);
    if (left.length) say(`Removed the fixtures of earlier runs: ${left.join(", ")}`);
    const secret = randomBytes(48).toString("base64url");
    const readCustomers = 60;
    fixture = await createWriteFixture(db, { customers: opts.customers, readCustomers, secret: new TextEncoder().encode(secret) });
    say(`Neo4j ${info.version} at ${db.settings.uri} (${db.source}): ${data.customers.toLocaleString("en-US")} customers; fixture ${fixture.tag}.`);
    sinks = await Sinks.start();
    const env = serverEnv(db, secret, {
      DEMO: "off",
      // bench/server.ts: webhooks to http://127.0.0.1 allowed (D-30: development only), in every variant alike.
      BENCH_LOOPBACK_WEBHOOKS: "on",
    });
    bench = new Bench(opts, db, env, copy.root, fixture, sinks);
    say("Preparing (read fixture's orders, probing the live subscription and the webhooks)...");
    await bench.prepare();
    for (const [v, why] of Object.entries(bench.unavailable)) say(`  variant ${v} skipped: ${why}`);
    const variants = opts.variants.filter((v) => !bench!.unavailable[v]);
    const perRound = variants.length * (opts.durationS + opts.warmupS) + (opts.read ? 2 * (opts.durationS + Math.min(opts.warmupS, 2)) : 0);
    say(`${opts.rounds} round(s) of ${variants.join(" ")}, ${opts.durationS} s each after ${opts.warmupS} s warm-up, ${opts.connections} connections: about ${Math.ceil((opts.rounds * (perRound + 30)) / 60)} min.`);
    const rounds: WriteRound[] = [];
    for (let round = 1; round <= opts.rounds; round += 1) {
      for (const variant of variants) {
        const r = await bench.measure(round, variant);
        say(line(r));
        rounds.push(r);
      }
    }
    await bench.stop();
    machine.loadAverageAtEnd = load1();
    const roundTripAtEnd = await roundTrip(db).catch(() => null);
    const run: WritesRun = {
      version: 1,
      kind: "writes",
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      smoke: opts.smoke,
      settings: {
        durationS: opts.durationS,
        warmupS: opts.warmupS,
        rounds: opts.rounds,
        connections: opts.connections,
        customers: opts.customers,
        subscribers: opts.subscribers,
        webhooks: opts.webhooks,
        variants,
        read: opts.read,
        keepApi: opts.keepApi,
        profile: opts.profile,
      },
      neo4jSource: db.source,
      neo4j: info,
      machine,
      versions: packageVersions(),
      code: codeVersion(),
      data,
      fixture: { customers: opts.customers, readCustomers },
      noOutboxDiff: copy.diff,
      unavailable: bench.unavailable,
      rounds,
      notes: bench.notes,
      roundTripMs: { start: roundTripAtStart, end: roundTripAtEnd },
    };
    const partial = !DEFAULT_VARIANTS.every((v) => variants.includes(v));
    const base = join(opts.out, `${startedAt.toISOString().slice(0, 10)}-writes${opts.smoke ? "-smoke" : ""}${partial ? "-partial" : ""}`);
    mkdirSync(opts.out, { recursive: true });
    writeFileSync(`${base}.json`, `${JSON.stringify(run, null, 2)}\n`);
    const md = writesMarkdown(run);
    writeFileSync(`${base}.md`, md);
    say();
    say(md.split("\n## Rounds")[0]);
    say(`Results: ${base}.json, ${base}.md`);
    const failed = rounds.filter((r) => r.load.errors > 0 || r.load.graphqlErrors > 0 || (r.variant === "A" ? r.events !== 0 : r.events < r.orders));
    if (failed.length) {
      say(`WARNING: ${failed.length} measurement(s) with failed requests, GraphQL errors or unexpected event counts (see the rounds table).`);
      if (opts.smoke) process.exitCode = 1;
    }
  } finally {
    await bench?.stop().catch(() => undefined);
    await sinks?.stop().catch(() => undefined);
    if (fixture) {
      const removed = await fixture.remove().catch((error: unknown) => {
        say(`WARNING: the fixture ${fixture!.tag} was not removed (${error instanceof Error ? error.message : String(error)}); the next run removes it.`);
        return 0;
      });
      if (removed) say(`Fixture ${fixture.tag} removed (${removed.toLocaleString("en-US")} nodes).`);
    }
    await db.driver.close();
    await db.local?.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`bench:writes: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
