import { clusterLimiterStore, isClusterWorker, onPrimaryGone, reportReady, WorkerPool } from "./app/cluster.js";
import { createDriver, openConfiguredDatabase, type ConfiguredDatabase } from "./app/database.js";
import { startApp, type RunningApp } from "./app/server.js";
import type { DemoOutcome } from "./demo/load-demo.js";
import { displayUri, LOCAL_DIR, loadConfig, type Config, type Neo4jSettings } from "./shared/config.js";
import { localSecret } from "./shared/local-secret.js";
import { logger } from "./shared/logger.js";
import { createMailer } from "./shared/mail/mailer.js";
import { Executor } from "./shared/neo4j/executor.js";

const say = (line = "") => process.stdout.write(`${line}\n`);

/**
 * The demo channel, when config.demo says to load it (DEMO; development by default, production
 * only with DEMO=load and DEMO_PASSWORD): loaded into an empty database, never over other data.
 * Development without DEMO_PASSWORD generates one on the first start and keeps it in .local.
 */
async function startDemo(config: Config, database: ConfiguredDatabase): Promise<{ outcome: DemoOutcome; password: string; generated: boolean } | undefined> {
  if (!config.demo.load) return undefined;
  const { loadDemo } = await import("./demo/load-demo.js");
  const generated = config.demo.password === undefined;
  const password = config.demo.password ?? localSecret(LOCAL_DIR, "demo-password", 12);
  const outcome = await loadDemo(database.executor.forRequest({ operation: "demo" }), password);
  return { outcome, password, generated };
}

function demoState(outcome: DemoOutcome): string {
  return outcome === "loaded" ? "loaded" : outcome === "password-reset" ? "present (demo passwords set to DEMO_PASSWORD)" : "present";
}

/** The Neo4j settings a worker connects with (the primary's resolved ones: a local Neo4j it started, or NEO4J_*). */
function neo4jEnv(settings: Neo4jSettings): Record<string, string> {
  return { NEO4J_URI: settings.uri, NEO4J_USERNAME: settings.username, NEO4J_PASSWORD: settings.password, NEO4J_DATABASE: settings.database };
}

function listenHost(config: Config): string {
  return process.env.HOST || (config.production ? "0.0.0.0" : "127.0.0.1");
}

/**
 * SIGINT and SIGTERM run `shutdown` once (Ctrl-C under npm can deliver SIGINT twice: a second
 * signal changes nothing), which ends the process with the code it returns.
 */
function onSignals(shutdown: (signal: string) => Promise<number>): (signal: string) => void {
  let stopping = false;
  const run = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    shutdown(signal).then(
      (code) => process.exit(code),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => run("SIGINT"));
  process.on("SIGTERM", () => run("SIGTERM"));
  return run;
}

async function printBanner(
  config: Config,
  url: string,
  database: { settings: Neo4jSettings; local?: unknown },
  demo: Awaited<ReturnType<typeof startDemo>>,
  workers?: number[],
): Promise<void> {
  say();
  say(`CSP channel graph API ready: ${url}`);
  if (workers) say(`Workers: ${workers.length} (WEB_CONCURRENCY), pids ${workers.join(", ")}`);
  if (!config.production) {
    say(`Apollo Sandbox: open ${url} in a browser (loaded from Apollo's CDN)`);
    say(`GraphiQL (offline): ${url.replace(/\/graphql$/, "/graphiql")}`);
  }
  say(`Channel explorer: ${url.replace(/\/graphql$/, "/explorer")}`);
  say(`Mail: ${config.smtpUrl ? "SMTP" : `.eml files in ${config.mailDir}`}`);
  say(`Neo4j: ${displayUri(database.settings.uri)}${database.local ? " (local, started by npm start)" : ""}`);
  if (!demo) {
    if (!config.production) say("Demo channel: not loaded (DEMO=off)");
  } else if (demo.outcome === "skipped-not-empty") {
    say("Demo channel not loaded: the database already holds other data.");
  } else if (config.production) {
    // Production never prints a password, nor the list of accounts that share it.
    say(`Demo channel ${demoState(demo.outcome)} (DEMO=load): the demo users of DEMO.md sign in with DEMO_PASSWORD.`);
  } else {
    say(`Demo channel ${demoState(demo.outcome)}. Demo users:`);
    const { demoUsers } = await import("./demo/demo-data.js");
    for (const user of demoUsers()) {
      say(`  ${user.email.padEnd(32)} ${(user.partner ?? "operator").padEnd(22)} ${user.agentRole} / ${user.adminRole}`);
    }
    say(`Demo password: ${demo.password}${demo.generated ? "   (generated and kept in .local/demo-password; set DEMO_PASSWORD to choose one)" : "   (DEMO_PASSWORD)"}`);
  }
  say();
}

