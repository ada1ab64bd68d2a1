import { readdirSync } from "node:fs";
import { join } from "node:path";
import { Neo4jError } from "neo4j-driver";
import { describe, expect, inject, it } from "vitest";
import { PROJECT_ROOT } from "../../src/shared/config.js";
import { newId } from "../../src/shared/ids.js";
import { migrate, readMigrations } from "../../src/shared/neo4j/migrate.js";
import { useTestDriver } from "../support/driver.js";

const settings = inject("neo4j");
const driver = useTestDriver();

async function query<T = Record<string, unknown>>(cypher: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await driver().executeQuery(cypher, params, { database: settings.database });
  return result.records.map((r) => r.toObject() as T);
}

describe("migrations (real Neo4j)", () => {
  it("when the test database was opened, then every migration file is recorded as a Migration node", async () => {
    const files = readdirSync(join(PROJECT_ROOT, "cypher", "migrations"))
      .filter((f) => f.endsWith(".cypher"))
      .map((f) => f.replace(/\.cypher$/, ""))
      .sort();
    expect(files.length).toBeGreaterThan(0);
    // A file the runner skips (a name not matching its pattern) would never be applied.
    expect(readMigrations().map((m) => m.name)).toEqual(files);
    const recorded = await query<{ name: string }>("MATCH (m:Migration) RETURN m.name AS name ORDER BY name");
    expect(recorded.map((r) => r.name)).toEqual(expect.arrayContaining(files));
  });

  it("when migrate runs again, then nothing is applied", async () => {
    const lines: string[] = [];
    expect(await migrate(driver(), settings.database, (line) => lines.push(line))).toEqual([]);
    expect(lines).toEqual([]);
  });

  it("when the constraints are listed, then ids, MPN IDs, customer domains and user emails are unique", async () => {
    const rows = await query<{ type: string; labels: string[]; properties: string[] }>(
      "SHOW CONSTRAINTS YIELD type, labelsOrTypes AS labels, properties RETURN type, labels, properties",
    );
    const uniqueness = rows
      .filter((r) => r.type === "UNIQUENESS" || r.type === "NODE_PROPERTY_UNIQUENESS")
      .map((r) => `${r.labels.join(":")}.${r.properties.join(",")}`);
    expect(uniqueness).toEqual(
      expect.arrayContaining(["Partner.id", "Partner.mpnId", "Customer.id", "Customer.domain", "User.id", "User.email"]),
    );
  });

  it("when a second Partner gets an existing MPN ID, then the transaction fails with ConstraintValidationFailed", async () => {
    // 9 digits starting with 9: no demo partner has such an MPN ID, and parallel files never pick the same one.
    const mpnId = `9${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
    const session = driver().session({ database: settings.database });
    try {
      await query("CREATE (:Partner:Reseller {id: $id, mpnId: $mpnId, name: 'migrate test', testData: true})", {
        id: newId("Partner"),
        mpnId,
      });
      let failure: unknown;
      try {
        await session.executeWrite((tx) =>
          tx.run("CREATE (:Partner:Reseller {id: $id, mpnId: $mpnId, name: 'migrate test duplicate', testData: true})", {
            id: newId("Partner"),
            mpnId,
          }),
        );
      } catch (error) {
        failure = error;
      }
      expect(failure).toBeInstanceOf(Neo4jError);
      expect((failure as Neo4jError).code).toBe("Neo.ClientError.Schema.ConstraintValidationFailed");
      const [{ n }] = await query<{ n: number }>("MATCH (p:Partner {mpnId: $mpnId}) RETURN count(p) AS n", { mpnId });
      expect(Number(n)).toBe(1);
    } finally {
      await session.close();
      await query("MATCH (p:Partner {mpnId: $mpnId}) DETACH DELETE p", { mpnId });
    }
  });
});
