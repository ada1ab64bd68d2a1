// What the browser pages' builds share (scripts/build-graphiql.ts, scripts/build-explorer.ts): a
// hash of everything a bundle is made of (its sources, the packages bundled and their versions),
// kept beside the bundle as a stamp so that a build runs only when an input changed, and the
// bundle written to a temporary folder and renamed into place, so a server never serves half of it.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { BuildOptions } from "esbuild";

/** The stamp file beside a bundle: the hash of the inputs it was built from (never served: a dotfile). */
export const STAMP = ".inputs-sha256";

/** Every file under `dir`, sorted. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((entry) => join(dir, entry))
    .filter((path) => statSync(path).isFile())
    .sort();
}

/** A hash of the files' paths and contents and of the named packages' versions. */
export function inputsHash(files: string[], packages: string[]): string {
  const require = createRequire(import.meta.url);
  const hash = createHash("sha256");
  for (const path of files) hash.update(path).update("\0").update(readFileSync(path)).update("\0");
  for (const name of packages) hash.update(`${name}@${packageVersion(name, require)}\0`);
  return hash.digest("hex");
}

/** An installed package's version: from its package.json, found beside its entry point when its exports do not name it. */
function packageVersion(name: string, require: NodeJS.Require): string {
  let dir = dirname(require.resolve(name));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string; version?: string };
      if (parsed.name === name && parsed.version) return parsed.version;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`${name}: no package.json above ${require.resolve(name)}`);
    dir = parent;
  }
}

/** True when `dir` holds every one of `files` and was built from inputs of this hash. */
export function isCurrent(dir: string, files: readonly string[], hash: string): boolean {
  const stamp = join(dir, STAMP);
  return existsSync(stamp) && readFileSync(stamp, "utf8") === hash && files.every((file) => existsSync(join(dir, file)));
}

/** Bytes of each of `files` in `dir`. */
export function sizesOf(dir: string, files: readonly string[]): Record<string, number> {
  return Object.fromEntries(files.map((file) => [file, statSync(join(dir, file)).size]));
}

/**
 * Builds into a fresh temporary folder beside `dir` (`write` fills it), stamps it with `hash` and
 * renames it into place. When another process built the same inputs first (two starts at once),
 * its bundle is kept.
 */
export async function publish(dir: string, hash: string, write: (out: string) => Promise<void>): Promise<void> {
  const out = `${dir}.tmp-${process.pid}`;
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  try {
    await write(out);
  } catch (error) {
    rmSync(out, { recursive: true, force: true });
    throw error;
  }
  writeFileSync(join(out, STAMP), hash);
  rmSync(dir, { recursive: true, force: true });
  try {
    renameSync(out, dir);
  } catch (error) {
    rmSync(out, { recursive: true, force: true });
    const stamp = join(dir, STAMP);
    if (!(existsSync(stamp) && readFileSync(stamp, "utf8") === hash)) throw error;
  }
}

/** esbuild's options every page shares: one minified script for browsers of 2022 on, licences at its end. */
export const PAGE_BUNDLE: Pick<BuildOptions, "bundle" | "format" | "platform" | "target" | "minify" | "legalComments" | "logLevel"> = {
  bundle: true,
  format: "iife",
  platform: "browser",
  target: ["es2022"],
  minify: true,
  legalComments: "eof",
  logLevel: "warning",
};

export interface BuildResult {
  built: boolean;
  dir: string;
  /** Bytes of each file served. */
  bytes: Record<string, number>;
}

/**
 * A page build's command line: `--force` rebuilds regardless; `--if-stale` (what `npm start` runs
 * first) never fails the start: without the page's build tools (devDependencies: a production
 * install), or for a development-only page under NODE_ENV=production, it says so and builds nothing,
 * and a failed build is printed and exits 0.
 */
export function pageBuildCli(options: { title: string; tools: string[]; developmentOnly: boolean; build: (options: { force: boolean }) => Promise<BuildResult> }): void {
  const force = process.argv.includes("--force");
  const ifStale = process.argv.includes("--if-stale");
  const require = createRequire(import.meta.url);
  const available = options.tools.every((tool) => {
    try {
      require.resolve(tool);
      return true;
    } catch {
      return false;
    }
  });
  const notServed = options.developmentOnly && process.env.NODE_ENV === "production";
  if (ifStale && (notServed || !available)) {
    if (!notServed) {
      console.warn(
        `${options.title} not built: its build tools (devDependencies ${options.tools.join(", ")}) are not installed` +
          (options.developmentOnly ? "." : "; it is served as `npm run build` made it."),
      );
    }
    return;
  }
  options.build({ force }).then(
    (result) => {
      const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
      const sizes = Object.entries(result.bytes).map(([file, n]) => `${file} ${kib(n)}`).join(", ");
      console.log(result.built ? `${options.title} built in ${result.dir}: ${sizes}` : `${options.title} up to date (${result.dir})`);
    },
    (error: unknown) => {
      console.error(`${options.title} build failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(ifStale ? 0 : 1);
    },
  );
}
