import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { PROJECT_ROOT } from "../config.js";

/**
 * Named Cypher queries, one file each under cypher/queries/<module>/<name>.cypher, read once
 * at start. A query is referred to as "<module>/<name>"; a typo fails at the first call with the
 * list of known names rather than sending an empty query.
 */
const QUERY_DIR = join(PROJECT_ROOT, "cypher", "queries");

function readQueries(dir: string, into: Map<string, string>): Map<string, string> {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) readQueries(path, into);
    else if (entry.endsWith(".cypher")) {
      const name = relative(QUERY_DIR, path).split(sep).join("/").replace(/\.cypher$/, "");
      into.set(name, readFileSync(path, "utf8"));
    }
  }
  return into;
}

let cache: Map<string, string> | undefined;

export function cypher(name: string): string {
  cache ??= readQueries(QUERY_DIR, new Map());
  const text = cache.get(name);
  if (text === undefined) throw new Error(`Unknown Cypher query "${name}"; known: ${[...cache.keys()].join(", ")}`);
  return text;
}
