import neo4j, { type Driver } from "neo4j-driver";
import { startLocalNeo4j, type LocalNeo4j } from "../../scripts/neo4j-local.js";
import type { Config, Neo4jSettings } from "../shared/config.js";
import { Executor } from "../shared/neo4j/executor.js";
import { migrate } from "../shared/neo4j/migrate.js";

export interface Database {
  driver: Driver;
  executor: Executor;
  settings: Neo4jSettings;
}

/** One driver per process (it pools connections); checked, migrated, ready to serve. */
export async function openDatabase(
  settings: Neo4jSettings,
  options: { queryTimeoutMs: number; log?: (line: string) => void },
): Promise<Database> {
  const driver = neo4j.driver(settings.uri, neo4j.auth.basic(settings.username, settings.password), {
    maxConnectionPoolSize: 100,
    connectionAcquisitionTimeout: 10_000,
    connectionTimeout: 5_000,
    maxTransactionRetryTime: 10_000,
    userAgent: "csp-channel-api",
  });
  try {
    await driver.verifyConnectivity({ database: settings.database });
    await migrate(driver, settings.database, options.log);
  } catch (error) {
    await driver.close();
    throw error;
  }
  return { driver, settings, executor: new Executor(driver, { database: settings.database, timeoutMs: options.queryTimeoutMs }) };
}

export interface ConfiguredDatabase extends Database {
  /** The local Neo4j this process started (or reused), when the environment named none. */
  local?: LocalNeo4j;
  /** Closes the driver, then stops the local Neo4j if this process started it. */
  close(): Promise<void>;
}

/**
 * The database the environment names (NEO4J_URI, ...), or else the project's local development
 * Neo4j, started if it is not running: what `npm start` and the command-line scripts connect to.
 */
export async function openConfiguredDatabase(
  config: Pick<Config, "neo4j" | "queryTimeoutMs">,
  options: { queryTimeoutMs?: number; log?: (line: string) => void } = {},
): Promise<ConfiguredDatabase> {
  let local: LocalNeo4j | undefined;
  let settings = config.neo4j;
  if (!settings) {
    local = await startLocalNeo4j({ instance: "dev", handleSignals: false });
    settings = { uri: local.uri, username: local.username, password: local.password, database: local.database };
  }
  const database = await openDatabase(settings, { queryTimeoutMs: options.queryTimeoutMs ?? config.queryTimeoutMs, log: options.log });
  return {
    ...database,
    local,
    async close() {
      await database.driver.close();
      await local?.stop();
    },
  };
}
