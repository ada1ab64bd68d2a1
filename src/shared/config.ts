import { availableParallelism } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { localSecret } from "./local-secret.js";

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const LOCAL_DIR = join(PROJECT_ROOT, ".local");

export interface Neo4jSettings {
  uri: string;
  username: string;
  password: string;
  database: string;
}

export interface Config {
  port: number;
  production: boolean;
  publicUrl: string;
  jwtSecret: Uint8Array;
  /** Where emails are written when no SMTP server is configured. */
  mailDir: string;
  smtpUrl: string | undefined;
  /** Set only when the environment names an existing Neo4j; otherwise a local one is started. */
  neo4j: Neo4jSettings | undefined;
  /** Cypher transaction timeout. */
  queryTimeoutMs: number;
  /** How long a request keeps trying to reach an unreachable Neo4j before SERVICE_UNAVAILABLE (src/app/database.ts). */
  neo4jUnreachableMs: number;
  /**
   * NEO4J_MAX_POOL_SIZE: the Neo4j driver's connection pool size in each API process (src/app/database.ts),
   * 100 by default. A machine with WEB_CONCURRENCY workers opens up to workers x this many
   * connections: size it against the server's (or Aura's) connection limit.
   */
  neo4jMaxPoolSize: number;
  /** A request's time budget (parse, validate, plan, execute): no database statement starts after it or runs past it. */
  requestBudgetMs: number;
  /** On SIGTERM/SIGINT: how long requests already accepted get to be answered (src/app/shutdown.ts). */
  shutdownGraceMs: number;
  /**
   * WEB_CONCURRENCY: API worker processes on this machine sharing the port (src/app/cluster.ts,
   * Node's cluster module). 1 (the default): one process, no cluster primary.
   */
  webConcurrency: number;
  /**
   * EXPIRY_SWEEP_MS: how often this process sweeps delegated admin relationships for their expiry
   * events (D-28, src/modules/events/expiry-sweep.ts), 60 s by default. Null (off): EXPIRY_SWEEP_MS=off,
   * and NODE_ENV=test unless set (tests call the sweep's runOnce(): on a shared test database a
   * timer's pass would write events for other files' data).
   */
  expirySweepMs: number | null;
  /**
   * EVENT_SEQUENCER_MS: the event sequencer's safety pass (src/modules/events/sequencer.ts), for
   * events a stopped process committed and did not number: 500 ms by default; `off` leaves only the
   * pass each commit of this process triggers. After a failed pass (Neo4j away) the next waits
   * twice as long, up to 30 s.
   */
  eventSequencerMs: number | null;
  /**
   * EVENT_SEQUENCER_DEBOUNCE_MS: how long the sequencer's pass after a commit of this process waits
   * for more commits, so that one pass (one lock transaction) numbers all of them and wakes the
   * live hub once (issue 14): default 20 ms, 0 = a pass right after each commit (and no spacing).
   * Adds at most that to the delay of an event after a quiet spell.
   */
  eventSequencerDebounceMs: number;
  /**
   * EVENT_SEQUENCER_SPACING_MS: the least time between the starts of two sequencing passes that
   * commits ask for (default 250 ms, 0 = none): under load, passes start this far apart. Each pass
   * is a write transaction and wakes the hub and the webhook fan-out: at 200 writes/s a 20 ms
   * window alone made 0.10 passes per write, and fewer passes gave bench:writes' B 7% more
   * writes/s (2026-12-03). Adds at most this to an event's delay under load.
   */
  eventSequencerSpacingMs: number;
  /** Expose the number of Cypher queries of each request (header x-cypher-queries). */
  exposeQueryCount: boolean;
  /** TRUSTED_DOCUMENTS=only: run only the documents of src/generated/trusted-documents.json. */
  trustedDocuments: "off" | "only";
  /** Express "trust proxy" (TRUST_PROXY): which X-Forwarded-For hops make the client address. */
  trustProxy: boolean | number | string;
  /**
   * CORS_ORIGINS: the browser origins that may call /graphql (src/app/cors.ts), each an exact
   * origin ("https://app.example.com") or any port of one host ("http://localhost:*"). Empty: no
   * CORS headers at all.
   */
  corsOrigins: string[];
  /** METRICS / METRICS_TOKEN: Prometheus metrics at GET /metrics (src/app/metrics.ts). */
  metrics: MetricsSettings;
  /** Request rate, sign-in lockout and concurrent password checks (src/app/rate-limit.ts). */
  rateLimit: RateLimitSettings;
  /** Whether `npm start` / `npm run start:prod` loads the demo channel of DEMO.md (DEMO, DEMO_PASSWORD). */
  demo: DemoSettings;
  /** Live `channelEvents` subscriptions over WebSocket (src/app/subscriptions.ts, src/modules/events/hub.ts). */
  live: LiveSettings;
  /** Webhook delivery (D-30, src/modules/webhooks/dispatcher.ts). */
  webhooks: WebhookSettings;
}

