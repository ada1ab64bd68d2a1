import { execFileSync, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { request } from "node:http";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { createDriver } from "../../src/app/database.js";
import { loadConfig, PROJECT_ROOT } from "../../src/shared/config.js";
import { apiProcesses, freePort, gqlAt, signInAt } from "../support/processes.js";

/**
 * WEB_CONCURRENCY=2 (issue 15 part 5, src/app/cluster.ts): `src/main.ts` spawned on the test
 * Neo4j is a cluster primary with two worker processes on one port. Which worker answered a
 * request is read from its access-log line (`pid`, every pino line has it; nothing in a response
 * says it), each request on a connection of its own (the primary hands connections to the workers
 * in turn). The processes are found with `ps --ppid`. Every wait is a bounded poll of a condition.
 */

const processes = apiProcesses();
const JSON_LOGS = { WEB_CONCURRENCY: "2", LOG_LEVEL: "info", LOG_FORMAT: "json" };

let url: string;
let primary: ChildProcess;

beforeAll(async () => {
  // debug: the access lines of GET /metrics too (which worker answered a scrape).
  url = await processes.start({ ...JSON_LOGS, LOG_LEVEL: "debug" });
  primary = processes.children[0];
}, 180_000);

afterAll(async () => {
  await processes.stopAll();
});

/** Direct children of `pid` that are node processes (not the esbuild service tsx keeps beside each). */
function nodeChildren(pid: number): number[] {
  let out = "";
  try {
    out = execFileSync("ps", ["--ppid", String(pid), "-o", "pid=,comm="], { encoding: "utf8" });
  } catch {
    return []; // ps exits 1 when there is none
  }
  return out
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([childPid, comm]) => childPid && comm === "node")
    .map(([childPid]) => Number(childPid));
}

