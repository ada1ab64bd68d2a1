import { allQueries } from "../../src/shared/neo4j/queries.js";

/** Text the executor sends for every cypher/queries/<module>/<name>.cypher -> "<module>/<name>". */
export function queryNamesByText(): Map<string, string> {
  return new Map([...allQueries()].map(([name, text]) => [text, name]));
}
