import neo4j, { type Driver } from "neo4j-driver";
import { afterAll, beforeAll, inject } from "vitest";

/**
 * A driver of the test Neo4j for the calling test file, opened before its tests and closed after
 * them; the returned function gives it (from beforeAll on). For files that talk to the database
 * directly, without a test app.
 */
export function useTestDriver(): () => Driver {
  let driver: Driver | undefined;
  beforeAll(() => {
    const settings = inject("neo4j");
    driver = neo4j.driver(settings.uri, neo4j.auth.basic(settings.username, settings.password));
  });
  afterAll(async () => {
    await driver?.close();
  });
  return () => {
    if (!driver) throw new Error("useTestDriver: the driver opens in beforeAll");
    return driver;
  };
}
