import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import neo4j, { type Driver } from "neo4j-driver";
import { startLocalNeo4j, type LocalNeo4j } from "../../src/local/neo4j-local.js";
import type { Neo4jSettings } from "../../src/shared/config.js";

export interface Database {
  settings: Neo4jSettings;
  driver: Driver;
  /** Set when this run started the local dev Neo4j (stopped at the end). */
  local: LocalNeo4j | undefined;
  source: "NEO4J_URI" | "local dev instance";
}

/** NEO4J_URI etc. like `npm start`; without it, the local development Neo4j (started if needed). */
export async function openBenchDatabase(log: (line: string) => void): Promise<Database> {
  let settings: Neo4jSettings;
  let local: LocalNeo4j | undefined;
  if (process.env.NEO4J_URI) {
    settings = {
      uri: process.env.NEO4J_URI,
      username: process.env.NEO4J_USERNAME || "neo4j",
      password: process.env.NEO4J_PASSWORD || "",
      database: process.env.NEO4J_DATABASE || "neo4j",
    };
  } else {
    local = await startLocalNeo4j({ instance: "dev", log });
    settings = { uri: local.uri, username: local.username, password: local.password, database: local.database };
  }
  const driver = neo4j.driver(settings.uri, neo4j.auth.basic(settings.username, settings.password), {
    maxConnectionPoolSize: 100,
    userAgent: "csp-channel-bench",
  });
  await driver.verifyConnectivity({ database: settings.database });
  return { settings, driver, local: local?.started ? local : undefined, source: local ? "local dev instance" : "NEO4J_URI" };
}

export async function read<T = Record<string, unknown>>(db: Database, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await db.driver.executeQuery(query, params, { database: db.settings.database, routing: neo4j.routing.READ });
  return result.records.map((record) => plain(record.toObject()) as T);
}

/**
 * The database's round trip, for context: `RETURN 1` on one session, `count` times after 10
 * unmeasured, the client's median and 90th percentile in ms. On an idle healthy host this is well
 * under a millisecond; a host that runs Neo4j slowly (seen here: 2-11 ms) makes every variant
 * slower and the ratios noisier, so the reports say it.
 */
export async function roundTrip(db: Database, count = 50): Promise<{ p50: number; p90: number }> {
  const session = db.driver.session({ database: db.settings.database, defaultAccessMode: neo4j.session.READ });
  try {
    const times: number[] = [];
    for (let i = 0; i < 10 + count; i++) {
      const start = performance.now();
      await session.run("RETURN 1");
      if (i >= 10) times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] * 100) / 100;
    return { p50: at(0.5), p90: at(0.9) };
  } finally {
    await session.close();
  }
}

/** Driver values to plain JS (integers to numbers, temporals to ISO strings). */
/**
 * Terminates the transactions still running on the database, and waits (up to 10 s) until they
 * are gone: what a target left behind when the load generator stopped waiting (the peer's
 * unanswered queries on the largest partners run on for seconds), which would otherwise share
 * the machine with the next measurement. Returns how many it terminated.
 */
export async function terminateLeftovers(db: Database): Promise<number> {
  let terminated = 0;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const rows = await read<{ id: string; status: string }>(
      db,
      "SHOW TRANSACTIONS YIELD transactionId AS id, currentQuery, status WHERE NOT currentQuery STARTS WITH 'SHOW TRANSACTIONS' RETURN id, status",
    );
    if (rows.length === 0 || Date.now() > deadline) return terminated;
    const running = rows.filter((r) => !r.status.startsWith("Terminated")).map((r) => r.id);
    if (running.length > 0) {
      await read(db, "TERMINATE TRANSACTIONS $ids", { ids: running });
      terminated += running.length;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function plain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (neo4j.isInt(value)) return (value as { toNumber(): number }).toNumber();
  if (typeof value === "bigint") return Number(value);
  if (neo4j.isDateTime(value) || neo4j.isDate(value) || neo4j.isLocalDateTime(value)) return (value as { toString(): string }).toString();
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

export interface DataSize {
  nodes: number;
  relationships: number;
  customers: number;
  partners: number;
  providers: number;
  resellers: number;
  users: number;
  subscriptions: number;
  /** Orders (D-19; seed:scale writes them since shape 2; absent in results of earlier runs). */
  orders?: number;
  /** Nodes flagged `scale: true` by `npm run seed:scale` (customers). */
  scaleCustomers: number;
}

export async function dataSize(db: Database): Promise<DataSize> {
  const count = async (query: string) => (await read<{ n: number }>(db, query))[0]?.n ?? 0;
  return {
    nodes: await count("MATCH (n) RETURN count(n) AS n"),
    relationships: await count("MATCH ()-[r]->() RETURN count(r) AS n"),
    customers: await count("MATCH (n:Customer) RETURN count(n) AS n"),
    partners: await count("MATCH (n:Partner) RETURN count(n) AS n"),
    providers: await count("MATCH (n:Provider) RETURN count(n) AS n"),
    resellers: await count("MATCH (n:Reseller) RETURN count(n) AS n"),
    users: await count("MATCH (n:User) RETURN count(n) AS n"),
    subscriptions: await count("MATCH (n:Subscription) RETURN count(n) AS n"),
    orders: await count("MATCH (n:Order) RETURN count(n) AS n"),
    scaleCustomers: await count("MATCH (n:Customer) WHERE n.scale = true RETURN count(n) AS n"),
  };
}

export interface Neo4jInfo {
  version: string;
  edition: string;
  heap: string | null;
  pageCache: string | null;
}

export async function neo4jInfo(db: Database): Promise<Neo4jInfo> {
  const [component] = await read<{ versions: string[]; edition: string }>(
    db,
    "CALL dbms.components() YIELD name, versions, edition WHERE name = 'Neo4j Kernel' RETURN versions, edition",
  );
  let heap: string | null = null;
  let pageCache: string | null = null;
  try {
    const settings = await read<{ name: string; value: string }>(
      db,
      "SHOW SETTINGS YIELD name, value WHERE name IN ['server.memory.heap.max_size', 'server.memory.pagecache.size'] RETURN name, value",
    );
    heap = settings.find((s) => s.name === "server.memory.heap.max_size")?.value ?? null;
    pageCache = settings.find((s) => s.name === "server.memory.pagecache.size")?.value ?? null;
  } catch {
    // SHOW SETTINGS needs a privilege an Aura user may lack: leave them unknown.
  }
  return { version: component?.versions[0] ?? "unknown", edition: component?.edition ?? "unknown", heap, pageCache };
}

/**
 * The pid of the process listening on the Bolt port when the server is on this machine, so the
 * runner can read the database's CPU time per request (`/proc/<pid>/stat`); undefined otherwise.
 */
export function localNeo4jPid(uri: string): number | undefined {
  try {
    const url = new URL(uri.replace(/^[a-z+]+:/, "http:"));
    if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(url.hostname)) return undefined;
    const port = url.port || "7687";
    const out = execFileSync("ss", ["-Htlnp", `sport = :${port}`], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const match = /pid=(\d+)/.exec(out);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** utime + stime of a process in ms (Linux /proc), or undefined. */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields[0] is field 3 (state): utime is field 14, stime field 15.
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / clockTicks();
  } catch {
    return undefined;
  }
}

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}
