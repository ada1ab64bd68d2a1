import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDriver, openConfiguredDatabase, PRODUCTION_NEEDS_NEO4J_URI } from "../../src/app/database.js";
import { loadDemo } from "../../src/demo/load-demo.js";
import { demoSettings, displayUri, loadConfig, PROJECT_ROOT } from "../../src/shared/config.js";
import { Executor } from "../../src/shared/neo4j/executor.js";
import { uniqueTag } from "../support/app.js";
import { freePort } from "../support/http.js";

/**
 * Issue 12, point 4: production runs compiled JavaScript, against an existing Neo4j only, with no
 * demo users unless asked, and never prints a password. The file builds the server itself
 * (`npm run build:server`, so `npm test` alone proves the build), then starts it the way the
 * README says, with package.json's `start:prod` command line (what npm runs, through sh), on the
 * shared test Neo4j. Bounded: one build, three starts (each waits at most 45 s for its banner or
 * its exit), and a handful of requests.
 */

const settings = inject("neo4j");
const demoPassword = inject("demoPassword");
const tag = uniqueTag();
// Values that must never appear in what the server prints.
const JWT_SECRET = `production-test-jwt-${tag}-0123456789abcdef`;
const CANARY_DEMO_PASSWORD = `canary-demo-${tag}`;
const DEMO_USER = "ga@adatum.example";

const START_PROD = (JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts["start:prod"];

interface Server {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * `start:prod` as npm runs it (sh -c "<script>"), with only the environment given here (PATH and
 * HOME aside): NODE_ENV comes from the script itself. Resolves once the banner is printed, or
 * when the process exits before that (`ready: false`).
 */
async function startProd(env: Record<string, string>): Promise<Server & { ready: boolean }> {
  const port = await freePort();
  const child = spawn("sh", ["-c", START_PROD!], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: process.env.HOME ?? tmpdir(),
      PORT: String(port),
      HOST: "127.0.0.1",
      JWT_SECRET,
      MAIL_DIR: mkdtempSync(join(tmpdir(), "csp-prod-mail-")),
      LOG_LEVEL: "info",
      // Other test files share the database: a production process (another JWT_SECRET) must not
      // claim their webhook deliveries (it could not unseal their secrets) or sweep their relationships.
      WEBHOOK_DELIVERY: "off",
      EXPIRY_SWEEP_MS: "off",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const ready = await new Promise<boolean>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`start:prod neither served nor exited in 45 s:\n${output}`));
    }, 45_000);
    const check = () => {
      // The banner ends with an empty line.
      if (/CSP channel graph API ready[\s\S]*\n\n/.test(output)) {
        clearTimeout(timer);
        resolve(true);
      }
    };
    child.stdout!.on("data", check);
    void exited.then(() => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  return { child, url: `http://127.0.0.1:${port}`, output: () => output, exited, ready };
}

const neo4jEnv = () => ({
  NEO4J_URI: settings.uri,
  NEO4J_USERNAME: settings.username,
  NEO4J_PASSWORD: settings.password,
  NEO4J_DATABASE: settings.database,
});

async function gql(url: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] };
}

const SIGN_IN = "mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }";

