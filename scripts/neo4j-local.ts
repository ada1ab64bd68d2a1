// The local Neo4j's command line (npm run neo4j, .ci/run): src/local/neo4j-local.ts does the work.
// tsx scripts/neo4j-local.ts [--test] [--download-only | --stop]
import { cli } from "../src/local/neo4j-local.js";

cli(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`[neo4j] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
