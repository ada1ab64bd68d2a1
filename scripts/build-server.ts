// npm run build:server: src/ compiled to dist/ (tsconfig.build.json), then every file of src/ that
// is not TypeScript (the Sandbox's examples.graphql, generated/trusted-documents.json, whatever is
// read at run time next to the code) copied to the same place under dist/. dist/ mirrors src/, so
// dist/shared/config.js finds the project root (and cypher/) two levels up, as the sources do.
// `node dist/main.js` then needs node_modules and cypher/ beside dist/, and nothing else.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { PROJECT_ROOT } from "../src/shared/config.js";

const SRC = join(PROJECT_ROOT, "src");
const DIST = join(PROJECT_ROOT, "dist");

/** Files tsc compiles (or only reads for types): everything else under src/ is an asset. */
const COMPILED = /\.(ts|tsx|mts|cts)$/;

function assets(dir: string, into: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) assets(path, into);
    else if (entry.isFile() && !COMPILED.test(entry.name)) into.push(path);
  }
  return into;
}

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const compiled = spawnSync(process.execPath, [tsc, "-p", join(PROJECT_ROOT, "tsconfig.build.json")], { cwd: PROJECT_ROOT, stdio: "inherit" });
if (compiled.status !== 0) {
  console.error(`build:server: tsc -p tsconfig.build.json failed (${compiled.status ?? compiled.signal})`);
  process.exit(1);
}

const copied = assets(SRC);
for (const file of copied) {
  const target = join(DIST, relative(SRC, file));
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(file, target);
}
console.log(`build:server: src/ compiled to dist/, ${copied.length} assets copied (${copied.map((f) => relative(SRC, f)).join(", ")}); run: npm run start:prod`);