/** The process ids a process has started (Linux /proc), or null where /proc cannot tell. */
function childrenOf(pid: number): number[] | null {
  const tasks = `/proc/${pid}/task`;
  if (!existsSync(tasks)) return null;
  return readdirSync(tasks).flatMap((task) => {
    try {
      return readFileSync(join(tasks, task, "children"), "utf8").split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });
}

function secretsIn(output: string): string[] {
  return [
    ["DEMO_PASSWORD (canary)", CANARY_DEMO_PASSWORD],
    ["the demo password", demoPassword],
    ["NEO4J_PASSWORD", settings.password],
    ["JWT_SECRET", JWT_SECRET],
  ]
    .filter(([, value]) => value !== "" && output.includes(value!))
    .map(([name]) => name!);
}

let direct: Driver;

beforeAll(() => {
  direct = createDriver(settings, { unreachableMs: 2_000 });
  const built = spawnSync("npm", ["run", "--silent", "build:server"], { cwd: PROJECT_ROOT, encoding: "utf8", env: { ...process.env, NODE_ENV: "" } });
  if (built.status !== 0) throw new Error(`npm run build:server failed (${built.status ?? built.signal}):\n${built.stdout}${built.stderr}`);
}, 180_000);

afterAll(async () => {
  if (!direct) return;
  // Should a start have loaded the demo with the canary password, the other tests' demo password
  // comes back (a no-op when the demo users still have it, as they must).
  await loadDemo(new Executor(direct, { database: settings.database, timeoutMs: 30_000 }).forRequest({ operation: "test-restore" }), demoPassword);
  await direct.close();
});

describe("when `npm run build` has run", () => {
  it("then dist/ holds the compiled server and the files it reads at run time next to the code", () => {
    expect(START_PROD).toMatch(/NODE_ENV=production .*node dist\/main\.js/);
    for (const file of ["main.js", "shared/config.js", "app/server.js", "app/sandbox/examples.graphql", "generated/trusted-documents.json"]) {
      expect(existsSync(join(PROJECT_ROOT, "dist", file)), `dist/${file}`).toBe(true);
    }
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts.build).toMatch(/npm run build:server/);
  });
});

