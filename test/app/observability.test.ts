import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { aggregateClusterMetrics, createMetrics, type MetricsJson } from "../../src/app/metrics.js";
import { loadConfig, PROJECT_ROOT } from "../../src/shared/config.js";
import { createLogger, loggerSettings } from "../../src/shared/logger.js";
import { CONTRACT_OPERATIONS, startTestApp, type TestApp } from "../support/app.js";
import { expectJsonRefusal, post, send, type Raw } from "../support/http.js";

/**
 * Issue 12, point 5: nobody could see what the API does. Before, no request left a log line,
 * logs were JSON even in a terminal, and there was no /metrics.
 */

type Line = Record<string, unknown>;

/** Everything the app's access log wrote, parsed; and the raw text, to look for secrets in. */
const lines: Line[] = [];
let rawLog = "";
const captured = createLogger({
  level: "debug",
  pretty: false,
  destination: {
    write(text: string) {
      rawLog += text;
      lines.push(JSON.parse(text) as Line);
    },
  },
});

/** The access-log lines of one request id, once the response's `close` has written them. */
async function accessLinesOf(requestId: string | null): Promise<Line[]> {
  expect(requestId).toBeTruthy();
  const mine = () => lines.filter((line) => line.log === "access" && line.requestId === requestId);
  await vi.waitFor(() => expect(mine().length).toBeGreaterThan(0), { timeout: 5_000, interval: 5 });
  return mine();
}

async function oneLineOf(result: Raw): Promise<Line> {
  const found = await accessLinesOf(result.headers.get("x-request-id"));
  expect(found).toHaveLength(1);
  return found[0]!;
}

function operation(name: string, variables: Record<string, unknown> = {}, token?: string): Promise<Raw> {
  return post(app.url, JSON.stringify({ query: CONTRACT_OPERATIONS, operationName: name, variables }), token ? { authorization: `Bearer ${token}` } : {});
}

let app: TestApp;
let token: string;
const EMAIL = "ga@contosodist.example";

beforeAll(async () => {
  // The metrics count every transaction of the process: the event sequencer's background pass
  // (issue 14) would add its reads to a request's. Off here; the request's are what is checked.
  app = await startTestApp({ EVENT_SEQUENCER_MS: "off" }, { logger: captured });
  token = await app.signIn(EMAIL);
});

afterAll(async () => {
  await app?.close();
});

