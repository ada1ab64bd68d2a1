/**
 * The results of a run: the JSON file (everything measured) and the Markdown report (the
 * tables), both under bench/results/<date>-<customers>.*, and `--compare` of two JSON files.
 */
import { readFileSync } from "node:fs";
import type { ServerWindow } from "./instrument.js";
import type { LoadResult } from "./load.js";
import type { CodeVersion, MachineInfo } from "./machine.js";
import type { DataSize, Neo4jInfo } from "./neo4j.js";
import type { ProfileSummary } from "./profile.js";
import { ratio } from "./stats.js";
import type { SubjectKey } from "./subjects.js";

export interface SubjectInfo {
  key: SubjectKey;
  partnerName: string;
  kind: "PROVIDER" | "RESELLER";
  customers: number;
  partners: number;
  email: string;
}

export interface TargetResult {
  load: LoadResult;
  /** Cypher statements per request (x-cypher-queries of a sample request; the floor: 1). */
  queries: number;
  /** Server-side timings (API and peer). */
  server?: ServerWindow;
  /** CPU time of the Neo4j process per request, when it runs on this machine. */
  neo4jCpuMsPerRequest?: number;
  /** The floor: CPU of the load process (driver only) per query. */
  clientCpuMsPerRequest?: number;
}

export interface CaseResult {
  label: string;
  family: string;
  operationName: string;
  subject: SubjectInfo;
  notes: string[];
  api: TargetResult | null;
  floor: TargetResult | null;
  peer: TargetResult | null;
  /** null: same ids and counts; else the first difference from the API's answer. */
  match: { floor: string | null; peer: string | null };
  /** The API (client and server side) and the floor with one connection: a request's composition without queueing. */
  alone?: { api: { load: LoadResult; server: ServerWindow }; floor?: LoadResult };
  apiError?: string;
  peerError?: string;
  /** x-cypher-queries of the sample answers. */
  apiQueries?: number;
  peerQueries?: number;
  profile?: ProfileSummary;
}

export interface RunResult {
  version: 1;
  startedAt: string;
  finishedAt: string;
  smoke: boolean;
  settings: { durationS: number; warmupS: number; connections: number; deepPage: number; pageSize: number; peer: boolean; floor: boolean; profile: boolean };
  neo4jSource: string;
  neo4j: Neo4jInfo;
  machine: MachineInfo;
  versions: Record<string, string>;
  /** The API's code: commit and uncommitted changes under src/ and cypher/. */
  code?: CodeVersion | null;
  data: DataSize;
  /** Only the synthetic channel's organisations (`scale: true`) were candidates. */
  scaleOnly: boolean;
  subjects: SubjectInfo[];
  cases: CaseResult[];
  peerNotes: string[];
  profile?: ProfileSummary;
}

// ------------------------------------------------------------------------------------- formatting

export function ms(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return "–";
  if (value < 10) return value.toFixed(2);
  if (value < 100) return value.toFixed(1);
  return value.toFixed(0);
}

export function x(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : "–";
}

function n(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? "–" : Math.round(value).toLocaleString("en-US");
}

function who(subject: SubjectInfo): string {
  return `${subject.key} (${n(subject.customers)})`;
}


function table(header: string[], rows: string[][]): string {
  const lines = [`| ${header.join(" | ")} |`, `|${header.map((h, i) => (i < 2 ? "---" : "---:")).join("|")}|`];
  for (const row of rows) lines.push(`| ${row.join(" | ")} |`);
  return lines.join("\n");
}

function matchCell(c: CaseResult): string {
  if (c.apiError) return "API error";
  const parts: string[] = [];
  parts.push(c.floor ? (c.match.floor === null ? "floor ✓" : "floor ✗") : "");
  parts.push(c.peer ? (c.match.peer === null ? "peer ✓" : "peer ✗") : c.peerError ? "peer error" : "");
  return parts.filter(Boolean).join(", ");
}

export function mainTable(cases: CaseResult[]): string {
  return table(
    [
      "operation",
      "as (customers)",
      "API p50 ms",
      "API p99 ms",
      "API req/s",
      "Cypher/req",
      "floor p50 ms",
      "API/floor p50",
      "peer p50 ms",
      "peer req/s",
      "API/peer req/s",
      "API/peer p50",
      "same data",
    ],
    cases.map((c) => [
      c.label,
      who(c.subject),
      ms(c.api?.load.p50),
      ms(c.api?.load.p99),
      n(c.api?.load.rps),
      c.api ? `${c.api.queries}${c.peer ? ` (peer ${c.peer.queries})` : ""}` : "–",
      ms(c.floor?.load.p50),
      x(ratio(c.api?.load.p50, c.floor?.load.p50)),
      c.peerError ? "error" : ms(c.peer?.load.p50),
      c.peerError ? "error" : n(c.peer?.load.rps),
      x(ratio(c.api?.load.rps, c.peer?.load.rps)),
      x(ratio(c.api?.load.p50, c.peer?.load.p50)),
      matchCell(c),
    ]),
  );
}

