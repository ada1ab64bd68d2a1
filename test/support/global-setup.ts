import type { TestProject } from "vitest/node";
import { startLocalNeo4j, type LocalNeo4j } from "../../src/local/neo4j-local.js";
import { openDatabase } from "../../src/app/database.js";
import { loadDemo } from "../../src/demo/load-demo.js";
import type { Neo4jSettings } from "../../src/shared/config.js";

export const TEST_DEMO_PASSWORD = "demo-Passw0rd-for-tests";

declare module "vitest" {
  export interface ProvidedContext {
    neo4j: Neo4jSettings;
    demoPassword: string;
  }
}

/**
 * The real Neo4j for the whole run: the project's own test instance (wiped at the start, so
 * every run begins with just the demo channel), or the server named by NEO4J_URI, which is
 * never wiped: the demo is loaded only into an empty database, and tests create their own data
 * under unique names and delete it afterwards.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let local: LocalNeo4j | undefined;
  let settings: Neo4jSettings;
  if (process.env.NEO4J_URI) {
    settings = {
      uri: process.env.NEO4J_URI,
      username: process.env.NEO4J_USERNAME || "neo4j",
      password: process.env.NEO4J_PASSWORD || "",
      database: process.env.NEO4J_DATABASE || "neo4j",
    };
  } else {
    local = await startLocalNeo4j({ instance: "test", handleSignals: false });
    settings = { uri: local.uri, username: local.username, password: local.password, database: local.database };
  }
  const database = await openDatabase(settings, { queryTimeoutMs: 60_000 });
  try {
    // Only a test instance this run started itself is wiped: one that was already running may be
    // serving another run right now.
    if (local?.started) {
      // CALL ... IN TRANSACTIONS needs an auto-commit transaction, hence session.run.
      const session = database.driver.session({ database: settings.database });
      try {
        await session.run("MATCH (n) WHERE NOT n:Migration CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS");
      } finally {
        await session.close();
      }
    }
    const password = process.env.DEMO_PASSWORD || TEST_DEMO_PASSWORD;
    const outcome = await loadDemo(database.executor.forRequest({ operation: "test-setup" }), password);
    if (outcome === "skipped-not-empty") {
      throw new Error(`${settings.uri} holds data but not the demo channel; the tests need the demo (DEMO.md). Use an empty database.`);
    }
    project.provide("neo4j", settings);
    project.provide("demoPassword", password);
  } finally {
    await database.driver.close();
  }
  return async () => {
    await local?.stop();
  };
}