describe("when the built server starts with `start:prod` against an existing Neo4j, DEMO unset and DEMO_PASSWORD set", () => {
  let server: Server;

  beforeAll(async () => {
    const started = await startProd({ ...neo4jEnv(), DEMO_PASSWORD: CANARY_DEMO_PASSWORD });
    if (!started.ready) throw new Error(`start:prod exited before it served:\n${started.output()}`);
    server = started;
  }, 60_000);

  afterAll(() => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGKILL");
  });

  it("then it runs compiled JavaScript (node dist/main.js, no tsx or esbuild) and starts no other process (no local Neo4j)", () => {
    const pid = server.child.pid!;
    if (existsSync(`/proc/${pid}/cmdline`)) {
      const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
      expect(argv.slice(1)).toEqual(["dist/main.js"]);
    }
    const children = childrenOf(pid);
    if (children !== null) expect(children).toEqual([]);
  });

  it("then /readyz is 200, GraphQL answers, and a wrong password is UNAUTHENTICATED", async () => {
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect((await gql(server.url, "{ __typename }")).data).toEqual({ __typename: "Query" });
    const wrong = await gql(server.url, SIGN_IN, { e: DEMO_USER, p: `wrong-${tag}` });
    expect(wrong.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("then the demo loader did not run: the demo users keep their password (a load would have set DEMO_PASSWORD)", async () => {
    const kept = await gql(server.url, SIGN_IN, { e: DEMO_USER, p: demoPassword });
    expect(kept.errors).toBeUndefined();
    expect(kept.data?.signIn).toMatchObject({ token: expect.any(String) });
    const canary = await gql(server.url, SIGN_IN, { e: DEMO_USER, p: CANARY_DEMO_PASSWORD });
    expect(canary.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("then the banner names the URL, the Neo4j URI and the mail mode only, and nothing printed holds a password or secret", async () => {
    const output = server.output();
    expect(output).toContain(`CSP channel graph API ready: ${server.url}/graphql`);
    expect(output).toContain(`Neo4j: ${settings.uri}\n`);
    expect(output).toMatch(/Mail: \.eml files in /);
    expect(output).not.toMatch(/Sandbox|Demo|demo users|local, started/i);
    expect(secretsIn(output)).toEqual([]);
  });

  it("then SIGTERM stops it with exit code 0, having printed no secret on the way out", async () => {
    server.child.kill("SIGTERM");
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(secretsIn(server.output())).toEqual([]);
  });
});

describe("when the built server starts with DEMO=load in production on a database that holds the demo", () => {
  it("then the demo is checked with DEMO_PASSWORD and the banner says so without printing it or the accounts", async () => {
    const server = await startProd({ ...neo4jEnv(), DEMO: "load", DEMO_PASSWORD: demoPassword });
    try {
      expect(server.ready, server.output()).toBe(true);
      const output = server.output();
      expect(output).toContain("Demo channel present (DEMO=load): the demo users of DEMO.md sign in with DEMO_PASSWORD.");
      expect(output).not.toContain(DEMO_USER);
      expect(secretsIn(output)).toEqual([]);
      server.child.kill("SIGTERM");
      expect(await server.exited).toEqual({ code: 0, signal: null });
    } finally {
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGKILL");
    }
  }, 60_000);
});

describe("when NODE_ENV=production and NEO4J_URI is unset", () => {
  it("then start:prod exits 1 with a message naming NEO4J_URI, having served nothing and started no local Neo4j", async () => {
    const server = await startProd({ DEMO_PASSWORD: CANARY_DEMO_PASSWORD });
    try {
      expect(server.ready).toBe(false);
      expect(await server.exited).toEqual({ code: 1, signal: null });
      const output = server.output();
      expect(output).toContain(`Start failed: ${PRODUCTION_NEEDS_NEO4J_URI}`);
      expect(output).not.toMatch(/\[neo4j\]|ready/);
      expect(secretsIn(output)).toEqual([]);
    } finally {
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGKILL");
    }
  }, 60_000);

  it("then openConfiguredDatabase refuses before it starts anything (scripts too: import:relationships)", async () => {
    const config = loadConfig({ NODE_ENV: "production", JWT_SECRET });
    expect(config.neo4j).toBeUndefined();
    await expect(openConfiguredDatabase(config)).rejects.toThrow(PRODUCTION_NEEDS_NEO4J_URI);
  });
});

describe("the demo decision (DEMO, DEMO_PASSWORD)", () => {
  it("when DEMO is unset, then development loads the demo and production does not", () => {
    expect(demoSettings({}, false)).toEqual({ load: true, password: undefined });
    expect(demoSettings({ DEMO_PASSWORD: CANARY_DEMO_PASSWORD }, true)).toEqual({ load: false, password: CANARY_DEMO_PASSWORD });
  });

  it("when DEMO=off, then development does not load it either", () => {
    expect(demoSettings({ DEMO: "off" }, false).load).toBe(false);
  });

  it("when DEMO=load in production without DEMO_PASSWORD, or with one shorter than 12 characters, then the configuration is refused", () => {
    expect(() => loadConfig({ NODE_ENV: "production", JWT_SECRET, DEMO: "load" })).toThrow(/DEMO=load .*needs DEMO_PASSWORD/);
    expect(() => demoSettings({ DEMO: "load", DEMO_PASSWORD: "short-pw" }, true)).toThrow(/DEMO_PASSWORD must be at least 12 characters/);
    expect(demoSettings({ DEMO: "load", DEMO_PASSWORD: CANARY_DEMO_PASSWORD }, true)).toEqual({ load: true, password: CANARY_DEMO_PASSWORD });
  });

  it("when DEMO is anything else, then the configuration is refused naming it", () => {
    expect(() => demoSettings({ DEMO: "yes" }, false)).toThrow(/DEMO must be "load" or "off", got "yes"/);
  });
});

describe("the Neo4j URI as printed", () => {
  it("when the URI carries a user name and password, then they are left out", () => {
    expect(displayUri("neo4j+s://neo4j:s3cret@xxxx.databases.neo4j.io")).toBe("neo4j+s://xxxx.databases.neo4j.io");
    expect(displayUri("neo4j://u:p@db.internal:7687?policy=eu")).toBe("neo4j://db.internal:7687?policy=eu");
    expect(displayUri("bolt://127.0.0.1:7688")).toBe("bolt://127.0.0.1:7688");
  });
});
