/**
 * `npm run bench` (and `npm run bench:smoke`): the API under load over HTTP, against the floor
 * (hand-written Cypher) and a peer (@neo4j/graphql), on the data in the configured Neo4j.
 * See bench/README.md. Options: `npm run bench -- --help`.
 */
// First: src/shared/graphql/connection.ts (encodeCursor) carries type-graphql decorators.
import "reflect-metadata";
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import neo4j from "neo4j-driver";
import { ChildServer, serverEnv } from "./lib/servers.js";
import { floorLoad, httpLoad, sampleRequest, type LoadResult } from "./lib/load.js";
import { codeVersion, machineInfo, packageVersions } from "./lib/machine.js";
import { dataSize, localNeo4jPid, neo4jInfo, openBenchDatabase, plain, processCpuMs, terminateLeftovers, type Database } from "./lib/neo4j.js";
import { buildCases, firstDifference, OP_FAMILIES, type Case, type OpFamily } from "./lib/operations.js";
import { mergeSummaries, summarizeProfile, type ProfileSummary } from "./lib/profile.js";
import { compare, markdown, mainTable, ms, scaleLines, x, type CaseResult, type RunResult, type TargetResult } from "./lib/report.js";
import { ratio } from "./lib/stats.js";
import { MAX_WEB_CONCURRENCY, webConcurrency } from "../src/shared/config.js";
import { pickSubjects } from "./lib/subjects.js";

const HELP = `npm run bench -- [options]

Runs against the Neo4j of NEO4J_URI / NEO4J_USERNAME / NEO4J_PASSWORD / NEO4J_DATABASE (unset: the
local development instance, started if needed). Seed it first: npm run seed:scale -- --customers 10000

  --duration <s>       seconds per operation and target (default 10; --smoke: 2)
  --warmup <s>         warm-up seconds before each measurement (default 2; --smoke: 1)
  --connections <n>    concurrent connections / floor workers (default 10; --smoke: 8)
  --only <list>        comma-separated: ${OP_FAMILIES.join(", ")}
                       (--only submit-order: the writes bench instead, npm run bench:writes -- --help)
  --deep-page <n>      the deep page of Customers (default 1000)
  --skip-peer          do not run @neo4j/graphql
  --skip-floor         do not run the hand-written Cypher
  --workers <n>        API worker processes (WEB_CONCURRENCY, src/app/cluster.ts; default 1: one
                       process, no cluster primary); results get a -workers<n> suffix
  --profile            also take a CPU profile of the API process per case (an extra, unmeasured run)
  --smoke              short run for CI; exits 1 on API errors, failed requests or a floor mismatch
  --out <dir>          where results go (default bench/results)
  --report <run.json>  write the Markdown report of a result file again (after a change of format)
  --compare <a.json> [<b.json>]
                       compare two result files (default b: the newest other file in the results folder)
`;

const RESULTS_DIR = fileURLToPath(new URL("./results/", import.meta.url));

