/**
 * Issue 5: a synthetic channel at scale, for benchmarks.
 *
 *   npm run seed:scale -- --customers 1000000 [--seed 1] [--password <pw>] [--wipe] [--batch 1000] [--writers 2]
 *   npm run seed:scale -- --wipe          # delete the synthetic data and exit
 *
 * Builds N customers with ~N/100 resellers and ~N/5000 providers (see scripts/seed-scale/generate.ts
 * for the shape), deterministic for a seed, every node marked `scale: true` (and `scaleSeed`). It
 * refuses to run over synthetic data of another size or seed unless --wipe is given; the same size
 * and seed already loaded is left as it is. Progress goes to stderr, the report to stdout.
 *
 * Neo4j: NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE as for `npm start`; unset, the
 * local development instance (scripts/neo4j-local.ts) is used, and started if needed (and then
 * stopped again at the end).
 */
import { parseArgs } from "node:util";
import neo4j, { type Driver } from "neo4j-driver";
import type { Neo4jSettings } from "../src/shared/config.js";
import { migrate } from "../src/shared/neo4j/migrate.js";
import { startLocalNeo4j, type LocalNeo4j } from "../src/local/neo4j-local.js";
import { scaleShape } from "./seed-scale/generate.js";
import { ProgressBar, formatDuration } from "./seed-scale/progress.js";
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_PASSWORD,
  DEFAULT_WRITERS,
  ScaleConflict,
  decide,
  describeRun,
  readScaleState,
  seedScale,
  wipeScale,
  type ProgressEvent,
} from "./seed-scale/write.js";
import { isMainModule } from "./main-module.js";

export * from "./seed-scale/generate.js";
export { DEFAULT_BATCH_SIZE, DEFAULT_PASSWORD, DEFAULT_WRITERS, ScaleConflict, decide, readScaleState, seedScale, wipeScale } from "./seed-scale/write.js";
export type { SeedOptions, SeedReport, ScaleState } from "./seed-scale/write.js";

const USAGE =
  "usage: npm run seed:scale -- --customers <N> [--seed <n>] [--password <pw>] [--wipe] [--batch <rows>] [--writers <n>]\n" +
  "       npm run seed:scale -- --wipe   (delete the synthetic data and exit)";

const MAX_CUSTOMERS = 10_000_000;

interface CliOptions {
  customers: number | undefined;
  seed: number;
  password: string;
  wipe: boolean;
  batchSize: number;
  writers: number;
}