/** One request at a time (one connection): where a request's time goes without queueing. */
export function aloneTable(cases: CaseResult[]): string {
  return table(
    ["operation", "as", "API p50 ms", "floor p50 ms", "API/floor", "API server ms", "viewer query", "data queries (wall)", "other (JS)", "transactions"],
    cases.map((c) => {
      const a = c.alone?.api;
      const s = a?.server;
      return [
        c.label,
        c.subject.key,
        ms(a?.load.p50),
        ms(c.alone?.floor?.p50),
        x(ratio(a?.load.p50, c.alone?.floor?.p50)),
        ms(s?.serverMean),
        ms(s?.viewerMean),
        ms(s?.dataMean),
        ms(s?.otherMean),
        s ? s.transactionsPerRequest.toFixed(1) : "–",
      ];
    }),
  );
}

/** Under the run's concurrency: server-side means, CPU per request of each process. */
export function loadTable(cases: CaseResult[]): string {
  return table(
    [
      "operation",
      "as",
      "API server ms",
      "viewer query",
      "data queries (wall)",
      "other (JS + waiting)",
      "API CPU ms/req",
      "API event loop busy",
      "peer CPU ms/req",
      "floor client CPU ms/req",
      "Neo4j CPU ms/req: API / floor / peer",
    ],
    cases.map((c) => {
      const s = c.api?.server;
      return [
        c.label,
        c.subject.key,
        ms(s?.serverMean),
        ms(s?.viewerMean),
        ms(s?.dataMean),
        ms(s?.otherMean),
        ms(s?.cpuMsPerRequest),
        s ? `${Math.round(s.eventLoopUtilization * 100)}%` : "–",
        ms(c.peer?.server?.cpuMsPerRequest),
        ms(c.floor?.clientCpuMsPerRequest),
        `${ms(c.api?.neo4jCpuMsPerRequest)} / ${ms(c.floor?.neo4jCpuMsPerRequest)} / ${ms(c.peer?.neo4jCpuMsPerRequest)}`,
      ];
    }),
  );
}

/** Each case's transactions (one connection), by the named queries they ran: mean ms per request. */
export function transactionLines(cases: CaseResult[]): string[] {
  return cases
    .filter((c) => c.alone)
    .map((c) => {
      const byQuery = Object.entries(c.alone!.api.server.byQuery)
        .sort((a, b) => b[1] - a[1])
        .map(([name, t]) => `${name} ${ms(t)}`)
        .join(" · ");
      return `${c.label} as ${c.subject.key}: ${byQuery}`;
    });
}

/** Customers page N vs page 1 for each subject that has both. */
export function scaleLines(result: RunResult): string[] {
  const lines: string[] = [];
  for (const deep of result.cases.filter((c) => c.family === "customers-deep")) {
    const first = result.cases.find((c) => c.family === "customers" && c.subject.key === deep.subject.key);
    if (!first) continue;
    const part = (label: string, a?: TargetResult | null, b?: TargetResult | null) =>
      `${label} ${ms(b?.load.p50)} / ${ms(a?.load.p50)} ms = ${x(ratio(b?.load.p50, a?.load.p50))}`;
    lines.push(
      `${deep.label} vs Customers p1 as ${deep.subject.key} (${n(deep.subject.customers)} customers; p50 of page ${deep.label.slice("Customers p".length)} / page 1): ` +
        [part("API", first.api, deep.api), part("floor", first.floor, deep.floor), part("peer", first.peer, deep.peer)].join("; "),
    );
  }
  return lines;
}

export function profileTable(summary: ProfileSummary, limit = 14): string {
  const self = new Map(summary.categories.map((c) => [c.name, c]));
  return table(
    ["where", "", "CPU, callers charged", "self time"],
    summary.attributed
      .slice(0, limit)
      .map((c) => [c.name, "", `${(c.share * 100).toFixed(1)}%`, self.has(c.name) ? `${(self.get(c.name)!.share * 100).toFixed(1)}%` : "–"]),
  );
}

