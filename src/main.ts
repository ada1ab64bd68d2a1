import { openConfiguredDatabase, type ConfiguredDatabase } from "./app/database.js";
import { startApp } from "./app/server.js";
import type { DemoOutcome } from "./demo/load-demo.js";
import { displayUri, LOCAL_DIR, loadConfig, type Config } from "./shared/config.js";
import { localSecret } from "./shared/local-secret.js";
import { logger } from "./shared/logger.js";
import { createMailer } from "./shared/mail/mailer.js";

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

async function main(): Promise<void> {
  // Configuration errors (JWT_SECRET, DEMO, NEO4J_URI in production) stop the start before
  // anything is started.
  const config = loadConfig();
  const database = await openConfiguredDatabase(config, { log: (line) => logger.info(line) });
  const { settings, local } = database;
  const demo = await startDemo(config, database);
  const host = process.env.HOST || (config.production ? "0.0.0.0" : "127.0.0.1");
  const mailer = createMailer({ mailDir: config.mailDir, smtpUrl: config.smtpUrl });
  const app = await startApp({ config, executor: database.executor, services: { mailer } }, config.port, host);

  // Shutdown, in this order: stop accepting connections and answer every request already read
  // (each with Connection: close, for up to SHUTDOWN_GRACE_MS), stop Apollo, close the mailer,
  // close the driver, stop the local Neo4j if this process started it. (Ctrl-C under npm can
  // deliver SIGINT twice: a second signal changes nothing.) In place before the banner says the
  // API is ready: a SIGTERM that follows the banner at once must not meet Node's default (death).
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    let code = 0;
    try {
      await app.close();
      mailer.close();
      await database.close();
      logger.info("stopped");
    } catch (error) {
      code = 1;
      logger.error({ err: error }, "shutdown failed");
    } finally {
      process.exit(code);
    }
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  say();
  say(`CSP channel graph API ready: ${app.url}`);
  if (!config.production) {
    say(`Apollo Sandbox: open ${app.url} in a browser (loaded from Apollo's CDN)`);
    say(`GraphiQL (offline): ${app.url.replace(/\/graphql$/, "/graphiql")}`);
  }
  say(`Mail: ${config.smtpUrl ? "SMTP" : `.eml files in ${config.mailDir}`}`);
  say(`Neo4j: ${displayUri(settings.uri)}${local ? " (local, started by npm start)" : ""}`);
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

main().catch((error: unknown) => {
  logger.fatal({ err: error }, "start failed");
  process.stderr.write(`\nStart failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