function integer(name: string, raw: string | undefined, fallback: number | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return fallback;
  const value = Number(raw.replaceAll("_", "").replaceAll(",", ""));
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be an integer from ${min.toLocaleString("en-US")} to ${max.toLocaleString("en-US")}, got "${raw}"`);
  }
  return value;
}

class UsageError extends Error {}

export function parseCli(argv: string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        customers: { type: "string" },
        seed: { type: "string" },
        password: { type: "string" },
        wipe: { type: "boolean", default: false },
        batch: { type: "string" },
        writers: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const options: CliOptions = {
    customers: integer("customers", values.customers, undefined, 1, MAX_CUSTOMERS),
    seed: integer("seed", values.seed, 1, 0, 2 ** 31 - 1)!,
    password: values.password ?? DEFAULT_PASSWORD,
    wipe: values.wipe ?? false,
    batchSize: integer("batch", values.batch, DEFAULT_BATCH_SIZE, 1, 100_000)!,
    writers: integer("writers", values.writers, DEFAULT_WRITERS, 1, 8)!,
  };
  if (options.customers === undefined && !options.wipe) throw new UsageError("--customers is required (or --wipe alone to delete the synthetic data)");
  if (options.password.length < 8) throw new UsageError("--password must have at least 8 characters");
  return options;
}

function settingsFromEnv(): Neo4jSettings | undefined {
  if (!process.env.NEO4J_URI) return undefined;
  return {
    uri: process.env.NEO4J_URI,
    username: process.env.NEO4J_USERNAME || "neo4j",
    password: process.env.NEO4J_PASSWORD || "",
    database: process.env.NEO4J_DATABASE || "neo4j",
  };
}

const fmt = (n: number) => n.toLocaleString("en-US");
const say = (line = "") => process.stdout.write(`${line}\n`);
const note = (line: string) => process.stderr.write(`${line}\n`);

/** Node and relationship counts of the whole database (count store: instant). */
async function databaseCounts(driver: Driver, database: string): Promise<{ nodes: Record<string, number>; relationships: Record<string, number> }> {
  const labels = ["Partner", "Provider", "Reseller", "Customer", "Subscription", "Order", "User", "Offer", "ServiceStatus"];
  const types = [
    "RESELLER_OF_RECORD", "INDIRECT_PROVIDER_OF", "MEMBER_OF", "HAS_SUBSCRIPTION", "OF_OFFER", "SOLD_THROUGH", "ORDERED_BY",
    "FOR_CUSTOMER", "PLACED_BY", "ON_RECORD_FOR", "CREATED",
  ];
  const cypher = [
    "MATCH (n) RETURN 'node' AS kind, 'all' AS name, count(n) AS n",
    ...labels.map((l) => `MATCH (n:${l}) RETURN 'node' AS kind, '${l}' AS name, count(n) AS n`),
    "MATCH ()-[r]->() RETURN 'rel' AS kind, 'all' AS name, count(r) AS n",
    ...types.map((t) => `MATCH ()-[r:${t}]->() RETURN 'rel' AS kind, '${t}' AS name, count(r) AS n`),
  ].join("\nUNION ALL\n");
  const result = await driver.executeQuery(cypher, {}, { database, routing: "READ" });
  const out = { nodes: {} as Record<string, number>, relationships: {} as Record<string, number> };
  for (const r of result.records) (r.get("kind") === "node" ? out.nodes : out.relationships)[r.get("name")] = Number(r.get("n"));
  return out;
}

async function runWipe(driver: Driver, database: string): Promise<void> {
  const startedAt = Date.now();
  let bar: ProgressBar | undefined;
  let current = "";
  const deleted = await wipeScale(driver, database, (label, done, total) => {
    if (label !== current) {
      bar?.finish();
      bar = total > 0 ? new ProgressBar(`wipe ${label}`, total, "nodes") : undefined;
      current = label;
    }
    bar?.update(done);
  });
  bar?.finish();
  const total = Object.values(deleted).reduce((a, b) => a + b, 0);
  say(
    `Wiped the synthetic channel: ${fmt(total)} nodes (${Object.entries(deleted)
      .filter(([, n]) => n > 0)
      .map(([l, n]) => `${l} ${fmt(n)}`)
      .join(", ")}) in ${formatDuration((Date.now() - startedAt) / 1000)}.`,
  );
}

async function cli(argv: string[]): Promise<void> {
  const options = parseCli(argv);
  let local: LocalNeo4j | undefined;
  let settings = settingsFromEnv();
  if (!settings) {
    local = await startLocalNeo4j({ instance: "dev" });
    settings = { uri: local.uri, username: local.username, password: local.password, database: local.database };
  }
  const driver = neo4j.driver(settings.uri, neo4j.auth.basic(settings.username, settings.password), {
    // Batches are big and two writers may meet on the same partner nodes: a deadlock is a
    // transient error, and the driver retries the batch (it is rolled back first).
    maxTransactionRetryTime: 300_000,
    connectionAcquisitionTimeout: 60_000,
    userAgent: "csp-channel-seed-scale",
  });
  try {
    await driver.verifyConnectivity({ database: settings.database });
    // The constraints must exist before CREATE relies on them for uniqueness.
    await migrate(driver, settings.database, (line) => note(line));
    const state = await readScaleState(driver, settings.database);
    if (options.wipe) {
      if (state.runs.length > 0 || state.dataPresent) {
        note(`Synthetic data found: ${state.runs.length > 0 ? state.runs.map(describeRun).join("; ") : "scale nodes without a ScaleRun record"}; wiping it.`);
        await runWipe(driver, settings.database);
      } else {
        say("No synthetic data to wipe.");
      }
      if (options.customers === undefined) return;
    } else if (options.customers !== undefined) {
      decide(state, options.customers, options.seed); // throws ScaleConflict with the reason
    }
    const customers = options.customers!;
    const shape = scaleShape(customers);
    note(
      `Seeding ${settings.uri}: ${fmt(customers)} customers, ${fmt(shape.resellers)} resellers, ${fmt(shape.providers)} providers, seed ${options.seed}, ` +
        `batches of ${fmt(options.batchSize)}, ${options.writers} writer(s).`,
    );
    const bars = new Map<ProgressEvent["phase"], ProgressBar>();
    let last: ProgressBar | undefined;
    const report = await seedScale(driver, {
      database: settings.database,
      customers,
      seed: options.seed,
      password: options.password,
      batchSize: options.batchSize,
      writers: options.writers,
      onProgress: (event) => {
        let bar = bars.get(event.phase);
        if (!bar) {
          last?.finish();
          bar = new ProgressBar(event.phase, event.total, event.phase === "customers" ? "customers" : event.phase === "counters" ? "partners" : "rows");
          bars.set(event.phase, bar);
          last = bar;
        }
        bar.update(event.done);
      },
    });
    last?.finish();
    if (report.outcome === "already-loaded") {
      say(`The synthetic channel of ${fmt(customers)} customers with seed ${options.seed} is already loaded: nothing to do.`);
      return;
    }
    const w = report.written;
    say(
      `Loaded in ${formatDuration(report.seconds.total)} (partners and users ${formatDuration(report.seconds.partners)}, ` +
        `customers ${formatDuration(report.seconds.customers)}, ${fmt(Math.round(customers / Math.max(report.seconds.customers, 0.001)))} customers/s, ` +
        `shared-customer counts ${formatDuration(report.seconds.counters)}).`,
    );
    say(
      `Written: ${fmt(w.providers)} providers, ${fmt(w.resellers)} resellers, ${fmt(w.partnerships)} partnerships, ${fmt(w.users)} users, ` +
        `${fmt(w.customers)} customers, ${fmt(w.resellerOfRecord)} RESELLER_OF_RECORD, ${fmt(w.subscriptions)} subscriptions ` +
        `(${fmt(w.soldThrough)} SOLD_THROUGH, ${fmt(w.orderedBy)} ORDERED_BY), ${fmt(w.orders)} orders (${fmt(w.orderLineItems)} line items), ${w.offersCreated} offers and ${w.servicesCreated} service statuses created; ` +
        `${w.retriedBatches} customer batch(es) retried after a transient error.`,
    );
    const counts = await databaseCounts(driver, settings.database);
    say(`Database now: ${fmt(counts.nodes.all)} nodes, ${fmt(counts.relationships.all)} relationships.`);
    say(`  nodes: ${Object.entries(counts.nodes).filter(([k]) => k !== "all").map(([k, v]) => `${k} ${fmt(v)}`).join(", ")}`);
    say(`  relationships: ${Object.entries(counts.relationships).filter(([k]) => k !== "all").map(([k, v]) => `${k} ${fmt(v)}`).join(", ")}`);
    say(`Users' password: ${options.password === DEFAULT_PASSWORD ? `${DEFAULT_PASSWORD} (the default)` : "the one given with --password"}; emails <role>@<partner domain>, e.g. ga@rsl-000001-s${options.seed}.example.`);
  } finally {
    await driver.close();
    await local?.stop();
  }
}

if (isMainModule(import.meta.url)) {
  cli(process.argv.slice(2)).catch((error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n${USAGE}`);
      process.exit(2);
    }
    if (error instanceof ScaleConflict) {
      console.error(`\nRefused: ${error.message}`);
      process.exit(1);
    }
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
