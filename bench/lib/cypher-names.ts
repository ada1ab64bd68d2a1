import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { PROJECT_ROOT } from "../../src/shared/config.js";

/** Text of every cypher/queries/<module>/<name>.cypher -> "<module>/<name>" (what the executor sends). */
export function queryNamesByText(): Map<string, string> {
  const root = join(PROJECT_ROOT, "cypher", "queries");
  const names = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith(".cypher")) names.set(readFileSync(path, "utf8"), relative(root, path).split(sep).join("/").replace(/\.cypher$/, ""));
    }
  };
  walk(root);
  return names;
}
