import { openConfiguredDatabase } from "./app/database.js";
import { startApp } from "./app/server.js";
import { demoUsers } from "./demo/demo-data.js";
import { loadDemo } from "./demo/load-demo.js";
import { LOCAL_DIR, loadConfig } from "./shared/config.js";
import { localSecret } from "./shared/local-secret.js";
import { logger } from "./shared/logger.js";
import { createMailer } from "./shared/mail/mailer.js";

const say = (line = "") => process.stdout.write(`${line}\n`);

/** DEMO_PASSWORD, or one generated on the first start and kept in .local so it stays the same. */
function demoPassword(): { password: string; generated: boolean } {
  if (process.env.DEMO_PASSWORD) return { password: process.env.DEMO_PASSWORD, generated: false };
  return { password: localSecret(LOCAL_DIR, "demo-password", 12), generated: true };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openConfiguredDatabase(config, { log: (line) => logger.info(line) });
  const { settings, local } = database;
  const demo = demoPassword();
  const outcome = await loadDemo(database.executor.forRequest({ operation: "demo" }), demo.password);
  const host = process.env.HOST || (config.production ? "0.0.0.0" : "127.0.0.1");
  const mailer = createMailer({ mailDir: config.mailDir, smtpUrl: config.smtpUrl });
  const app = await startApp({ config, executor: database.executor, services: { mailer } }, config.port, host);

  say();
  say(`CSP channel graph API ready: ${app.url}`);
  if (!config.production) say(`Apollo Sandbox: open ${app.url} in a browser`);
  say(`Mail: ${config.smtpUrl ? "SMTP" : `.eml files in ${config.mailDir}`}`);
  say(`Neo4j: ${settings.uri}${local ? " (local, started by npm start)" : ""}`);
  if (outcome === "skipped-not-empty") {
    say("Demo channel not loaded: the database already holds other data.");
  } else {
    say(`Demo channel ${outcome === "loaded" ? "loaded" : "present"}${outcome === "password-reset" ? " (demo passwords set to DEMO_PASSWORD)" : ""}. Demo users:`);
    for (const user of demoUsers()) {
      say(`  ${user.email.padEnd(32)} ${(user.partner ?? "operator").padEnd(22)} ${user.agentRole} / ${user.adminRole}`);
    }
    say(`Demo password: ${demo.password}${demo.generated ? "   (generated and kept in .local/demo-password; set DEMO_PASSWORD to choose one)" : "   (DEMO_PASSWORD)"}`);
  }
  say();

  // Shutdown, in this order: stop accepting connections and answer every request already read
  // (each with Connection: close, for up to SHUTDOWN_GRACE_MS), stop Apollo, close the mailer,
  // close the driver, stop the local Neo4j if this process started it. (Ctrl-C under npm can
  // deliver SIGINT twice: a second signal changes nothing.)
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
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, "start failed");
  process.stderr.write(`\nStart failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
