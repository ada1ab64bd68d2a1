import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Driver } from "neo4j-driver";
import { PROJECT_ROOT } from "../config.js";
import { allFragments, expandFragments } from "./queries.js";

const MIGRATION_DIR = join(PROJECT_ROOT, "cypher", "migrations");
const NAME = /^\d{4}_[a-z0-9_]+\.cypher$/;

export interface Migration {
  name: string;
  statements: string[];
}

/** Splits a migration file into statements: `;` at the end of a line ends one; `//` lines are comments. */
export function parseMigration(text: string): string[] {
  const statements: string[] = [];
  let current: string[] = [];
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("//")) continue;
    current.push(line);
    if (trimmed.endsWith(";")) {
      statements.push(current.join("\n").trim().replace(/;$/, ""));
      current = [];
    }
  }
  if (current.length > 0) statements.push(current.join("\n").trim());
  return statements;
}

/**
 * The migrations, in order. A migration may include Cypher fragments (`@customer-list-key(p, c)`,
 * cypher/fragments), expanded here: an applied migration is recorded by its name only, so its text
 * is never compared with what was applied, and a fresh database gets what the queries write today.
 */
export function readMigrations(dir = MIGRATION_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => NAME.test(file))
    .sort()
    .map((file) => ({
      name: file.replace(/\.cypher$/, ""),
      statements: parseMigration(expandFragments(readFileSync(join(dir, file), "utf8"), allFragments(), `cypher/migrations/${file}`)),
    }));
}

/**
 * Applies the migrations not yet recorded, in order. Schema statements cannot share a
 * transaction with writes, so each statement runs on its own, in an auto-commit transaction
 * (which `CALL { ... } IN TRANSACTIONS` backfills need); they are all `IF NOT EXISTS` or
 * idempotent, so a migration interrupted halfway is simply run again, and only then recorded as
 * applied.
 */
export async function migrate(driver: Driver, database: string, log: (line: string) => void = () => {}): Promise<string[]> {
  const applied = new Set(
    (
      await driver.executeQuery("MATCH (m:Migration) RETURN m.name AS name", {}, { database })
    ).records.map((r) => r.get("name") as string),
  );
  const done: string[] = [];
  for (const migration of readMigrations()) {
    if (applied.has(migration.name)) continue;
    const session = driver.session({ database });
    try {
      for (const statement of migration.statements) await session.run(statement);
    } finally {
      await session.close();
    }
    await driver.executeQuery(
      "MERGE (m:Migration {name: $name}) ON CREATE SET m.appliedAt = datetime()",
      { name: migration.name },
      { database },
    );
    log(`applied migration ${migration.name}`);
    done.push(migration.name);
  }
  if (done.length > 0) await driver.executeQuery("CALL db.awaitIndexes(300)", {}, { database });
  return done;
}