export function markdown(result: RunResult): string {
  const d = result.data;
  const m = result.machine;
  const v = result.versions;
  const out: string[] = [];
  out.push(`# Benchmark ${result.startedAt.slice(0, 10)}: ${n(d.customers)} customers${result.smoke ? " (smoke)" : ""}`);
  out.push("");
  out.push(
    `Data: ${n(d.nodes)} nodes, ${n(d.relationships)} relationships; ${n(d.customers)} customers (${n(d.scaleCustomers)} from seed:scale), ` +
      `${n(d.providers)} providers, ${n(d.resellers)} resellers, ${n(d.users)} users, ${n(d.subscriptions)} subscriptions` +
      `${d.orders === undefined ? "" : `, ${n(d.orders)} orders`}` +
      `${result.scaleOnly ? "; subjects picked among the seed:scale organisations" : ""}.`,
  );
  out.push(
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.ramGiB} GiB, ${m.os}; load average ${m.loadAverageAtStart} at start, ${m.loadAverageAtEnd ?? "?"} at the end. ` +
      `Neo4j ${result.neo4j.version} ${result.neo4j.edition} (heap ${result.neo4j.heap ?? "?"}, page cache ${result.neo4j.pageCache ?? "?"}; ${result.neo4jSource}), same machine.`,
  );
  out.push(
    `Versions: Node ${v.node}, neo4j-driver ${v["neo4j-driver"]}, @neo4j/graphql ${v["@neo4j/graphql"]}, @apollo/server ${v["@apollo/server"]}, ` +
      `graphql ${v.graphql}, type-graphql ${v["type-graphql"]}, graphql-shield ${v["graphql-shield"]}, express ${v.express}, autocannon ${v.autocannon}.`,
  );
  if (result.code) {
    out.push(
      `API code: commit ${result.code.commit.slice(0, 7)}` +
        (result.code.changed.length ? ` with uncommitted changes to ${result.code.changed.join(", ")}.` : " (src/ and cypher/ as committed)."),
    );
  }
  const s = result.settings;
  out.push(
    `Settings: ${s.durationS} s per operation and target after ${s.warmupS} s of warm-up, ${s.connections} connections (autocannon) / ${s.connections} workers (floor); ` +
      `page size ${s.pageSize}, deep page ${s.deepPage}. API and peer each in their own Node process (NODE_ENV=production), load generator and floor in a third.`,
  );
  out.push("");
  out.push("Subjects (each a global admin, token minted with the API's secret):");
  for (const subject of result.subjects) {
    out.push(`- ${subject.key}: ${subject.partnerName} (${subject.kind.toLowerCase()}, ${n(subject.customers)} customers, ${n(subject.partners)} partnerships), ${subject.email}`);
  }
  out.push("");
  out.push(mainTable(result.cases));
  out.push("");
  out.push(
    "p50/p99: latency at the client (autocannon / the floor's loop) under the concurrency above; req/s: responses per second. " +
      "Floor: one hand-written Cypher statement per request through neo4j-driver (bench/floor/), no HTTP, GraphQL, token or viewer. " +
      "Peer: @neo4j/graphql over the same database and HTTP stack (bench/peer/), no authorization (scoped by partner id in `where`). " +
      "same data: ids and counts of the answer equal the API's (✗: see the warnings).",
  );
  const scale = scaleLines(result);
  if (scale.length) {
    out.push("");
    out.push("## Scale: deep page vs first page");
    out.push("");
    for (const line of scale) out.push(`- ${line}`);
  }
  out.push("");
  out.push("## Where the API's time goes");
  out.push("");
  out.push(`One request at a time (1 connection, ${result.smoke ? 1 : Math.min(3, s.durationS)} s each, after the measured run):`);
  out.push("");
  out.push(aloneTable(result.cases));
  out.push("");
  out.push(
    "API server ms: HTTP request event to response finish in the API process (mean); viewer query: `auth/viewer` alone, read while building the context " +
      "(0 when the operation's read was planned and went with it, as `auth/viewer+<query>`, counted under data); " +
      "data queries: wall time covered by the operation's other transactions (DataLoader batches may overlap); other: the rest (HTTP, JSON, JWT, Apollo, " +
      "graphql-shield, resolvers, serialization). Transactions per request: each a session; a read is one auto-commit transaction (RUN and PULL sent together).",
  );
  out.push("");
  out.push("Transactions of one request (mean ms each, one connection):");
  out.push("");
  for (const line of transactionLines(result.cases)) out.push(`- ${line}`);
  out.push("");
  out.push(`Under load (${result.settings.connections} connections):`);
  out.push("");
  out.push(loadTable(result.cases));
  out.push("");
  out.push(
    "Server-side means under load include waiting for a busy event loop. CPU ms/req: the process's CPU time / responses (API, peer; the floor: " +
      "the load process, i.e. the driver alone). Neo4j CPU: the database process's CPU time / responses, when it runs on this machine.",
  );
  if (result.profile) {
    out.push("");
    out.push(`## CPU profile of the API process (all cases, under load, ${ms(result.profile.busyMs / 1000)} s busy)`);
    out.push("");
    out.push(profileTable(result.profile));
    out.push("");
    out.push("Share of the busy (non-idle) CPU time. Callers charged: time in Node core, native code and GC is charged to the nearest calling package or src/ folder (GC has no caller).");
    out.push("");
    out.push("Hottest functions (self time):");
    out.push("");
    for (const f of result.profile.functions.slice(0, 10)) out.push(`- ${(f.share * 100).toFixed(1)}% ${f.name} [${f.category}]`);
  }
  const warnings = result.cases.flatMap((c) => {
    const lines: string[] = [];
    const tag = `${c.label} as ${c.subject.key}`;
    if (c.apiError) lines.push(`${tag}: API error: ${c.apiError}`);
    if (c.peerError) lines.push(`${tag}: peer error: ${c.peerError}`);
    if (c.match.floor) lines.push(`${tag}: floor differs from the API: ${c.match.floor}`);
    if (c.match.peer) lines.push(`${tag}: peer differs from the API: ${c.match.peer}`);
    for (const target of ["api", "floor", "peer"] as const) {
      const errors = c[target]?.load.errors ?? 0;
      if (errors > 0) lines.push(`${tag}: ${target}: ${errors} failed requests during the run`);
    }
    return lines;
  });
  const notes = [...new Set(result.cases.flatMap((c) => c.notes))];
  if (warnings.length || notes.length || result.peerNotes.length) {
    out.push("");
    out.push("## Notes");
    out.push("");
    for (const line of warnings) out.push(`- WARNING ${line}`);
    for (const line of notes) out.push(`- ${line}`);
    for (const line of result.peerNotes) out.push(`- Peer, ${line}`);
  }
  out.push("");
  return out.join("\n");
}

