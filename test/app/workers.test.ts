import { execFileSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { request } from "node:http";
import { availableParallelism } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { loadConfig } from "../../src/shared/config.js";
import { apiProcesses, gqlAt, signInAt } from "../support/processes.js";

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
  url = await processes.start(JSON_LOGS);
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
