import neo4j, { type Driver } from "neo4j-driver";
import type { LocalNeo4j } from "../local/neo4j-local.js";
import type { Config, Neo4jSettings } from "../shared/config.js";
import { Executor } from "../shared/neo4j/executor.js";
import { migrate } from "../shared/neo4j/migrate.js";

export interface Database {
  driver: Driver;
  executor: Executor;
  settings: Neo4jSettings;
}

/**
 * The API's driver, with the budgets that make an unreachable Neo4j a fast SERVICE_UNAVAILABLE
 * instead of a hung request: a connection from the pool (a new one included: TCP, TLS, Bolt
 * handshake, authentication) within `unreachableMs` (2 s by default), a TCP connect within 3/4
 * of it. The driver's own transaction retries are used only by code that calls it directly
 * (migrations, scripts, tests), within the same budget; the executor has its own policy.
 * Everything that serves the API creates its driver here. The pool holds `maxPoolSize` connections
 * (NEO4J_MAX_POOL_SIZE, 100 by default) per process: a machine with WEB_CONCURRENCY workers opens
 * up to that many times more, which operators size against the server's connection limit.
 */
export function createDriver(settings: Neo4jSettings, options: { unreachableMs: number; maxPoolSize?: number; userAgent?: string }): Driver {
  return neo4j.driver(settings.uri, neo4j.auth.basic(settings.username, settings.password), {
    maxConnectionPoolSize: options.maxPoolSize ?? DEFAULT_MAX_POOL_SIZE,
    connectionAcquisitionTimeout: options.unreachableMs,
    connectionTimeout: Math.max(100, Math.round(options.unreachableMs * 0.75)),
    maxTransactionRetryTime: options.unreachableMs,
    userAgent: options.userAgent ?? "csp-channel-api",
  });
}

/** One driver per process (it pools connections); checked, migrated, ready to serve. */
export async function openDatabase(
  settings: Neo4jSettings,
  options: { queryTimeoutMs: number; unreachableMs?: number; maxPoolSize?: number; log?: (line: string) => void },
): Promise<Database> {
  const unreachableMs = options.unreachableMs ?? DEFAULT_UNREACHABLE_MS;
  const driver = createDriver(settings, { unreachableMs, maxPoolSize: options.maxPoolSize });
  try {
    await driver.verifyConnectivity({ database: settings.database });
    await migrate(driver, settings.database, options.log);
  } catch (error) {
    await driver.close();
    throw error;
  }
  return {
    driver,
    settings,
    executor: new Executor(driver, { database: settings.database, timeoutMs: options.queryTimeoutMs, unreachableMs }),
  };
}

/** NEO4J_UNREACHABLE_MS's default (src/shared/config.ts). */
const DEFAULT_UNREACHABLE_MS = 2_000;
/** NEO4J_MAX_POOL_SIZE's default (src/shared/config.ts). */
export const DEFAULT_MAX_POOL_SIZE = 100;

export interface ConfiguredDatabase extends Database {
  /** The local Neo4j this process started (or reused), when the environment named none. */
  local?: LocalNeo4j;
  /** Closes the driver, then stops the local Neo4j if this process started it. */
  close(): Promise<void>;
}

/** Why a production process without NEO4J_URI stops before it starts anything. */
export const PRODUCTION_NEEDS_NEO4J_URI =
  "NEO4J_URI is required when NODE_ENV=production (with NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE): production connects to an existing Neo4j and never starts the local development one";

/**
 * The database the environment names (NEO4J_URI, ...), or else, outside production, the project's
 * local development Neo4j, started if it is not running: what `npm start` and the command-line
 * scripts connect to. In production a missing NEO4J_URI is an error, raised before anything starts.
 */
export async function openConfiguredDatabase(
  config: Pick<Config, "neo4j" | "queryTimeoutMs"> & Partial<Pick<Config, "neo4jUnreachableMs" | "neo4jMaxPoolSize" | "production">>,
  options: { queryTimeoutMs?: number; log?: (line: string) => void } = {},
): Promise<ConfiguredDatabase> {
  let local: LocalNeo4j | undefined;
  let settings = config.neo4j;
  if (!settings) {
    if (config.production) throw new Error(PRODUCTION_NEEDS_NEO4J_URI);
    // Loaded only here: a production process never loads the code that downloads and runs Neo4j.
    const { startLocalNeo4j } = await import("../local/neo4j-local.js");
    local = await startLocalNeo4j({ instance: "dev", handleSignals: false });
    settings = { uri: local.uri, username: local.username, password: local.password, database: local.database };
  }
  const database = await openDatabase(settings, {
    queryTimeoutMs: options.queryTimeoutMs ?? config.queryTimeoutMs,
    unreachableMs: config.neo4jUnreachableMs,
    maxPoolSize: config.neo4jMaxPoolSize,
    log: options.log,
  });
  return {
    ...database,
    local,
    async close() {
      await database.driver.close();
      await local?.stop();
    },
  };
}