// ------------------------------------------------------------------------------------- compare

export function compare(fileA: string, fileB: string): string {
  const a = JSON.parse(readFileSync(fileA, "utf8")) as RunResult;
  const b = JSON.parse(readFileSync(fileB, "utf8")) as RunResult;
  const out: string[] = [];
  out.push(`A: ${fileA}: ${n(a.data.customers)} customers, ${a.startedAt}`);
  out.push(`B: ${fileB}: ${n(b.data.customers)} customers, ${b.startedAt}`);
  out.push("");
  const rows: string[][] = [];
  for (const caseB of b.cases) {
    const caseA = a.cases.find((c) => c.family === caseB.family && c.subject.key === caseB.subject.key);
    if (!caseA) continue;
    rows.push([
      caseB.family === "customers-deep" ? `${caseA.label} → ${caseB.label}` : caseB.label,
      `${caseB.subject.key} (${n(caseA.subject.customers)} → ${n(caseB.subject.customers)})`,
      ms(caseA.api?.load.p50),
      ms(caseB.api?.load.p50),
      x(ratio(caseB.api?.load.p50, caseA.api?.load.p50)),
      ms(caseA.floor?.load.p50),
      ms(caseB.floor?.load.p50),
      x(ratio(caseB.floor?.load.p50, caseA.floor?.load.p50)),
      ms(caseA.peer?.load.p50),
      ms(caseB.peer?.load.p50),
      x(ratio(caseB.peer?.load.p50, caseA.peer?.load.p50)),
    ]);
  }
  out.push(
    table(
      ["operation", "as (customers A → B)", "API p50 A", "API p50 B", "B/A", "floor p50 A", "floor p50 B", "B/A", "peer p50 A", "peer p50 B", "B/A"],
      rows,
    ),
  );
  out.push("");
  out.push("Paged queries (Customers page N / page 1, p50):");
  for (const [name, run] of [
    ["A", a],
    ["B", b],
  ] as const) {
    for (const line of scaleLines(run)) out.push(`- ${name}: ${line}`);
  }
  return out.join("\n");
}