function options() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      duration: { type: "string" },
      warmup: { type: "string" },
      connections: { type: "string" },
      only: { type: "string" },
      "deep-page": { type: "string" },
      "skip-peer": { type: "boolean", default: false },
      "skip-floor": { type: "boolean", default: false },
      workers: { type: "string" },
      profile: { type: "boolean", default: false },
      smoke: { type: "boolean", default: false },
      out: { type: "string" },
      compare: { type: "string" },
      report: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  const number = (name: string, raw: string | undefined, fallback: number, min: number) => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number >= ${min}, got ${raw}`);
    return value;
  };
  const smoke = values.smoke;
  const families = values.only
    ? values.only.split(",").map((f) => {
        if (!OP_FAMILIES.includes(f.trim() as OpFamily)) throw new Error(`--only: unknown operation ${f}; known: ${OP_FAMILIES.join(", ")}`);
        return f.trim() as OpFamily;
      })
    : OP_FAMILIES;
  return {
    help: values.help,
    compare: values.compare ? [values.compare, ...positionals] : null,
    report: values.report ?? null,
    durationS: number("duration", values.duration, smoke ? 2 : 10, 1),
    warmupS: number("warmup", values.warmup, smoke ? 1 : 2, 0),
    connections: Math.round(number("connections", values.connections, smoke ? 8 : 10, 1)),
    deepPage: Math.round(number("deep-page", values["deep-page"], 1000, 1)),
    families,
    peer: !values["skip-peer"],
    floor: !values["skip-floor"],
    workers: workersOption(values.workers),
    profile: values.profile,
    smoke,
    out: resolve(values.out ?? RESULTS_DIR),
  };
}

/** --workers: the API's WEB_CONCURRENCY, validated as the server validates it. */
function workersOption(raw: string | undefined): number {
  if (raw === undefined) return 1;
  try {
    return webConcurrency({ WEB_CONCURRENCY: raw });
  } catch {
    throw new Error(`--workers must be an integer from 1 to ${MAX_WEB_CONCURRENCY} (or auto), got ${raw}`);
  }
}

type Options = ReturnType<typeof options>;

const say = (line = "") => process.stdout.write(`${line}\n`);

function newestOtherResult(dir: string, except: string): string {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => join(dir, f))
    .filter((f) => resolve(f) !== resolve(except))
    .sort();
  if (!files.length) throw new Error(`no other result file in ${dir} to compare with`);
  return files[files.length - 1];
}

/** Neo4j CPU time per request over a load, when the server runs on this machine. */
async function withNeo4jCpu(pid: number | undefined, load: () => Promise<LoadResult>): Promise<{ load: LoadResult; neo4jCpuMsPerRequest?: number }> {
  const before = processCpuMs(pid);
  const result = await load();
  const after = processCpuMs(pid);
  return {
    load: result,
    neo4jCpuMsPerRequest: before !== undefined && after !== undefined && result.requests > 0 ? (after - before) / result.requests : undefined,
  };
}

interface Prepared {
  c: Case;
  result: CaseResult;
  headers: Record<string, string>;
  peerOk: boolean;
}

/**
 * Before any measurement: each target answers the case twice (the second answer gives the query
 * count, after one-time work such as @neo4j/graphql's version check), and the answers are
 * compared on ids and counts.
 */
async function prepareCase(c: Case, opts: Options, db: Database, api: ChildServer, peer: ChildServer | null): Promise<Prepared> {
  const headers = { authorization: `Bearer ${c.subject.token}` };
  const result: CaseResult = {
    label: c.label,
    family: c.family,
    operationName: c.operationName,
    subject: {
      key: c.subject.key,
      partnerName: c.subject.partnerName,
      kind: c.subject.kind,
      customers: c.subject.customers,
      partners: c.subject.partners,
      email: c.subject.email,
    },
    notes: [...c.notes],
    api: null,
    floor: null,
    peer: null,
    match: { floor: null, peer: null },
  };
  await sampleRequest(api.url, c.apiBody, headers);
  const apiSample = await sampleRequest(api.url, c.apiBody, headers);
  if (apiSample.status !== 200 || apiSample.errors?.length) {
    result.apiError = `HTTP ${apiSample.status}: ${JSON.stringify(apiSample.errors ?? apiSample.data).slice(0, 300)}`;
    return { c, result, headers, peerOk: false };
  }
  result.apiQueries = apiSample.queries;
  const apiCanon = c.canon(c.apiRoot(apiSample.data));
  if (opts.floor) {
    const session = db.driver.session({ database: db.settings.database, defaultAccessMode: neo4j.session.READ });
    try {
      const records = (await session.run(c.floor.query, c.floor.params)).records;
      result.match.floor = firstDifference(apiCanon, c.canon(c.floor.root(records.length ? plain(records[0].get("data")) : null)));
    } finally {
      await session.close();
    }
  }
  let peerOk = false;
  if (peer && c.peer) {
    const first = await sampleRequest(peer.url, c.peer.body, {});
    // A failed first answer is not asked again (a retryable error costs the driver's retry time).
    const peerSample = first.status === 200 && !first.errors?.length ? await sampleRequest(peer.url, c.peer.body, {}) : first;
    if (peerSample.status !== 200 || peerSample.errors?.length) {
      result.peerError = `HTTP ${peerSample.status}: ${JSON.stringify(peerSample.errors ?? peerSample.data).slice(0, 300)}`;
    } else {
      result.peerQueries = peerSample.queries;
      result.match.peer = firstDifference(apiCanon, c.canon(c.peer.root(peerSample.data)));
      peerOk = true;
    }
  }
  return { c, result, headers, peerOk };
}

/** The measured runs of one case: the API, the floor, the peer, each after its warm-up, at the same concurrency. */
/** Seconds of the one-connection runs (API and floor) that show a request's composition without queueing. */
const ALONE_SECONDS = 3;
const SMOKE_ALONE_SECONDS = 1;

function aloneSecondsOf(opts: Options): number {
  return Math.min(opts.durationS, opts.smoke ? SMOKE_ALONE_SECONDS : ALONE_SECONDS);
}

async function measureCase(
  p: Prepared,
  opts: Options,
  db: Database,
  api: ChildServer,
  peer: ChildServer | null,
  neo4jPid: number | undefined,
  profileDir: string | null,
): Promise<CaseResult> {
  const { c, result, headers } = p;
  if (result.apiError) return result;
  const load = (url: string, body: string, h: Record<string, string>, seconds: number) =>
    httpLoad({ url, body, headers: h, connections: opts.connections, seconds });

  const leftBefore = await terminateLeftovers(db);
  if (leftBefore > 0) {
    result.notes.push(`${c.label} as ${c.subject.key}: ${leftBefore} transaction(s) of an earlier load still running when it began (terminated first).`);
  }
  if (opts.warmupS > 0) await load(api.url, c.apiBody, headers, opts.warmupS);
  await api.windowStart();
  const apiRun = await withNeo4jCpu(neo4jPid, () => load(api.url, c.apiBody, headers, opts.durationS));
  result.api = { ...apiRun, queries: result.apiQueries ?? Number.NaN, server: await api.windowEnd() };
  // One request at a time: the composition of a request without queueing.
  const aloneSeconds = aloneSecondsOf(opts);
  await api.windowStart();
  const apiAlone = await httpLoad({ url: api.url, body: c.apiBody, headers, connections: 1, seconds: aloneSeconds });
  result.alone = { api: { load: apiAlone, server: await api.windowEnd() } };
  if (opts.profile) {
    await api.profileStart();
    await load(api.url, c.apiBody, headers, Math.min(opts.durationS, 5));
    const profile = await api.profileStop();
    result.profile = summarizeProfile(profile);
    if (profileDir) {
      mkdirSync(profileDir, { recursive: true });
      writeFileSync(join(profileDir, `${c.label.replace(/\W+/g, "-")}-${c.subject.key}.cpuprofile`), JSON.stringify(profile));
    }
  }

  if (opts.floor) {
    const floorOptions = { driver: db.driver, database: db.settings.database, query: c.floor.query, params: c.floor.params, connections: opts.connections };
    if (opts.warmupS > 0) await floorLoad({ ...floorOptions, seconds: opts.warmupS });
    const cpu = process.cpuUsage();
    const floorRun = await withNeo4jCpu(neo4jPid, () => floorLoad({ ...floorOptions, seconds: opts.durationS }));
    const used = process.cpuUsage(cpu);
    result.floor = {
      ...floorRun,
      queries: 1,
      clientCpuMsPerRequest: floorRun.load.requests ? (used.user + used.system) / 1000 / floorRun.load.requests : undefined,
    };
    result.alone!.floor = await floorLoad({ ...floorOptions, connections: 1, seconds: aloneSecondsOf(opts) });
  }

  if (peer && c.peer && p.peerOk) {
    const peerBody = c.peer.body;
    if (opts.warmupS > 0) await load(peer.url, peerBody, {}, opts.warmupS);
    await peer.windowStart();
    const peerRun = await withNeo4jCpu(neo4jPid, () => load(peer.url, peerBody, {}, opts.durationS));
    result.peer = { ...peerRun, queries: result.peerQueries ?? Number.NaN, server: await peer.windowEnd() } satisfies TargetResult;
    const left = await terminateLeftovers(db);
    if (left > 0) {
      result.notes.push(
        `${c.label} as ${c.subject.key}: the peer left ${left} transaction(s) running after its measured run (answers nobody waited for); terminated, and gone, before the next measurement.`,
      );
    }
  }
  return result;
}

/** Load without measuring: each target of a case for the warm-up time. */
async function warmCase(p: Prepared, opts: Options, db: Database, api: ChildServer, peer: ChildServer | null): Promise<void> {
  const { c, result, headers } = p;
  if (result.apiError) return;
  await httpLoad({ url: api.url, body: c.apiBody, headers, connections: opts.connections, seconds: opts.warmupS });
  if (opts.floor) {
    await floorLoad({ driver: db.driver, database: db.settings.database, query: c.floor.query, params: c.floor.params, connections: opts.connections, seconds: opts.warmupS });
  }
  if (peer && c.peer && p.peerOk) await httpLoad({ url: peer.url, body: c.peer.body, headers: {}, connections: opts.connections, seconds: opts.warmupS });
}

function progressLine(r: CaseResult): string {
  if (r.apiError) return `  ${r.label} as ${r.subject.key}: API ERROR ${r.apiError}`;
  const parts = [
    `API p50 ${ms(r.api?.load.p50)} p99 ${ms(r.api?.load.p99)} ms, ${Math.round(r.api?.load.rps ?? 0)} req/s, ${r.api?.queries} Cypher/req`,
    r.floor ? `floor p50 ${ms(r.floor.load.p50)} ms (API/floor ${x(ratio(r.api?.load.p50, r.floor.load.p50))})` : "",
    r.peer
      ? `peer p50 ${ms(r.peer.load.p50)} ms, ${Math.round(r.peer.load.rps)} req/s (API/peer req/s ${x(ratio(r.api?.load.rps, r.peer.load.rps))}, p50 ${x(ratio(r.api?.load.p50, r.peer.load.p50))})`
      : r.peerError
        ? `peer ERROR`
        : "",
  ].filter(Boolean);
  const warnings = [
    r.match.floor ? `WARNING floor differs: ${r.match.floor}` : "",
    r.match.peer ? `WARNING peer differs: ${r.match.peer}` : "",
    r.peerError ? `WARNING peer error: ${r.peerError}` : "",
  ].filter(Boolean);
  return [`  ${r.label} as ${r.subject.key} (${r.subject.customers} customers): ${parts.join("; ")}`, ...warnings.map((w) => `    ${w}`)].join("\n");
}

async function main(): Promise<void> {
  // `--only submit-order`: the writes bench (bench/writes.ts, README "Writes and channel events"), a run of its own.
  const args = process.argv.slice(2);
  if (args.includes("--only=submit-order") || args.some((arg, i) => arg === "--only" && args[i + 1] === "submit-order")) {
    await (await import("./writes.js")).main(args);
    return;
  }
  const opts = options();
  if (opts.help) {
    say(HELP);
    return;
  }
  if (opts.report) {
    const file = resolve(opts.report);
    const md = file.replace(/\.json$/, ".md");
    writeFileSync(md, markdown(JSON.parse(readFileSync(file, "utf8")) as RunResult));
    say(`Wrote ${md}`);
    return;
  }
  if (opts.compare) {
    const [a, b] = opts.compare;
    say(compare(a, b ?? newestOtherResult(opts.out, a)));
    return;
  }

  const startedAt = new Date();
  const db = await openBenchDatabase((line) => say(`[neo4j] ${line}`));
  let api: ChildServer | undefined;
  let peer: ChildServer | null = null;
  try {
    const data = await dataSize(db);
    if (data.customers === 0) throw new Error("the database has no customers: seed it first (npm run seed:scale -- --customers 10000)");
    if (opts.families.includes("orders") && !data.orders) {
      say("WARNING: the database has no orders: Orders measures an empty list (a seed:scale before orders, shape 1? wipe and seed again).");
    }
    const info = await neo4jInfo(db);
    const machine = machineInfo();
    const versions = packageVersions();
    const code = codeVersion();
    const secret = randomBytes(48).toString("base64url");
    const { subjects, scaleOnly } = await pickSubjects(db, new TextEncoder().encode(secret));
    const cases = await buildCases(db, subjects, { families: opts.families, deepPage: opts.deepPage, pageSize: 20 });
    const neo4jPid = localNeo4jPid(db.settings.uri);

    say(`Neo4j ${info.version} at ${db.settings.uri} (${db.source}): ${data.customers.toLocaleString("en-US")} customers, ${data.nodes.toLocaleString("en-US")} nodes.`);
    say(`Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGiB} GiB; load average ${machine.loadAverageAtStart}.`);
    for (const s of subjects) say(`  ${s.key.padEnd(17)} ${s.partnerName} (${s.customers} customers, ${s.partners} partnerships) as ${s.email}`);
    const targets = 1 + (opts.floor ? 1 : 0) + (opts.peer ? 1 : 0);
    const estimate =
      cases.length * targets * (opts.durationS + 2 * opts.warmupS) +
      cases.length * aloneSecondsOf(opts) * (opts.floor ? 2 : 1) +
      (opts.profile ? cases.length * Math.min(opts.durationS, 5) : 0);
    say(`${cases.length} cases x ${targets} targets, ${opts.durationS} s each after ${opts.warmupS} s warm-up, ${opts.connections} connections: about ${Math.ceil(estimate / 60)} min.`);
    if (neo4jPid === undefined) say("Neo4j is not a local process: its CPU time per request is not measured.");

    const env = serverEnv(db, secret, { EXPOSE_QUERY_COUNT: "true" });
    // --workers: the API as WEB_CONCURRENCY=N runs it (a cluster primary and N workers); the peer stays one process.
    api = await ChildServer.start("api", { ...env, WEB_CONCURRENCY: String(opts.workers) });
    if (opts.workers > 1) say(`API: ${opts.workers} worker processes (WEB_CONCURRENCY=${opts.workers}) behind a cluster primary.`);
    if (opts.peer) peer = await ChildServer.start("peer", env);

    say("Checking the answers (API, floor, peer) of every case...");
    const prepared: Prepared[] = [];
    for (const c of cases) {
      const p = await prepareCase(c, opts, db, api, peer);
      for (const line of [p.result.apiError, p.result.peerError].filter(Boolean)) say(`  ${c.label} as ${c.subject.key}: ERROR ${line}`);
      prepared.push(p);
    }
    if (opts.warmupS > 0 && !opts.smoke) {
      // The first cases measured after Neo4j (and the servers) started ran on a cold JIT: a round
      // over the whole mix first, so every case is measured as warm as the last.
      say(`Warming up: every case once, ${opts.warmupS} s per target...`);
      for (const p of prepared) await warmCase(p, opts, db, api, peer);
    }
    say("Measuring:");
    // A smoke or partial run never overwrites the day's full run at this size.
    const partial = opts.families.length < OP_FAMILIES.length || !opts.peer || !opts.floor;
    const suffix = `${opts.smoke ? "-smoke" : ""}${partial ? "-partial" : ""}${opts.workers > 1 ? `-workers${opts.workers}` : ""}`;
    const base = join(opts.out, `${startedAt.toISOString().slice(0, 10)}-${data.customers}${suffix}`);
    const profileDir = opts.profile ? join(opts.out, "profiles", basename(base)) : null;
    const results: CaseResult[] = [];
    for (const p of prepared) {
      const r = await measureCase(p, opts, db, api, peer, neo4jPid, profileDir);
      if (opts.workers > 1) {
        r.notes.push(`The API ran as ${opts.workers} workers (WEB_CONCURRENCY=${opts.workers}): server-side figures merged over the workers (request-weighted; server p50 the weighted mean of theirs), CPU per request includes the cluster primary; a profile is the first worker's.`);
      }
      say(progressLine(r));
      results.push(r);
    }
    machine.loadAverageAtEnd = Math.round(os.loadavg()[0] * 100) / 100;

    const peerNotes = [...new Set(cases.filter((c) => c.peer).map((c) => c.peer!.note))];
    const profiles = results.map((r) => r.profile).filter((p): p is ProfileSummary => p !== undefined);
    const run: RunResult = {
      version: 1,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      smoke: opts.smoke,
      settings: {
        durationS: opts.durationS,
        warmupS: opts.warmupS,
        connections: opts.connections,
        deepPage: opts.deepPage,
        pageSize: 20,
        peer: opts.peer,
        floor: opts.floor,
        profile: opts.profile,
      },
      neo4jSource: db.source,
      neo4j: info,
      machine,
      versions,
      code,
      data,
      scaleOnly,
      subjects: results.map((r) => r.subject).filter((s, i, all) => all.findIndex((t) => t.key === s.key) === i),
      cases: results,
      peerNotes,
      ...(profiles.length ? { profile: mergeSummaries(profiles) } : {}),
    };
    mkdirSync(opts.out, { recursive: true });
    writeFileSync(`${base}.json`, `${JSON.stringify(run, null, 2)}\n`);
    writeFileSync(`${base}.md`, markdown(run));

    say();
    say(mainTable(results));
    for (const line of scaleLines(run)) say(`\n${line}`);
    say();
    say(`Results: ${base}.json, ${base}.md${profileDir ? `; CPU profiles (Chrome DevTools) in ${profileDir}` : ""}`);

    if (opts.smoke) {
      const failures = results.filter((r) => r.apiError || r.match.floor || (r.api?.load.errors ?? 0) > 0);
      if (failures.length) {
        say(`Smoke: ${failures.length} case(s) failed (API error, failed requests or a floor mismatch).`);
        process.exitCode = 1;
      }
    }
  } finally {
    await peer?.stop();
    await api?.stop();
    await db.driver.close();
    await db.local?.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
