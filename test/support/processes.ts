import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { loadConfig, PROJECT_ROOT } from "../../src/shared/config.js";

/**
 * Real API processes for tests that need several on one Neo4j (live events across processes,
 * webhooks delivered by two processes): `npx tsx src/main.ts`, run as one node process
 * (`node --import tsx`) so that SIGTERM reaches it, on the test database, loopback only.
 */

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/**
 * The JWT_SECRET of the test apps (test/support/app.ts: JWT_SECRET of the environment, else the
 * development secret in .local): a spawned process gets the same one, so it reads the test apps'
 * tokens and can open the signing secrets of webhooks they created (and they, its webhooks').
 */
function testJwtSecret(): string {
  return new TextDecoder().decode(loadConfig({ ...process.env, NODE_ENV: "test" }).jwtSecret);
}

export interface ApiProcesses {
  /**
   * Starts one process (NODE_ENV=development, DEMO=off, its own MAIL_DIR, RATE_LIMIT=off, the test
   * apps' JWT_SECRET, WEBHOOK_DELIVERY=off, `env` on top); resolves with its /graphql URL once it
   * says it is ready. Delivery is off unless a test turns it on, and then scoped to the test's own
   * organisations (WEBHOOK_ONLY_PARTNERS): an unscoped process on the real clock would claim other
   * test files' webhook attempts (their clocks, their receivers); one with another JWT_SECRET
   * could not open their secrets either.
   */
  start(env: Record<string, string>): Promise<string>;
  /** Every process started, to inspect (e.g. its output). */
  readonly children: readonly ChildProcess[];
  /** What a started process printed (stdout and stderr, the last 50-100 kB). */
  output(child: ChildProcess): string;
  /** Stops them all (SIGTERM) and waits for each to exit. */
  stopAll(): Promise<void>;
}

/** A set of API processes; call `stopAll()` in afterAll. */
export function apiProcesses(): ApiProcesses {
  const children: ChildProcess[] = [];
  const outputs = new Map<ChildProcess, string>();
  return {
    children,
    output: (child) => outputs.get(child) ?? "",
    async start(env) {
      const neo4j = inject("neo4j");
      const port = await freePort();
      const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
        cwd: PROJECT_ROOT,
        env: {
          ...process.env,
          NODE_ENV: "development",
          NEO4J_URI: neo4j.uri,
          NEO4J_USERNAME: neo4j.username,
          NEO4J_PASSWORD: neo4j.password,
          NEO4J_DATABASE: neo4j.database,
          PORT: String(port),
          DEMO: "off",
          MAIL_DIR: mkdtempSync(join(tmpdir(), "csp-process-mail-")),
          RATE_LIMIT: "off",
          LOG_LEVEL: "warn",
          JWT_SECRET: testJwtSecret(),
          WEBHOOK_DELIVERY: "off",
          ...env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      children.push(child);
      let output = "";
      return new Promise((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          if (output.length > 100_000) output = output.slice(-50_000);
          outputs.set(child, output);
          const ready = /API ready: (http:\/\/\S+)/.exec(output);
          if (ready) resolve(ready[1]);
        };
        child.stdout!.on("data", onData);
        child.stderr!.on("data", onData);
        child.once("exit", (code) => reject(new Error(`API process exited (${code}): ${output.slice(-2000)}`)));
      });
    },
    async stopAll() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once("exit", () => resolve());
              child.kill("SIGTERM");
            }),
        ),
      );
    },
  };
}

/** signIn through one process's /graphql. */
export async function signInAt(url: string, email: string, password: string): Promise<string> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }", variables: { e: email, p: password } }),
  });
  const body = (await response.json()) as { data?: { signIn: { token: string } }; errors?: unknown };
  if (!body.data) throw new Error(`sign-in as ${email} failed: ${JSON.stringify(body.errors)}`);
  return body.data.signIn.token;
}

/** One operation through one process's /graphql. */
export async function gqlAt<T>(url: string, query: string, variables: Record<string, unknown>, token: string | null, operationName?: string): Promise<{ data?: T; errors?: { message: string; extensions?: { code?: string } }[] }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { method: "POST", headers, body: JSON.stringify({ query, variables, operationName }) });
  return (await response.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
}