describe("access log: one line per request", () => {
  it("when a signed-in user runs Customers, then one line has its request id, operation, status, duration, Cypher statements, user id and address, and not the token", async () => {
    const result = await operation("Customers", { first: 5 }, token);
    expect(result.status).toBe(200);
    const line = await oneLineOf(result);
    const [user] = await app.cypher<{ id: string }>("MATCH (u:User {email: $email}) RETURN u.id AS id", { email: EMAIL });
    expect(line).toMatchObject({
      level: 30,
      msg: "request",
      method: "POST",
      path: "/graphql",
      status: 200,
      operationName: "Customers",
      cypherStatements: Number(result.headers.get("x-cypher-queries")),
      userId: user!.id,
      clientIp: expect.stringMatching(/127\.0\.0\.1/),
    });
    expect(line.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(line.durationMs).toEqual(expect.any(Number));
    expect(line.durationMs as number).toBeGreaterThan(0);
    expect(line).not.toHaveProperty("errorCodes");
    expect(rawLog).not.toContain(token);
  });

  it("when someone signs in, then the line names SignIn and neither the password nor the token it returned is anywhere in the log", async () => {
    const password = inject("demoPassword");
    const result = await operation("SignIn", { email: EMAIL, password });
    const issued = (result.json?.data as { signIn: { token: string } }).signIn.token;
    const line = await oneLineOf(result);
    expect(line).toMatchObject({ operationName: "SignIn", status: 200, userId: null });
    expect(rawLog).not.toContain(password);
    expect(rawLog).not.toContain(issued);
  });

  it("when a GET carries the query and variables in its URL, then the line has the path only", async () => {
    const url = `${app.url}?query=${encodeURIComponent("query Probe($x: String!) { __type(name: $x) { name } }")}&variables=${encodeURIComponent('{"x":"s3cret-in-url"}')}`;
    const line = await oneLineOf(await send(url, { headers: { "apollo-require-preflight": "true" } }));
    expect(line).toMatchObject({ method: "GET", path: "/graphql", operationName: "Probe", status: 200 });
    expect(rawLog).not.toContain("s3cret-in-url");
  });

  it("when the client sends a well-formed x-request-id, then it is the request's id (answered back and logged); a malformed one is replaced by a UUID", async () => {
    const given = await post(app.url, '{"query":"{ __typename }"}', { "x-request-id": "trace-42.a_b" });
    expect(given.headers.get("x-request-id")).toBe("trace-42.a_b");
    expect((await oneLineOf(given)).requestId).toBe("trace-42.a_b");
    const malformed = await post(app.url, '{"query":"{ __typename }"}', { "x-request-id": "no spaces allowed" });
    expect(malformed.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    await oneLineOf(malformed);
  });

  it("when requests are refused before, by or after Apollo, then each leaves exactly one line with its status and error codes", async () => {
    const cases: [Promise<Raw>, number, string, number][] = [
      // a bad token: refused while making the context
      [post(app.url, '{"query":"{ __typename }"}', { authorization: "Bearer not-a-token" }), 401, "UNAUTHENTICATED", 40],
      // a body too large: refused by body-parser
      [post(app.url, JSON.stringify({ query: `# ${"y".repeat(70_000)}\n{ __typename }` })), 413, "BAD_REQUEST", 40],
      // no such route
      [send(app.url.replace("/graphql", "/nothing-here")), 404, "NOT_FOUND", 40],
      // Apollo's validation
      [post(app.url, '{"query":"{ noSuchField }"}'), 400, "GRAPHQL_VALIDATION_FAILED", 40],
      // a resolver's error in a 200 answer
      [operation("Customers", { first: 5 }), 200, "UNAUTHENTICATED", 30],
    ];
    for (const [request, status, code, level] of cases) {
      const result = await request;
      expect(result.status, result.text).toBe(status);
      const line = await oneLineOf(result);
      expect(line).toMatchObject({ status, errorCodes: [code], level });
    }
  });

  it("when 20 requests are sent, then exactly 20 access lines are written for them", async () => {
    const before = lines.filter((line) => line.log === "access").length;
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => post(app.url, '{"query":"{ __typename }"}', { "x-request-id": `count-${i}` })));
    for (const result of results) await oneLineOf(result);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lines.filter((line) => line.log === "access").length - before).toBe(20);
  });

  it("when a probe asks /healthz, then its line is at debug (an info log leaves it out)", async () => {
    const line = await oneLineOf(await send(app.url.replace("/graphql", "/healthz")));
    expect(line).toMatchObject({ level: 20, path: "/healthz", status: 200 });
  });
});