/** WEB_CONCURRENCY=1 (the default): one process serves, as it always did; no cluster primary. */
async function runSingle(config: Config): Promise<void> {
  const database = await openConfiguredDatabase(config, { log: (line) => logger.info(line) });
  const demo = await startDemo(config, database);
  const mailer = createMailer({ mailDir: config.mailDir, smtpUrl: config.smtpUrl });
  const app = await startApp({ config, executor: database.executor, services: { mailer } }, config.port, listenHost(config));

  // Shutdown, in this order: stop accepting connections and answer every request already read
  // (each with Connection: close, for up to SHUTDOWN_GRACE_MS), stop Apollo, close the mailer,
  // close the driver, stop the local Neo4j if this process started it. In place before the
  // banner says the API is ready: a SIGTERM that follows the banner at once must not meet Node's
  // default (death).
  onSignals(async () => {
    await app.close();
    mailer.close();
    await database.close();
    logger.info("stopped");
    return 0;
  });
  await printBanner(config, app.url, database, demo);
}

/**
 * WEB_CONCURRENCY=N > 1, the cluster primary (src/app/cluster.ts): what must run once per machine
 * (the local Neo4j, migrations, the demo), then N workers on the shared port, then the banner.
 * It serves no request and keeps no driver open while the workers run. SIGTERM/SIGINT: every
 * worker drains and exits, then the local Neo4j (if this process started it) stops; exit code 1
 * when a worker did not stop cleanly (or was down), or when the workers kept dying (the pool gave up).
 */
async function runPrimary(config: Config): Promise<void> {
  const database = await openConfiguredDatabase(config, { log: (line) => logger.info(line) });
  const demo = await startDemo(config, database);
  // Migrations and the demo are done: the workers open their own drivers.
  await database.driver.close();
  let stop: ((signal: string) => void) | undefined;
  let giveUp = false;
  let stopping = false;
  const pool = new WorkerPool({
    count: config.webConcurrency,
    env: neo4jEnv(database.settings),
    graceMs: config.shutdownGraceMs,
    logger,
    onGiveUp: (reason) => {
      logger.fatal({ reason }, "workers keep exiting: stopping");
      giveUp = true;
      stop?.("workers exiting");
    },
  });
  stop = onSignals(async () => {
    stopping = true;
    const outcome = await pool.stop();
    if (!outcome.clean) logger.error({ failures: outcome.failures }, "workers did not all stop cleanly");
    await database.close();
    logger.info("stopped");
    return outcome.clean && !giveUp ? 0 : 1;
  });
  let url: string;
  try {
    url = await pool.start();
  } catch (error) {
    // A signal during the start: the shutdown under way ends the process.
    if (stopping) return;
    await database.close();
    throw error;
  }
  await printBanner(config, url, database, demo, pool.pids);
}

/** A cluster worker: the primary passed the Neo4j settings; migrations and the demo are the primary's. */
async function runWorker(config: Config): Promise<void> {
  const settings = config.neo4j;
  if (!settings) throw new Error("a cluster worker needs NEO4J_URI from its primary");
  const driver = createDriver(settings, { unreachableMs: config.neo4jUnreachableMs, maxPoolSize: config.neo4jMaxPoolSize });
  const executor = new Executor(driver, { database: settings.database, timeoutMs: config.queryTimeoutMs, unreachableMs: config.neo4jUnreachableMs });
  const mailer = createMailer({ mailDir: config.mailDir, smtpUrl: config.smtpUrl });
  let app: RunningApp;
  try {
    await driver.verifyConnectivity({ database: settings.database });
    app = await startApp({ config, executor, services: { mailer }, rateLimitStore: clusterLimiterStore() }, config.port, listenHost(config));
  } catch (error) {
    await driver.close();
    throw error;
  }
  // The same drain as a single process; a worker whose primary went away stops the same way.
  const stop = onSignals(async () => {
    await app.close();
    mailer.close();
    await driver.close();
    logger.info("worker stopped");
    return 0;
  });
  onPrimaryGone(() => stop("primary gone"));
  reportReady(app.url);
}

async function main(): Promise<void> {
  // Configuration errors (JWT_SECRET, DEMO, NEO4J_URI in production, WEB_CONCURRENCY) stop the
  // start before anything is started.
  const config = loadConfig();
  if (isClusterWorker()) return runWorker(config);
  if (config.webConcurrency > 1) return runPrimary(config);
  return runSingle(config);
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, "start failed");
  process.stderr.write(`\nStart failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
