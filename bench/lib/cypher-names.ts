import { allQueries, cypher, REPLAN_SKIP_PREFIX } from "../../src/shared/neo4j/queries.js";

/**
 * Text the executor sends -> the query's name: every cypher/queries/<module>/<name>.cypher as
 * "<module>/<name>", and the viewer query fused with each ("auth/viewer+<module>/<name>", see src/shared/read-planner.ts).
 */
export function queryNamesByText(): Map<string, string> {
  const names = new Map<string, string>();
  for (const [name, text] of allQueries()) {
    names.set(text, name);
    if (name !== "auth/viewer" && !text.startsWith(REPLAN_SKIP_PREFIX)) names.set(cypher(`auth/viewer+${name}`), `auth/viewer+${name}`);
  }
  return names;
}
