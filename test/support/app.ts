import type { Clock } from "../../src/shared/clock.js";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import type { Driver } from "neo4j-driver";
import type { Logger } from "pino";
import { createDriver } from "../../src/app/database.js";
import { Kind, parse, print } from "graphql";
import { startApp, type RunningApp } from "../../src/app/server.js";
import { loadConfig, PROJECT_ROOT } from "../../src/shared/config.js";
import { createMailer } from "../../src/shared/mail/mailer.js";
import { Executor } from "../../src/shared/neo4j/executor.js";

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  data: T | null;
  errors: { message: string; extensions?: { code?: string; [key: string]: unknown }; path?: (string | number)[] }[] | undefined;
  /** Cypher queries the server ran for this request (response header x-cypher-queries). */
  queryCount: number;
}

export interface TestApp {
  url: string;
  /** Where this app writes its mail (.eml), one folder per app. */
  mailDir: string;
  driver: Driver;
  executor: Executor;
  /** The app's channel-event runtime (src/modules/events/runtime.ts): `await app.events.sequencer.drain()` numbers committed events now. */
  events: RunningApp["events"];
  gql<T = Record<string, unknown>>(query: string, options?: { variables?: Record<string, unknown>; token?: string | null; operationName?: string }): Promise<GqlResult<T>>;
  /** An operation of the contract (test/contract/operations.graphql, a copy of shared/contract). */
  op<T = Record<string, unknown>>(operationName: string, variables?: Record<string, unknown>, token?: string | null): Promise<GqlResult<T>>;
  /** An operation of the lifecycle contract (test/contract/lifecycle.graphql, D-20..D-27). */
  lifecycle<T = Record<string, unknown>>(operationName: string, variables?: Record<string, unknown>, token?: string | null): Promise<GqlResult<T>>;
  /** A query or mutation of the events contract (test/contract/events.graphql, D-28..D-30); ChannelEvents goes over WebSocket. */
  eventOp<T = Record<string, unknown>>(operationName: string, variables?: Record<string, unknown>, token?: string | null): Promise<GqlResult<T>>;
  signIn(email: string, password?: string): Promise<string>;
  /** signIn once per email and password for this app; later calls reuse the token. */
  signInOnce(email: string, password?: string): Promise<string>;
  cypher<T = Record<string, unknown>>(query: string, params?: Record<string, unknown>): Promise<T[]>;
  close(): Promise<void>;
}

export const CONTRACT_OPERATIONS = readFileSync(join(PROJECT_ROOT, "test", "contract", "operations.graphql"), "utf8");
export const LIFECYCLE_OPERATIONS = readFileSync(join(PROJECT_ROOT, "test", "contract", "lifecycle.graphql"), "utf8");
export const EVENTS_OPERATIONS = readFileSync(join(PROJECT_ROOT, "test", "contract", "events.graphql"), "utf8");

/** One named operation of a contract document, with the document's fragments. */
export function operationOf(document: string, operationName: string): string {
  const parsed = parse(document);
  const definitions = parsed.definitions.filter(
    (d) => d.kind === Kind.FRAGMENT_DEFINITION || (d.kind === Kind.OPERATION_DEFINITION && d.name?.value === operationName),
  );
  if (!definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION)) throw new Error(`no operation ${operationName} in the document`);
  return print({ ...parsed, definitions });
}

/**
 * The real server (HTTP, context, shield, Apollo) on a free port, over the test Neo4j
 * (`neo4jUri`: reached another way, e.g. through test/support/tcp-proxy.ts; `logger`: where its
 * access log goes, silent by default in tests).
 */