/** `pid` and every process under it. */
function descendants(pid: number): number[] {
  let out = "";
  try {
    out = execFileSync("ps", ["--ppid", String(pid), "-o", "pid="], { encoding: "utf8" });
  } catch {
    return [];
  }
  const children = out.split("\n").map((line) => Number(line.trim())).filter((n) => n > 0);
  return children.flatMap((child) => [child, ...descendants(child)]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls `condition` every 200 ms, at most `tries` times. */
async function until(condition: () => boolean | Promise<boolean>, tries = 300): Promise<boolean> {
  for (let i = 0; i < tries; i += 1) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

/** One POST on a new connection (no keep-alive agent): the primary gives it to the next worker. */
function postOnNewConnection(target: string, body: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(target, { method: "POST", agent: false, headers: { "content-type": "application/json", connection: "close" } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

/** The pids of the access-log lines of /graphql requests a process printed. */
function servingPids(child: ChildProcess, from = processes): Set<number> {
  const pids = new Set<number>();
  for (const line of from.output(child).split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      const entry = JSON.parse(line) as { log?: string; path?: string; pid?: number };
      if (entry.log === "access" && entry.path === "/graphql" && entry.pid) pids.add(entry.pid);
    } catch {
      // a line cut by the output buffer
    }
  }
  return pids;
}

/** The pids of the access-log lines of GET /metrics (which worker answered each scrape). */
function scrapingPids(child: ChildProcess, from = processes): number[] {
  const pids: number[] = [];
  for (const line of from.output(child).split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      const entry = JSON.parse(line) as { log?: string; path?: string; pid?: number };
      if (entry.log === "access" && entry.path === "/metrics" && entry.pid) pids.push(entry.pid);
    } catch {
      // a line cut by the output buffer
    }
  }
  return pids;
}

/** One GET /metrics on a new connection; `timeoutMs`: give up on a connection nobody serves (a stopped worker's). */
function scrape(graphqlUrl: string, timeoutMs = 30_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(graphqlUrl.replace(/\/graphql$/, "/metrics"), { agent: false, headers: { connection: "close" }, timeout: timeoutMs }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("timeout", () => req.destroy(new Error("scrape timed out")));
    req.on("error", reject);
    req.end();
  });
}

/** A sample's value in a metrics text, summed over its label sets (`name` exact, before `{` or a space). */
function sampleSum(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) sum += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return sum;
}

describe("WEB_CONCURRENCY (config)", () => {
  const config = (value: string | undefined) => loadConfig({ ...process.env, NODE_ENV: "test", WEB_CONCURRENCY: value });

  it("when WEB_CONCURRENCY is unset, then one process (no cluster primary); an integer from 1 to 64 is taken; auto is one per core", () => {
    expect(config(undefined).webConcurrency).toBe(1);
    expect(config("").webConcurrency).toBe(1);
    expect(config("1").webConcurrency).toBe(1);
    expect(config("2").webConcurrency).toBe(2);
    expect(config("64").webConcurrency).toBe(64);
    expect(config("auto").webConcurrency).toBe(Math.min(64, availableParallelism()));
  });

  it("when WEB_CONCURRENCY is not an integer from 1 to 64 or auto, then the start stops naming the variable and the rule", () => {
    for (const bad of ["0", "65", "-1", "2.5", "two", "1e1", "0x2"]) {
      expect(() => config(bad)).toThrow(/^WEB_CONCURRENCY must be an integer from 1 to 64, or "auto"/);
    }
  });

  it("when there are several workers, then the default password-check concurrency is half the cores shared among them (at least 1 each)", () => {
    const perWorker = Math.max(1, Math.floor(availableParallelism() / 2 / 2));
    expect(config("2").rateLimit.passwordCheckConcurrency).toBe(perWorker);
  });
});

describe("NEO4J_MAX_POOL_SIZE (issue 15: processes x pool against the server's connection limit)", () => {
  const config = (value: string | undefined) => loadConfig({ ...process.env, NODE_ENV: "test", NEO4J_MAX_POOL_SIZE: value });

  it("when unset, then each process's pool holds 100; an integer from 1 to 1000 is taken", () => {
    expect(config(undefined).neo4jMaxPoolSize).toBe(100);
    expect(config("").neo4jMaxPoolSize).toBe(100);
    expect(config("1").neo4jMaxPoolSize).toBe(1);
    expect(config(" 25 ").neo4jMaxPoolSize).toBe(25);
    expect(config("1000").neo4jMaxPoolSize).toBe(1000);
  });

  it("when it is not an integer from 1 to 1000, then the start stops naming the variable and the rule", () => {
    for (const bad of ["0", "1001", "-5", "2.5", "ten", "1e2", "0x10", "100 connections"]) {
      expect(() => config(bad)).toThrow(/^NEO4J_MAX_POOL_SIZE must be an integer from 1 to 1000 \(Neo4j connections per API process/);
    }
  });

  it("when the pool size is 1 and one transaction holds the connection, then a second session cannot get one (the driver takes the setting)", async () => {
    const settings = inject("neo4j");
    const driver = createDriver(settings, { unreachableMs: 500, maxPoolSize: config("1").neo4jMaxPoolSize });
    const holder = driver.session({ database: settings.database });
    const other = driver.session({ database: settings.database });
    try {
      const tx = await holder.beginTransaction();
      await tx.run("RETURN 1");
      await expect(other.run("RETURN 2")).rejects.toThrow(/acquisition timed out|pool/i);
      await tx.rollback();
      // Once it is back in the pool, the other session gets it.
      expect((await other.run("RETURN 3 AS n")).records[0].get("n").toNumber()).toBe(3);
    } finally {
      await holder.close();
      await other.close();
      await driver.close();
    }
  });
});

describe("WEB_CONCURRENCY=2: a primary and two workers on one port", () => {
  it("when the server started, then the primary has exactly two worker processes and the banner names them", () => {
    const workers = nodeChildren(primary.pid!);
    expect(workers).toHaveLength(2);
    const banner = /Workers: 2 \(WEB_CONCURRENCY\), pids (\d+), (\d+)/.exec(processes.output(primary));
    expect(banner).not.toBeNull();
    expect(new Set([Number(banner![1]), Number(banner![2])])).toEqual(new Set(workers));
    // Printed once, by the primary.
    expect(processes.output(primary).match(/API ready:/g)).toHaveLength(1);
  });

  it("when 10 requests come on 10 connections, then both workers answer, and a signed-in GraphQL request works", async () => {
    const workers = nodeChildren(primary.pid!);
    for (let i = 0; i < 10; i += 1) {
      const answer = await postOnNewConnection(url, { query: "{ __typename }" });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ data: { __typename: "Query" } });
    }
    const email = "ga@contosodist.example";
    const token = await signInAt(url, email, inject("demoPassword"));
    const me = await gqlAt<{ me: { user: { email: string } } }>(url, "{ me { user { email } } }", {}, token);
    expect(me.data?.me.user.email).toBe(email);
    expect(await until(() => servingPids(primary).size >= 2, 50)).toBe(true);
    expect(servingPids(primary)).toEqual(new Set(workers));
  });

  it("when k requests were served, then every scrape of /metrics, whichever worker answers, counts the machine's total (both workers' requests)", async () => {
    const workers = nodeChildren(primary.pid!);
    const before = await scrape(url);
    expect(before.status).toBe(200);
    const base = sampleSum(before.body, "graphql_request_duration_seconds_count");
    const k = 9;
    for (let i = 0; i < k; i += 1) expect((await postOnNewConnection(url, { query: "{ __typename }" })).status).toBe(200);
    // Consecutive connections go to the workers in turn: the scrapes are answered by both.
    const totals: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const answer = await scrape(url);
      expect(answer.status).toBe(200);
      totals.push(sampleSum(answer.body, "graphql_request_duration_seconds_count"));
      expect(sampleSum(answer.body, 'api_cluster_scrape_workers{result="answered"}')).toBe(2);
      expect(sampleSum(answer.body, 'api_cluster_scrape_workers{result="missed"}')).toBe(0);
    }
    expect(totals).toEqual([base + k, base + k, base + k, base + k]);
    expect(await until(() => new Set(scrapingPids(primary)).size >= 2, 50)).toBe(true);
    expect(new Set(scrapingPids(primary))).toEqual(new Set(workers));
  });

  it("when a worker does not answer the collection (stopped), then a scrape still answers, without it, and says one worker was missed", { timeout: 60_000 }, async () => {
    const [stopped, running] = nodeChildren(primary.pid!);
    const lastScrape = await scrape(url);
    const total = sampleSum(lastScrape.body, "graphql_request_duration_seconds_count");
    process.kill(stopped, "SIGSTOP");
    const hung: Promise<unknown>[] = [];
    try {
      let answer: { status: number; body: string } | undefined;
      // A connection handed to the stopped worker waits: try a new one (the primary gives new
      // connections to the worker that is free), at most 5.
      for (let i = 0; i < 5 && !answer; i += 1) {
        const attempt = scrape(url, 5_000);
        answer = await attempt.catch(() => undefined);
        if (!answer) hung.push(attempt.catch(() => undefined));
      }
      expect(answer?.status).toBe(200);
      expect(sampleSum(answer!.body, 'api_cluster_scrape_workers{result="answered"}')).toBe(1);
      expect(sampleSum(answer!.body, 'api_cluster_scrape_workers{result="missed"}')).toBe(1);
      // The running worker's requests only: fewer than the machine's.
      expect(sampleSum(answer!.body, "graphql_request_duration_seconds_count")).toBeLessThan(total);
      expect(scrapingPids(primary)).toContain(running);
    } finally {
      process.kill(stopped, "SIGCONT");
    }
    await Promise.all(hung);
    // Back: both answer again, with the whole total.
    const again = await scrape(url);
    expect(sampleSum(again.body, 'api_cluster_scrape_workers{result="answered"}')).toBe(2);
    expect(sampleSum(again.body, "graphql_request_duration_seconds_count")).toBe(total);
  });

  it("when a worker dies, then the primary forks another, which serves", { timeout: 120_000 }, async () => {
    const [victim, survivor] = nodeChildren(primary.pid!);
    process.kill(victim, "SIGKILL");
    expect(await until(() => !alive(victim) || !nodeChildren(primary.pid!).includes(victim))).toBe(true);
    expect(await until(() => nodeChildren(primary.pid!).length === 2)).toBe(true);
    const [replacement] = nodeChildren(primary.pid!).filter((pid) => pid !== survivor);
    expect(replacement).not.toBe(victim);
    // It serves once it listens: a few connections reach it.
    expect(
      await until(async () => {
        await postOnNewConnection(url, { query: "{ __typename }" }).catch(() => undefined);
        return servingPids(primary).has(replacement);
      }),
    ).toBe(true);
    expect(processes.output(primary)).toMatch(/"msg":"worker exited unexpectedly"/);
  });

  it("when the primary gets SIGTERM, then it and every worker exit, the primary with code 0, and no process of the tree is left", { timeout: 120_000 }, async () => {
    const workers = nodeChildren(primary.pid!);
    expect(workers).toHaveLength(2);
    const tree = descendants(primary.pid!);
    const exited = new Promise<number | null>((resolve) => primary.once("exit", (code) => resolve(code)));
    primary.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(await until(() => tree.every((pid) => !alive(pid)), 100)).toBe(true);
    const output = processes.output(primary);
    // Each worker drained and stopped; the primary last.
    expect(output.match(/"msg":"worker stopped"/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(output).toMatch(/"msg":"stopped"/);
  });
});

describe("WEB_CONCURRENCY=2: shared rate limits, and a primary that disappears", () => {
  const more = apiProcesses();
  let limited: string;
  let second: ChildProcess;

  beforeAll(async () => {
    limited = await more.start({ ...JSON_LOGS, RATE_LIMIT: "on", RATE_LIMIT_PER_MINUTE: "10" });
    second = more.children[0];
  }, 180_000);

  afterAll(async () => {
    await more.stopAll();
  });

  it("when one address sends 14 requests through both workers with RATE_LIMIT_PER_MINUTE=10, then exactly 10 are answered and 4 refused (the primary keeps the counts)", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 14; i += 1) statuses.push((await postOnNewConnection(limited, { query: "{ __typename }" })).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(4);
    expect(await until(() => servingPids(second, more).size >= 2, 50)).toBe(true);
  });

  it("when the primary is killed (SIGKILL), then the workers stop on their own: no orphan is left", { timeout: 120_000 }, async () => {
    const workers = nodeChildren(second.pid!);
    expect(workers).toHaveLength(2);
    const exited = new Promise<void>((resolve) => second.once("exit", () => resolve()));
    second.kill("SIGKILL");
    await exited;
    expect(await until(() => workers.every((pid) => !alive(pid)), 150)).toBe(true);
  });
});

describe("npm start with WEB_CONCURRENCY=2, stopped with Ctrl-C (SIGINT to the terminal's process group)", () => {
  let npm: ChildProcess | undefined;

  afterAll(() => {
    // Only when the test failed half-way: nothing of the group may outlive the file.
    if (npm?.pid && npm.exitCode === null && npm.signalCode === null) {
      try {
        process.kill(-npm.pid, "SIGKILL");
      } catch {
        // gone meanwhile
      }
    }
  });

  /** The pids of process group `pgid` (ps lists every process with its group). */
  function groupMembers(pgid: number): number[] {
    const out = execFileSync("ps", ["-eo", "pid=,pgid="], { encoding: "utf8" });
    return out
      .split("\n")
      .map((line) => line.trim().split(/\s+/).map(Number))
      .filter(([pid, group]) => pid > 0 && group === pgid)
      .map(([pid]) => pid);
  }

  it(
    "when the group gets SIGINT, then both workers drain, the primary logs stopped (it ran its whole shutdown), npm exits 0, and no process of the group is left; no signal relay sits between npm and the primary",
    { timeout: 180_000 },
    async () => {
      const neo4j = inject("neo4j");
      const port = await freePort();
      // detached: npm leads a new process group, as a shell's foreground job does.
      npm = spawn("npm", ["start"], {
        cwd: PROJECT_ROOT,
        detached: true,
        env: {
          ...process.env,
          NODE_ENV: "development",
          NEO4J_URI: neo4j.uri,
          NEO4J_USERNAME: neo4j.username,
          NEO4J_PASSWORD: neo4j.password,
          NEO4J_DATABASE: neo4j.database,
          PORT: String(port),
          DEMO: "off",
          MAIL_DIR: mkdtempSync(join(tmpdir(), "csp-npm-start-mail-")),
          RATE_LIMIT: "off",
          WEBHOOK_DELIVERY: "off",
          WEB_CONCURRENCY: "2",
          LOG_LEVEL: "info",
          LOG_FORMAT: "json",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const group = npm.pid!;
      let output = "";
      const collect = (chunk: Buffer) => (output += chunk.toString());
      npm.stdout!.on("data", collect);
      npm.stderr!.on("data", collect);
      const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => npm!.once("exit", (code, signal) => resolve({ code, signal })));
      expect(await until(() => /API ready: http/.test(output) || npm!.exitCode !== null)).toBe(true);
      expect(output).toMatch(/API ready: http/);

      // The primary (its "worker ready" lines carry its pid) is npm's own child: `start` execs
      // node with tsx's loader, not tsx's CLI, whose signal relay SIGKILLed the primary when it
      // did not acknowledge a relayed SIGINT within 30 ms (npm sends one more SIGINT to its child).
      // (pino writes its lines asynchronously: under load the banner, written at once, can come first.)
      expect(await until(() => /"msg":"worker ready"/.test(output) || npm!.exitCode !== null)).toBe(true);
      const primaryPid = Number(/"pid":(\d+)[^\n]*"msg":"worker ready"/.exec(output)?.[1]);
      expect(primaryPid).toBeGreaterThan(0);
      expect(Number(execFileSync("ps", ["-o", "ppid=", "-p", String(primaryPid)], { encoding: "utf8" }).trim())).toBe(group);
      const members = groupMembers(group);
      expect(members).toEqual(expect.arrayContaining([group, primaryPid, ...nodeChildren(primaryPid)]));
      expect(nodeChildren(primaryPid)).toHaveLength(2);

      process.kill(-group, "SIGINT");
      expect(await exited).toEqual({ code: 0, signal: null });
      expect(await until(() => members.every((pid) => !alive(pid)), 100)).toBe(true);
      expect(groupMembers(group)).toEqual([]);
      expect(output.match(/"msg":"worker stopped"/g)).toHaveLength(2);
      expect(output).toMatch(new RegExp(`"pid":${primaryPid},[^\\n]*"msg":"stopped"`));
    },
  );
});
