// npm run build:explorer: the channel explorer (issue 16) that GET /explorer serves, in development
// and production alike (src/app/explorer.ts), bundled by esbuild from web/explorer/ and npm
// packages (cytoscape, graphql-ws) into dist/explorer/: index.html, explorer.js, explorer.css.
// Nothing is loaded from a CDN at run time. The page's operations (web/explorer/explorer.graphql)
// go into the bundle as the trusted manifest prints them, so that TRUSTED_DOCUMENTS=only runs them.
//
// `npm run build` runs it (a production install builds, then prunes its dev dependencies);
// `npm start` runs it with `--if-stale`, which rebuilds only when an input changed and never fails
// the start. `--force` rebuilds regardless.
import { readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { EXPLORER_DIR, EXPLORER_FILES } from "../src/app/explorer.js";
import { buildTrustedManifest } from "../src/app/trusted-manifest.js";
import { PROJECT_ROOT } from "../src/shared/config.js";
import { isMainModule } from "./main-module.js";
import { filesUnder, inputsHash, isCurrent, PAGE_BUNDLE, pageBuildCli, publish, sizesOf, type BuildResult } from "./web-bundle.js";

const SOURCE_DIR = join(PROJECT_ROOT, "web", "explorer");
export const EXPLORER_OPERATIONS = join(SOURCE_DIR, "explorer.graphql");
/** Packages whose code ends up in the bundle (their versions are part of the inputs). */
const BUNDLED = ["cytoscape", "graphql-ws", "esbuild"];

/** The page's operations by name, each printed as src/app/trusted-manifest.ts prints it for the safelist. */
export function explorerOperations(): Record<string, string> {
  const manifest = buildTrustedManifest([relative(PROJECT_ROOT, EXPLORER_OPERATIONS)]);
  return Object.fromEntries(manifest.operations.map((operation) => [operation.name, operation.body]));
}

/** Builds the page into dist/explorer when an input changed (or `force`). */
export async function buildExplorer(options: { force?: boolean } = {}): Promise<BuildResult> {
  const sources = [...filesUnder(SOURCE_DIR), join(PROJECT_ROOT, "scripts", "build-explorer.ts"), join(PROJECT_ROOT, "src", "app", "trusted-manifest.ts")];
  const hash = inputsHash(sources, BUNDLED);
  if (!options.force && isCurrent(EXPLORER_DIR, EXPLORER_FILES, hash)) {
    return { built: false, dir: EXPLORER_DIR, bytes: sizesOf(EXPLORER_DIR, EXPLORER_FILES) };
  }
  const { build } = await import("esbuild");
  const operations = explorerOperations();
  await publish(EXPLORER_DIR, hash, async (out) => {
    await build({
      entryPoints: { explorer: join(SOURCE_DIR, "main.ts") },
      outdir: out,
      ...PAGE_BUNDLE,
      define: { __EXPLORER_OPERATIONS__: JSON.stringify(operations) },
    });
    writeFileSync(join(out, "index.html"), readFileSync(join(SOURCE_DIR, "index.html")));
  });
  return { built: true, dir: EXPLORER_DIR, bytes: sizesOf(EXPLORER_DIR, EXPLORER_FILES) };
}

if (isMainModule(import.meta.url)) {
  pageBuildCli({ title: "Explorer page", tools: ["esbuild", "cytoscape"], developmentOnly: false, build: buildExplorer });
}
