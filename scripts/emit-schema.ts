// Writes schema/schema.graphql from the code (npm run schema:emit). A test fails when the
// committed file differs from what the code emits.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildAppSchema, printSortedSchema } from "../src/app/schema.js";
import { PROJECT_ROOT } from "../src/shared/config.js";

const file = join(PROJECT_ROOT, "schema", "schema.graphql");
writeFileSync(file, printSortedSchema(await buildAppSchema()));
console.log(`wrote ${file}`);