export interface WebhookSettings {
  /**
   * WEBHOOK_DELIVERY=on|off: this process fans events out to webhooks and delivers them in the
   * background. Default on, but off under NODE_ENV=test: test apps share one database and move
   * their own clocks, so only the webhook tests deliver, and they drive it (runOnce) or turn it on.
   */
  delivery: boolean;
  /** WEBHOOKS_PER_ORGANISATION: the most webhooks one organisation may have (default 10). */
  maxPerOrganisation: number;
  /** WEBHOOK_CONCURRENCY: deliveries in flight at once in this process (default 4). */
  concurrency: number;
  /** WEBHOOK_POLL_MS: how often the process looks for new events and due retries (default 1,000). */
  pollMs: number;
  /** WEBHOOK_TIMEOUT_MS: one attempt's answer must start within this (D-30: 10,000). */
  timeoutMs: number;
  /**
   * WEBHOOK_BATCH (1 to 100, default 20): the most due attempts of one webhook claimed in one
   * transaction, POSTed one after another over one kept-alive connection and recorded in one
   * transaction (a batch stops at its first failure).
   */
  batch: number;
  /**
   * WEBHOOK_ONLY_PARTNERS (comma-separated partner ids; unset in production: every organisation):
   * this process claims and delivers only the attempts of these organisations' webhooks (the
   * fan-out stays global). For test processes on a shared test database, which must never claim
   * another test file's attempts (their clocks and receivers differ).
   */
  onlyPartnerIds?: readonly string[] | null;
}

export interface LiveSettings {
  /** LIVE_MAX_CONNECTIONS: open WebSocket connections per process; the next upgrade is refused with HTTP 503. */
  maxConnections: number;
  /** LIVE_MAX_SUBSCRIPTIONS: subscriptions at once on one connection; the next is refused (RATE_LIMITED). */
  maxSubscriptionsPerConnection: number;
  /** LIVE_MAX_BUFFERED: events waiting for a slow client, per subscription; past it the connection is closed (1013). */
  maxBufferedEvents: number;
  /** LIVE_POLL_MS: how often the hub reads events other processes wrote (this process's own are read at once). */
  pollMs: number;
  /** LIVE_INIT_TIMEOUT_MS: time for a client to send connection_init before the close 4408. */
  initTimeoutMs: number;
  /**
   * LIVE_RECHECK_MS: how often each open connection's viewer is read again (one read per user and
   * session version, never per event): a revoked token or a removed user closes it (4403), lost
   * roles narrow or end its subscriptions (FORBIDDEN). Default 60,000; the token's expiry closes it at once (a timer).
   */
  recheckMs: number;
  /**
   * LIVE_MAX_CONNECTIONS_PER_USER: open connections of one user (per process, default 5); the next
   * connection_init of that user is closed 4429 "Too many requests" (graphql-ws's client does not retry 4429).
   */
  maxConnectionsPerUser: number;
  /**
   * LIVE_MAX_PENDING_PER_ADDRESS: connections of one client address not yet initialised (upgraded,
   * connection_init not yet accepted; default 10); the next upgrade from it is refused with HTTP 429.
   */
  maxPendingPerAddress: number;
  /**
   * LIVE_MAX_REPLAY: how far behind the head (in `seq`) a resume cursor (`after`) may be (default
   * 10,000); further behind is BAD_USER_INPUT on `after`: page the `events` feed first.
   */
  maxReplay: number;
}