export async function startTestApp(
  env: Record<string, string> = {},
  options: { neo4jUri?: string; logger?: Logger; clock?: Clock } = {},
): Promise<TestApp> {
  const settings = inject("neo4j");
  const demoPassword = inject("demoPassword");
  const mailDir = mkdtempSync(join(tmpdir(), "csp-mail-"));
  // Test files send many requests from 127.0.0.1 as the same users: the request rate is raised
  // out of reach unless a test sets it (test/app/rate-limit.test.ts); sign-in limits stay as configured.
  const config = loadConfig({
    ...process.env,
    NODE_ENV: "test",
    EXPOSE_QUERY_COUNT: "true",
    PORT: "4000",
    MAIL_DIR: mailDir,
    RATE_LIMIT_PER_MINUTE: "1000000",
    ...env,
  });
  // The API's own driver settings (connection budgets), as in src/app/database.ts.
  const driver = createDriver(options.neo4jUri ? { ...settings, uri: options.neo4jUri } : settings, { unreachableMs: config.neo4jUnreachableMs });
  const executor = new Executor(driver, { database: settings.database, timeoutMs: 30_000, unreachableMs: config.neo4jUnreachableMs });
  let running: RunningApp;
  try {
    running = await startApp({ config, executor, services: { mailer: createMailer({ mailDir: config.mailDir }), clock: options.clock }, logger: options.logger }, 0);
  } catch (error) {
    await driver.close();
    throw error;
  }

  const gql: TestApp["gql"] = async (query, options = {}) => {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const response = await fetch(running.url, {
      method: "POST",
      headers,
      body: JSON.stringify({ query, variables: options.variables ?? {}, operationName: options.operationName }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: GqlResult["errors"] };
    return {
      status: response.status,
      data: (body.data ?? null) as never,
      errors: body.errors,
      queryCount: Number(response.headers.get("x-cypher-queries") ?? NaN),
    };
  };

  const signedIn = new Map<string, Promise<string>>();
  const app: TestApp = {
    url: running.url,
    mailDir: config.mailDir,
    driver,
    executor,
    events: running.events,
    gql,
    op: (operationName, variables = {}, token = null) => gql(CONTRACT_OPERATIONS, { operationName, variables, token }),
    lifecycle: (operationName, variables = {}, token = null) => gql(LIFECYCLE_OPERATIONS, { operationName, variables, token }),
    // Only the named operation is sent (with the document's fragments): each works as soon as its own fields exist.
    eventOp: (operationName, variables = {}, token = null) => gql(operationOf(EVENTS_OPERATIONS, operationName), { operationName, variables, token }),
    async signIn(email, password = demoPassword) {
      const result = await gql<{ signIn: { token: string } }>(
        "mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { token } }",
        { variables: { email, password } },
      );
      if (!result.data) throw new Error(`sign-in as ${email} failed: ${JSON.stringify(result.errors)}`);
      return result.data.signIn.token;
    },
    signInOnce(email, password = demoPassword) {
      const key = `${email}\u0000${password}`;
      let token = signedIn.get(key);
      if (!token) {
        token = app.signIn(email, password);
        // A failed sign-in is not remembered, so the next call tries again.
        token.catch(() => signedIn.delete(key));
        signedIn.set(key, token);
      }
      return token;
    },
    async cypher(query, params = {}) {
      const result = await driver.executeQuery(query, params, { database: settings.database });
      return result.records.map((r) => r.toObject()) as never;
    },
    async close() {
      await running.close();
      await driver.close();
    },
  };
  return app;
}

/** A short random tag for names of test-made data, so parallel files never collide. */
export function uniqueTag(): string {
  return Math.random().toString(36).slice(2, 10);
}

/**
 * A test file's `tokenOf(email, password?)`: a user's token from the file's app, signed in once
 * per email and password (`signInOnce`: scrypt makes every sign-in cost a noticeable fraction of
 * a second). `password` gives the default when a call names none: a fixture channel's users share
 * one; without it, the demo password. Both are read when called, since a file makes its app and
 * channel in `beforeAll`.
 */
export function tokenGetter(app: () => TestApp, password?: () => string): (email: string, password?: string) => Promise<string> {
  return (email, given) => app().signInOnce(email, given ?? password?.());
}