describe("log format and level", () => {
  it("when under test (NODE_ENV=test) without LOG_LEVEL, then the logger is silent; LOG_LEVEL is honoured; a wrong one stops the start", () => {
    expect(loggerSettings({ NODE_ENV: "test" }, false).level).toBe("silent");
    expect(loggerSettings({ NODE_ENV: "test", LOG_LEVEL: "debug" }, false).level).toBe("debug");
    expect(loggerSettings({}, false).level).toBe("info");
    expect(() => loggerSettings({ LOG_LEVEL: "verbose" }, false)).toThrow(/LOG_LEVEL must be one of/);
  });

  it("when stdout is a terminal outside production, then lines are pretty; otherwise JSON; LOG_FORMAT decides when set", () => {
    expect(loggerSettings({}, true).pretty).toBe(true);
    expect(loggerSettings({}, false).pretty).toBe(false);
    expect(loggerSettings({ NODE_ENV: "production" }, true).pretty).toBe(false);
    expect(loggerSettings({ LOG_FORMAT: "json" }, true).pretty).toBe(false);
    expect(loggerSettings({ LOG_FORMAT: "pretty", NODE_ENV: "production" }, false).pretty).toBe(true);
    expect(() => loggerSettings({ LOG_FORMAT: "xml" }, true)).toThrow(/LOG_FORMAT/);
  });

  it("when pretty, then an access line is one human line with its fields, not JSON", () => {
    let out = "";
    const pretty = createLogger({ level: "info", pretty: true, colorize: false, destination: { write: (text: string) => void (out += text) } });
    pretty.info(
      { log: "access", requestId: "r-1", method: "POST", path: "/graphql", status: 200, durationMs: 12.3, operationName: "Customers", cypherStatements: 2, userId: "u-1", clientIp: "127.0.0.1", errorCodes: ["NOT_FOUND"] },
      "request",
    );
    expect(out.trimEnd().split("\n")).toHaveLength(1);
    expect(out).toMatch(/INFO.*POST \/graphql 200 Customers 12\.3 ms 2 Cypher user=u-1 ip=127\.0\.0\.1 id=r-1 errors=NOT_FOUND$/m);
    expect(out.trim().startsWith("{")).toBe(false);
  });

  const script = "/usr/bin/script";
  it.skipIf(!existsSync(script))("when the server's logger writes to a real terminal (a pty by `script`), then it is pretty; to a pipe, JSON", () => {
    const code = `const { logger } = await import(${JSON.stringify(`${PROJECT_ROOT}/src/shared/logger.ts`)}); logger.info({ answer: 42 }, "hello from the logger");`;
    const env = { ...process.env, NODE_ENV: "development", LOG_LEVEL: "info", LOG_FORMAT: "" };
    const node = [process.execPath, "--import", "tsx", "--input-type=module", "-e", code];
    const piped = spawnSync(node[0]!, node.slice(1), { cwd: PROJECT_ROOT, env, encoding: "utf8", timeout: 60_000 });
    expect(piped.stderr).toBe("");
    expect(JSON.parse(piped.stdout.trim())).toMatchObject({ level: 30, msg: "hello from the logger", answer: 42 });
    const quoted = node.map((part) => `'${part.replace(/'/g, "'\\''")}'`).join(" ");
    const terminal = spawnSync(script, ["-qec", quoted, "/dev/null"], { cwd: PROJECT_ROOT, env, encoding: "utf8", timeout: 60_000 });
    const text = terminal.stdout.replace(/\u001b\[[0-9;]*m/g, "");
    expect(text).toMatch(/INFO.*hello from the logger/);
    expect(text).toMatch(/answer: 42/);
    expect(text).not.toMatch(/"msg"/);
  });
});

/** The value of one sample of a scrape, 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const row of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})? (\S+)$/.exec(row);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? "").split(",").filter(Boolean);
    if (wanted.every((pair) => have.includes(pair)) && have.length === wanted.length) return Number(match[3]);
  }
  return 0;
}

async function scrape(base: string, headers: Record<string, string> = {}): Promise<string> {
  const result = await send(base.replace("/graphql", "/metrics"), { headers });
  expect(result.status, result.text).toBe(200);
  expect(result.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return result.text;
}

describe("metrics at /metrics (development: on)", () => {
  it("when scraped, then it has the request, error, Neo4j transaction, session and event-loop metrics", async () => {
    const text = await scrape(app.url);
    for (const name of [
      "graphql_request_duration_seconds",
      "graphql_errors_total",
      "neo4j_transaction_duration_seconds",
      "neo4j_sessions_in_use",
      "nodejs_eventloop_lag_seconds",
      "process_resident_memory_bytes",
    ]) {
      expect(text).toMatch(new RegExp(`^# TYPE ${name} `, "m"));
    }
  });

  it("when a signed-in user runs Customers, then its duration is counted under Customers/ok, and its READ transactions (at least one, at most its statements) are timed", async () => {
    const before = await scrape(app.url);
    const result = await operation("Customers", { first: 5 }, token);
    expect(result.json?.errors).toBeUndefined();
    await oneLineOf(result);
    const after = await scrape(app.url);
    const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    expect(delta("graphql_request_duration_seconds_count", { operation: "Customers", outcome: "ok" })).toBe(1);
    const reads = delta("neo4j_transaction_duration_seconds_count", { mode: "READ" });
    expect(reads).toBeGreaterThanOrEqual(1);
    expect(reads).toBeLessThanOrEqual(Number(result.headers.get("x-cypher-queries")));
    expect(delta("neo4j_transaction_duration_seconds_count", { mode: "WRITE" })).toBe(0);
    // Every session was closed: none is left in use once the requests have ended.
    expect(sample(after, "neo4j_sessions_in_use")).toBe(0);
  });

  it("when answers carry errors, then they are counted by code, and their requests under client_error", async () => {
    const before = await scrape(app.url);
    // refused making the context (no operation yet), by validation (Apollo names no operation), and by a resolver (a name outside the contract)
    const sent = await Promise.all([
      post(app.url, '{"query":"{ __typename }"}', { authorization: "Bearer not-a-token" }),
      post(app.url, '{"query":"query Broken { noSuchField }"}'),
      post(app.url, '{"query":"query Unsigned { customers(first: 1) { totalCount } }"}'),
    ]);
    for (const result of sent) await oneLineOf(result);
    const after = await scrape(app.url);
    const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    expect(delta("graphql_errors_total", { code: "UNAUTHENTICATED" })).toBe(2);
    expect(delta("graphql_errors_total", { code: "GRAPHQL_VALIDATION_FAILED" })).toBe(1);
    expect(delta("graphql_request_duration_seconds_count", { operation: "none", outcome: "client_error" })).toBe(2);
    expect(delta("graphql_request_duration_seconds_count", { operation: "other", outcome: "client_error" })).toBe(1);
  });

  it("when clients send 30 made-up operation names, then they are all counted as `other`: the operation label takes only contract names", async () => {
    const before = await scrape(app.url);
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => post(app.url, JSON.stringify({ query: `query Made_Up_${i} { __typename }` }))));
    for (const result of results) await oneLineOf(result);
    const after = await scrape(app.url);
    expect(sample(after, "graphql_request_duration_seconds_count", { operation: "other", outcome: "ok" }) - sample(before, "graphql_request_duration_seconds_count", { operation: "other", outcome: "ok" })).toBe(30);
    expect(after).not.toContain("Made_Up_");
    const operations = new Set([...after.matchAll(/operation="([^"]*)"/g)].map((match) => match[1]));
    expect(operations.size).toBeLessThanOrEqual(36 + 2);
  });
});

describe("metrics in production", () => {
  let quiet: TestApp;
  let guarded: TestApp;
  const METRICS_TOKEN = "metrics-token-0123456789";

  beforeAll(async () => {
    [quiet, guarded] = await Promise.all([
      startTestApp({ NODE_ENV: "production", JWT_SECRET: "p".repeat(40) }),
      startTestApp({ NODE_ENV: "production", JWT_SECRET: "p".repeat(40), METRICS_TOKEN, RATE_LIMIT_PER_MINUTE: "2" }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([quiet?.close(), guarded?.close()]);
  });

  it("when METRICS and METRICS_TOKEN are unset, then /metrics is a 404 like any unknown path", async () => {
    expectJsonRefusal(await send(quiet.url.replace("/graphql", "/metrics")), 404, "NOT_FOUND");
  });

  it("when METRICS_TOKEN is set, then /metrics answers only its bearer token: 401 without it or with another", async () => {
    const url = guarded.url.replace("/graphql", "/metrics");
    const none = await send(url);
    expectJsonRefusal(none, 401, "UNAUTHENTICATED");
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expectJsonRefusal(await send(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } }), 401, "UNAUTHENTICATED");
    await scrape(guarded.url, { authorization: `Bearer ${METRICS_TOKEN}` });
  });

  it("when a scraper calls /metrics 10 times at RATE_LIMIT_PER_MINUTE=2, then every scrape is answered (the rate limit is on /graphql only)", async () => {
    for (let i = 0; i < 10; i++) await scrape(guarded.url, { authorization: `Bearer ${METRICS_TOKEN}` });
  });

  it("when two apps run in one process, then each has its own registry: the development app's Customers requests are not in this one", async () => {
    const text = await scrape(guarded.url, { authorization: `Bearer ${METRICS_TOKEN}` });
    expect(sample(text, "graphql_request_duration_seconds_count", { operation: "Customers", outcome: "ok" })).toBe(0);
    expect(sample(await scrape(app.url), "graphql_request_duration_seconds_count", { operation: "Customers", outcome: "ok" })).toBeGreaterThan(0);
  });

  it("when METRICS is on, off or unset, then it decides; a wrong value or a short token stops the start", () => {
    const production = { NODE_ENV: "production", JWT_SECRET: "p".repeat(40), NEO4J_URI: "bolt://127.0.0.1:1" };
    expect(loadConfig(production).metrics).toEqual({ enabled: false, token: undefined });
    expect(loadConfig({ ...production, METRICS: "on" }).metrics).toEqual({ enabled: true, token: undefined });
    expect(loadConfig({ ...production, METRICS_TOKEN }).metrics).toEqual({ enabled: true, token: METRICS_TOKEN });
    expect(loadConfig({ ...production, METRICS: "off", METRICS_TOKEN }).metrics.enabled).toBe(false);
    expect(loadConfig({ NODE_ENV: "development" }).metrics).toEqual({ enabled: true, token: undefined });
    expect(() => loadConfig({ ...production, METRICS: "yes" })).toThrow(/METRICS must be "on" or "off"/);
    expect(() => loadConfig({ ...production, METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN must be at least 16 characters/);
  });
});

describe("metrics of several processes (WEB_CONCURRENCY > 1: the primary aggregates)", () => {
  it("when two processes' registries are aggregated, then requests and sessions in use add up, the event-loop lag is the worst process's, the start time is left out, and the scrape says how many workers answered", async () => {
    const operations = new Set(["Customers"]);
    const [a, b] = [createMetrics({ executor: app.executor, operations }), createMetrics({ executor: app.executor, operations })];
    try {
      const ok = { operationName: "Customers", status: 200, errorCodes: [], seconds: 0.02, aborted: false };
      for (let i = 0; i < 2; i++) a.observeRequest(ok);
      for (let i = 0; i < 3; i++) b.observeRequest(ok);
      // What each process sends its primary, with per-process values set to tell them apart.
      const [ja, jb] = (await Promise.all([a.registry.getMetricsAsJSON(), b.registry.getMetricsAsJSON()])) as MetricsJson[];
      const set = (json: MetricsJson, name: string, value: number) => {
        const metric = json.find((m) => m.name === name)!;
        metric.values = [{ value, labels: {} }];
      };
      set(ja, "neo4j_sessions_in_use", 2);
      set(jb, "neo4j_sessions_in_use", 3);
      set(ja, "nodejs_eventloop_lag_seconds", 0.5);
      set(jb, "nodejs_eventloop_lag_seconds", 0.1);
      set(ja, "nodejs_eventloop_lag_p99_seconds", 0.05);
      set(jb, "nodejs_eventloop_lag_p99_seconds", 0.2);
      const text = await aggregateClusterMetrics([ja, jb], { answered: 2, missed: 0 });
      expect(sample(text, "graphql_request_duration_seconds_count", { operation: "Customers", outcome: "ok" })).toBe(5);
      expect(sample(text, "neo4j_sessions_in_use", {})).toBe(5);
      expect(sample(text, "nodejs_eventloop_lag_seconds", {})).toBe(0.5);
      expect(sample(text, "nodejs_eventloop_lag_p99_seconds", {})).toBe(0.2);
      expect(text).not.toMatch(/^process_start_time_seconds/m);
      expect(sample(text, "api_cluster_scrape_workers", { result: "answered" })).toBe(2);
      expect(sample(text, "api_cluster_scrape_workers", { result: "missed" })).toBe(0);
    } finally {
      a.close();
      b.close();
    }
  });
});
