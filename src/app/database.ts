import neo4j, { type Driver } from "neo4j-driver";
import type { Neo4jSettings } from "../shared/config.js";
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
