/**
 * A benchmarked server in its own process, started by bench/run.ts (never by hand):
 *   node --import tsx bench/server.ts api    the API (startApp, production settings)
 *   node --import tsx bench/server.ts peer   @neo4j/graphql over the same database
 * Neo4j settings, JWT_SECRET etc. come from the environment the runner sets. The process speaks
 * to its parent over IPC: it reports `ready` with its URL, then answers window-start/window-end
 * (server-side timings), profile-start/profile-stop and stop.
 */
// First: type-graphql's decorators need the metadata polyfill before any module with them loads.
import "reflect-metadata";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import neo4j, { type ManagedTransaction, type Record as Neo4jRecord } from "neo4j-driver";
import { openDatabase } from "../src/app/database.js";
import { startApp } from "../src/app/server.js";
import { loadConfig } from "../src/shared/config.js";
import { createMailer } from "../src/shared/mail/mailer.js";
import { Executor, type AccessMode, type TxMetadata } from "../src/shared/neo4j/executor.js";
import { queryNamesByText } from "./lib/cypher-names.js";
import { Profiler, RequestTracker } from "./lib/instrument.js";
import { startPeer } from "./peer/server.js";

type Kind = "api" | "peer";

export interface ChildCommand {
  id: number;
  cmd: "window-start" | "window-end" | "profile-start" | "profile-stop" | "stop";
}

const kind = process.argv[2] as Kind;
if (kind !== "api" && kind !== "peer") throw new Error("usage: bench/server.ts api|peer");

const tracker = new RequestTracker();
const profiler = new Profiler();

/** The API's executor, timing each transaction and naming it after the queries it ran. */
class TimingExecutor extends Executor {
  private readonly names = queryNamesByText();

  override async run<T>(mode: AccessMode, work: (tx: ManagedTransaction) => Promise<T>, metadata: TxMetadata): Promise<T> {
    const ran: string[] = [];
    const start = performance.now();
    try {
      return await super.run(
        mode,
        (tx) => {
          const run = (query: string, params?: Record<string, unknown>) => {
            ran.push(this.names.get(query) ?? "(unnamed)");
            return tx.run(query, params);
          };
          return work({ run } as unknown as ManagedTransaction);
        },
        metadata,
      );
    } finally {
      tracker.addTransaction(metadata.requestId, { name: [...new Set(ran)].join("+"), start, end: performance.now() }, metadata.operation);
    }
  }

  override async readOnce(query: string, params: Record<string, unknown>, metadata: TxMetadata): Promise<Neo4jRecord[]> {
    const start = performance.now();
    try {
      return await super.readOnce(query, params, metadata);
    } finally {
      tracker.addTransaction(metadata.requestId, { name: this.names.get(query) ?? "(unnamed)", start, end: performance.now() }, metadata.operation);
    }
  }
}

function settings() {
  const uri = process.env.NEO4J_URI;
  if (!uri) throw new Error("NEO4J_URI is not set (bench/run.ts sets it)");
  return {
    uri,
    username: process.env.NEO4J_USERNAME || "neo4j",
    password: process.env.NEO4J_PASSWORD || "",
    database: process.env.NEO4J_DATABASE || "neo4j",
  };
}

async function main(): Promise<void> {
  const neo = settings();
  let close: () => Promise<void>;
  let url: string;
  if (kind === "api") {
    const loaded = loadConfig();
    // BENCH_LOOPBACK_WEBHOOKS=on (the writes bench, bench/writes.ts): the running app is told it is
    // not in production, only so that webhooks to http://127.0.0.1 are allowed (D-30 allows them in
    // development only). Everything loadConfig derives from NODE_ENV=production stays (metrics,
    // CORS, logging, ...), source maps are turned off below as startApp does in production; the
    // flag otherwise changes only the CSP header, GET's landing page, GraphiQL's routes and
    // introspection, none of which a POSTed operation goes through.
    const loopbackWebhooks = process.env.BENCH_LOOPBACK_WEBHOOKS === "on";
    const config = loopbackWebhooks ? { ...loaded, production: false } : loaded;
    const database = await openDatabase(neo, { queryTimeoutMs: config.queryTimeoutMs });
    const executor = new TimingExecutor(database.driver, { database: neo.database, timeoutMs: config.queryTimeoutMs });
    const mailer = createMailer({ mailDir: mkdtempSync(join(tmpdir(), "bench-mail-")) });
    const app = await startApp({ config, executor, services: { mailer } }, 0);
    if (loopbackWebhooks && loaded.production) process.setSourceMapsEnabled(false);
    tracker.attach(app.httpServer);
    url = app.url;
    close = async () => {
      await app.close();
      await database.driver.close();
      mailer.close();
    };
  } else {
    const driver = neo4j.driver(neo.uri, neo4j.auth.basic(neo.username, neo.password), {
      // The API's driver settings (src/app/database.ts).
      maxConnectionPoolSize: 100,
      connectionAcquisitionTimeout: 10_000,
      connectionTimeout: 5_000,
      maxTransactionRetryTime: 10_000,
      userAgent: "csp-channel-bench-peer",
    });
    await driver.verifyConnectivity({ database: neo.database });
    const peer = await startPeer(driver, neo.database, 0, {
      onTransaction: (requestId, start, end) => tracker.addTransaction(requestId, { name: "peer", start, end }),
    });
    tracker.attach(peer.httpServer);
    url = peer.url;
    close = async () => {
      await peer.close();
      await driver.close();
    };
  }

  process.on("message", (message: ChildCommand) => {
    void (async () => {
      try {
        let result: unknown = null;
        if (message.cmd === "window-start") tracker.startWindow();
        else if (message.cmd === "window-end") result = tracker.endWindow();
        else if (message.cmd === "profile-start") await profiler.start();
        else if (message.cmd === "profile-stop") result = await profiler.stop();
        else if (message.cmd === "stop") {
          await close();
          process.send?.({ id: message.id, ok: true, result: null }, () => process.exit(0));
          return;
        }
        process.send?.({ id: message.id, ok: true, result });
      } catch (error) {
        process.send?.({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) });
      }
    })();
  });
  // Orphaned (the runner died): leave.
  process.on("disconnect", () => void close().finally(() => process.exit(0)));
  process.send?.({ type: "ready", url });
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench ${kind}] start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