export interface DemoSettings {
  /**
   * Load the demo channel into an empty database at start (and set the demo users' password to
   * DEMO_PASSWORD when it is already there): DEMO=load, the default in development; DEMO=off,
   * the default in production.
   */
  load: boolean;
  /** DEMO_PASSWORD. Unset in development: generated once into .local/demo-password. Required by DEMO=load in production. */
  password: string | undefined;
}

export interface MetricsSettings {
  /** Serve GET /metrics; off, it is a 404 like any other path. */
  enabled: boolean;
  /** When set, /metrics answers only `Authorization: Bearer <token>`. */
  token: string | undefined;
}

export interface RateLimitSettings {
  /** RATE_LIMIT=off turns every limit below off (benchmarks). */
  enabled: boolean;
  /** Requests per minute per caller on /graphql: the signed-in user, else the client address. */
  requestsPerMinute: number;
  /** Failed sign-ins (or wrong current passwords) per account email in one window. */
  signInMaxFailures: number;
  /** Failed sign-ins per client address in one window, whatever the accounts. */
  signInMaxFailuresPerAddress: number;
  signInWindowSeconds: number;
  /** Password checks (scrypt) running at once in this process; up to `passwordCheckQueue` more wait, the rest are refused. */
  passwordCheckConcurrency: number;
  passwordCheckQueue: number;
}

function intFromEnv(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** WEB_CONCURRENCY's upper bound: each worker holds a driver pool (100 connections) and its own caches. */
export const MAX_WEB_CONCURRENCY = 64;

/**
 * WEB_CONCURRENCY: an integer from 1 to 64, or "auto" (one worker per core the process may use,
 * os.availableParallelism(), at most 64); unset: 1. Anything else stops the start, naming the rule.
 */
export function webConcurrency(env: NodeJS.ProcessEnv): number {
  const raw = (env.WEB_CONCURRENCY ?? "").trim();
  if (raw === "") return 1;
  if (/^auto$/i.test(raw)) return Math.min(MAX_WEB_CONCURRENCY, Math.max(1, availableParallelism()));
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < 1 || value > MAX_WEB_CONCURRENCY) {
    throw new Error(`WEB_CONCURRENCY must be an integer from 1 to ${MAX_WEB_CONCURRENCY}, or "auto" (one worker per core: ${availableParallelism()} here), got "${env.WEB_CONCURRENCY}"`);
  }
  return value;
}

/** NEO4J_MAX_POOL_SIZE's upper bound (per process; times WEB_CONCURRENCY per machine). */
export const MAX_NEO4J_POOL_SIZE = 1_000;

/** NEO4J_MAX_POOL_SIZE: an integer from 1 to 1,000; unset: 100. Anything else stops the start, naming the rule. */
export function neo4jMaxPoolSize(env: NodeJS.ProcessEnv): number {
  const raw = (env.NEO4J_MAX_POOL_SIZE ?? "").trim();
  if (raw === "") return 100;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < 1 || value > MAX_NEO4J_POOL_SIZE) {
    throw new Error(
      `NEO4J_MAX_POOL_SIZE must be an integer from 1 to ${MAX_NEO4J_POOL_SIZE} (Neo4j connections per API process; a machine opens up to WEB_CONCURRENCY times as many), got "${env.NEO4J_MAX_POOL_SIZE}"`,
    );
  }
  return value;
}

/** EVENT_SEQUENCER_MS: a positive number of milliseconds, or "off"; unset: 500 ms. */
function eventSequencerMs(env: NodeJS.ProcessEnv): number | null {
  const raw = env.EVENT_SEQUENCER_MS;
  if (raw !== undefined && /^off$/i.test(raw.trim())) return null;
  return intFromEnv("EVENT_SEQUENCER_MS", 500, env);
}

/** WEBHOOK_BATCH's upper bound: a batch's lease covers WEBHOOK_TIMEOUT_MS per attempt in it. */
export const MAX_WEBHOOK_BATCH = 100;

/**
 * An integer variable from `min` to `max`; unset or blank: `fallback`. Anything else stops the
 * start with "<name> must be an integer from <range>, got ..." (`range` says the bounds and what
 * they mean).
 */
function rangedIntFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, range: string): number {
  const raw = (env[name] ?? "").trim();
  if (raw === "") return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${range}, got "${env[name]}"`);
  }
  return value;
}

/** WEBHOOK_BATCH: an integer from 1 to 100; unset: 20. */
const webhookBatch = (env: NodeJS.ProcessEnv): number =>
  rangedIntFromEnv(env, "WEBHOOK_BATCH", 20, 1, MAX_WEBHOOK_BATCH, `1 to ${MAX_WEBHOOK_BATCH} (attempts of one webhook per claim)`);

/** The default of EVENT_SEQUENCER_DEBOUNCE_MS (src/modules/events/sequencer.ts). */
export const DEFAULT_SEQUENCER_DEBOUNCE_MS = 20;
/** The default of EVENT_SEQUENCER_SPACING_MS (src/modules/events/sequencer.ts). */
export const DEFAULT_SEQUENCER_SPACING_MS = 250;

/** EVENT_SEQUENCER_DEBOUNCE_MS: an integer from 0 (off) to 1,000 ms; unset: 20. */
const eventSequencerDebounceMs = (env: NodeJS.ProcessEnv): number =>
  rangedIntFromEnv(env, "EVENT_SEQUENCER_DEBOUNCE_MS", DEFAULT_SEQUENCER_DEBOUNCE_MS, 0, 1_000, "0 (a pass right after each commit) to 1000 milliseconds");

/** EVENT_SEQUENCER_SPACING_MS: an integer from 0 (none) to 5,000 ms; unset: 250. */
const eventSequencerSpacingMs = (env: NodeJS.ProcessEnv): number =>
  rangedIntFromEnv(env, "EVENT_SEQUENCER_SPACING_MS", DEFAULT_SEQUENCER_SPACING_MS, 0, 5_000, "0 (no spacing) to 5000 milliseconds");

/** EXPIRY_SWEEP_MS: a positive number of milliseconds, or "off"; unset: 60 s, off under NODE_ENV=test. */
function expirySweepMs(env: NodeJS.ProcessEnv): number | null {
  const raw = env.EXPIRY_SWEEP_MS;
  if (raw === undefined || raw === "") return env.NODE_ENV === "test" ? null : 60_000;
  if (/^off$/i.test(raw.trim())) return null;
  return intFromEnv("EXPIRY_SWEEP_MS", 60_000, env);
}

/** An on/off variable: on | off (also true/false, 1/0); unset = `fallback`. */
function onOff(name: string, env: NodeJS.ProcessEnv, fallback: boolean): boolean {
  const raw = (env[name] ?? "").trim().toLowerCase();
  if (raw === "") return fallback;
  if (/^(on|true|1|yes)$/.test(raw)) return true;
  if (/^(off|false|0|no)$/.test(raw)) return false;
  throw new Error(`${name} must be "on" or "off", got "${env[name]}"`);
}

/** TRUST_PROXY: unset/false = the socket's address; true, a hop count or addresses/subnets (Express "trust proxy"). */
function trustProxy(raw: string | undefined): boolean | number | string {
  const value = (raw ?? "").trim();
  if (value === "" || /^(false|off|no|0)$/i.test(value)) return false;
  if (/^(true|on|yes)$/i.test(value)) return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

function trustedDocuments(raw: string | undefined): "off" | "only" {
  const value = (raw ?? "").trim().toLowerCase();
  if (value === "" || value === "off") return "off";
  if (value === "only") return "only";
  throw new Error(`TRUSTED_DOCUMENTS must be "only" or "off", got "${raw}"`);
}

/** Development: a page on this machine, whatever its port (Vite's 5173, CRA's 3000, ...). Production: none. */
const DEVELOPMENT_CORS_ORIGINS = ["http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*"];

/**
 * CORS_ORIGINS: comma-separated origins, as a browser sends them in `Origin` (scheme, host and
 * port; no path). `scheme://host:*` allows every port of that host. `none`: no CORS at all.
 * Anything else stops the start, naming the value.
 */
export function corsOrigins(raw: string | undefined, production: boolean): string[] {
  if (raw === undefined || raw.trim() === "") return production ? [] : [...DEVELOPMENT_CORS_ORIGINS];
  if (raw.trim().toLowerCase() === "none") return [];
  return raw
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .map((entry) => {
      const anyPort = entry.endsWith(":*");
      const refuse = (why: string) =>
        new Error(`CORS_ORIGINS: "${entry}" is not an origin (${why}); write scheme://host[:port], e.g. "https://app.example.com" or "http://localhost:*"`);
      let url: URL;
      try {
        url = new URL(anyPort ? entry.slice(0, -2) : entry);
      } catch {
        throw refuse("not a URL");
      }
      if (url.protocol !== "http:" && url.protocol !== "https:") throw refuse("the scheme must be http or https");
      if (url.username || url.password) throw refuse("no user name or password");
      if (url.pathname !== "/" || url.search || url.hash || /[?#]/.test(entry)) throw refuse("no path, query or fragment");
      if (anyPort && url.port) throw refuse('":*" replaces the port');
      // The form browsers send: lower-case host, no default port, no trailing slash.
      return anyPort ? `${url.origin}:*` : url.origin;
    });
}

/** METRICS: on | off; unset = on in development, and in production only when METRICS_TOKEN protects it. */
function metricsSettings(env: NodeJS.ProcessEnv, production: boolean): MetricsSettings {
  const token = env.METRICS_TOKEN || undefined;
  if (token !== undefined && token.length < 16) throw new Error("METRICS_TOKEN must be at least 16 characters");
  const raw = (env.METRICS ?? "").trim().toLowerCase();
  if (raw !== "" && raw !== "on" && raw !== "off") throw new Error(`METRICS must be "on" or "off", got "${env.METRICS}"`);
  return { enabled: raw === "" ? !production || token !== undefined : raw === "on", token };
}

/** Development keeps a generated secret in .local so tokens survive restarts; production must set one. */
function jwtSecret(env: NodeJS.ProcessEnv, production: boolean): Uint8Array {
  if (env.JWT_SECRET) {
    if (env.JWT_SECRET.length < 32) throw new Error("JWT_SECRET must be at least 32 characters");
    return new TextEncoder().encode(env.JWT_SECRET);
  }
  if (production) throw new Error("JWT_SECRET is required when NODE_ENV=production");
  return new TextEncoder().encode(localSecret(LOCAL_DIR, "jwt-secret", 48));
}

/** A password's minimum length, as for every user (src/modules/users/user.resolver.ts). */
const MIN_DEMO_PASSWORD = 12;

/**
 * DEMO: "load" or "off"; unset = load in development, off in production. A production server
 * loads the demo users only when asked, and then with a password the operator chose (DEMO_PASSWORD,
 * never generated and never printed): a password that only the start banner knew would be printed
 * to a log, and demo users with a known password on a production database are a way in.
 */
export function demoSettings(env: NodeJS.ProcessEnv, production: boolean): DemoSettings {
  const raw = (env.DEMO ?? "").trim().toLowerCase();
  if (raw !== "" && raw !== "load" && raw !== "off") throw new Error(`DEMO must be "load" or "off", got "${env.DEMO}"`);
  const load = raw === "" ? !production : raw === "load";
  const password = env.DEMO_PASSWORD || undefined;
  if (load && production) {
    if (password === undefined) throw new Error("DEMO=load with NODE_ENV=production needs DEMO_PASSWORD (the demo users' password; it is never generated or printed in production)");
    if (password.length < MIN_DEMO_PASSWORD) throw new Error(`DEMO_PASSWORD must be at least ${MIN_DEMO_PASSWORD} characters with DEMO=load in production`);
  }
  return { load, password };
}

/** A Neo4j URI as the start banner and logs may show it: without a user name or password in it. */
export function displayUri(uri: string): string {
  try {
    const url = new URL(uri);
    if (url.username === "" && url.password === "") return uri;
    url.username = "";
    url.password = "";
    return url.toString();
  } catch {
    // Not a URL the WHATWG parser reads: keep the scheme and host only.
    return uri.replace(/\/\/[^/@]*@/, "//");
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === "production";
  const port = intFromEnv("PORT", 4000, env);
  const workers = webConcurrency(env);
  return {
    port,
    production,
    publicUrl: (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, ""),
    jwtSecret: jwtSecret(env, production),
    mailDir: resolve(env.MAIL_DIR || join(LOCAL_DIR, "mail")),
    smtpUrl: env.SMTP_URL || undefined,
    neo4j: env.NEO4J_URI
      ? {
          uri: env.NEO4J_URI,
          username: env.NEO4J_USERNAME || "neo4j",
          password: env.NEO4J_PASSWORD || "",
          database: env.NEO4J_DATABASE || "neo4j",
        }
      : undefined,
    queryTimeoutMs: intFromEnv("NEO4J_QUERY_TIMEOUT_MS", 15_000, env),
    neo4jUnreachableMs: intFromEnv("NEO4J_UNREACHABLE_MS", 2_000, env),
    neo4jMaxPoolSize: neo4jMaxPoolSize(env),
    requestBudgetMs: intFromEnv("REQUEST_BUDGET_MS", 10_000, env),
    shutdownGraceMs: intFromEnv("SHUTDOWN_GRACE_MS", 15_000, env),
    webConcurrency: workers,
    expirySweepMs: expirySweepMs(env),
    eventSequencerMs: eventSequencerMs(env),
    eventSequencerDebounceMs: eventSequencerDebounceMs(env),
    eventSequencerSpacingMs: eventSequencerSpacingMs(env),
    exposeQueryCount: env.EXPOSE_QUERY_COUNT ? env.EXPOSE_QUERY_COUNT === "true" : !production,
    trustedDocuments: trustedDocuments(env.TRUSTED_DOCUMENTS),
    trustProxy: trustProxy(env.TRUST_PROXY),
    corsOrigins: corsOrigins(env.CORS_ORIGINS, production),
    metrics: metricsSettings(env, production),
    rateLimit: {
      enabled: !/^(off|false|0)$/i.test(env.RATE_LIMIT ?? ""),
      requestsPerMinute: intFromEnv("RATE_LIMIT_PER_MINUTE", 600, env),
      signInMaxFailures: intFromEnv("SIGNIN_MAX_FAILURES", 10, env),
      signInMaxFailuresPerAddress: intFromEnv("SIGNIN_MAX_FAILURES_PER_ADDRESS", 100, env),
      signInWindowSeconds: intFromEnv("SIGNIN_WINDOW_SECONDS", 900, env),
      // Half the cores (at least 1): the rest serve the event loop and everyone else's requests.
      // With WEB_CONCURRENCY workers the half is shared among them (each at least 1).
      passwordCheckConcurrency: intFromEnv("PASSWORD_CHECK_CONCURRENCY", Math.max(1, Math.floor(availableParallelism() / 2 / workers)), env),
      passwordCheckQueue: intFromEnv("PASSWORD_CHECK_QUEUE", 10, env),
    },
    demo: demoSettings(env, production),
    live: {
      maxConnections: intFromEnv("LIVE_MAX_CONNECTIONS", 1_000, env),
      maxSubscriptionsPerConnection: intFromEnv("LIVE_MAX_SUBSCRIPTIONS", 20, env),
      maxBufferedEvents: intFromEnv("LIVE_MAX_BUFFERED", 1_000, env),
      pollMs: intFromEnv("LIVE_POLL_MS", 200, env),
      initTimeoutMs: intFromEnv("LIVE_INIT_TIMEOUT_MS", 3_000, env),
      recheckMs: intFromEnv("LIVE_RECHECK_MS", 60_000, env),
      maxConnectionsPerUser: intFromEnv("LIVE_MAX_CONNECTIONS_PER_USER", 5, env),
      maxPendingPerAddress: intFromEnv("LIVE_MAX_PENDING_PER_ADDRESS", 10, env),
      maxReplay: intFromEnv("LIVE_MAX_REPLAY", 10_000, env),
    },
    webhooks: {
      delivery: onOff("WEBHOOK_DELIVERY", env, env.NODE_ENV !== "test"),
      maxPerOrganisation: intFromEnv("WEBHOOKS_PER_ORGANISATION", 10, env),
      concurrency: intFromEnv("WEBHOOK_CONCURRENCY", 4, env),
      pollMs: intFromEnv("WEBHOOK_POLL_MS", 1_000, env),
      timeoutMs: intFromEnv("WEBHOOK_TIMEOUT_MS", 10_000, env),
      batch: webhookBatch(env),
      onlyPartnerIds: env.WEBHOOK_ONLY_PARTNERS?.trim() ? env.WEBHOOK_ONLY_PARTNERS.split(",").map((id) => id.trim()).filter(Boolean) : null,
    },
  };
}
