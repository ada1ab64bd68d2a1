/**
 * `npm run bench:explorer`: how fast the channel explorer (/explorer, issue 16 point 7) shows the
 * largest provider's first view: its partnerships (a page of up to 100) with the first page of
 * shared customers each, and its first customers, drawn and answering input. Measured in Debian's
 * chromium, headless, with the browser's own performance timing: the page marks
 * `explorer:first-view` after two animation frames following the drawing (painted, and the main
 * thread free for input); the time reported is that mark, from the navigation's start (the page
 * opens signed in: the token is put in sessionStorage before it loads, as after a reload).
 *
 *   npm run bench:explorer -- [--runs 5] [--warmup 3] [--out bench/results]
 *
 * Neo4j: NEO4J_URI etc., or the local dev instance (started if needed); the data is whatever is
 * there (npm run seed:scale -- --customers 10000 for the issue's size). Goal: under 2 s.
 */
import "reflect-metadata";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildExplorer } from "../scripts/build-explorer.js";
import { CHROMIUM } from "../test/support/browser.js";
import { codeVersion, machineInfo } from "./lib/machine.js";
import { dataSize, openBenchDatabase } from "./lib/neo4j.js";
import { ChildServer, serverEnv } from "./lib/servers.js";
import { pickSubjects } from "./lib/subjects.js";

const RESULTS_DIR = fileURLToPath(new URL("./results/", import.meta.url));

interface Run {
  firstViewMs: number;
  /** The page's marks: all answers in (explorer:data), the graph built by cytoscape (explorer:drawn), from the navigation's start. */
  dataMs: number;
  drawnMs: number;
  domContentLoadedMs: number;
  /** The page's /graphql requests before the first view: name and duration (resource timing). */
  requests: { name: string; ms: number; bytes: number }[];
  nodes: number;
  edges: number;
  /** Edges cytoscape draws (a reseller-of-record edge implied by a shared one is not drawn). */
  edgesDrawn: number;
  partnersDrawn: number;
  partnersTotal: number;
  customersDrawn: number;
  /** A click on the Fit button: from the click to the next frame after its handler ran. */
  clickToFrameMs: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "5" }, warmup: { type: "string", default: "3" }, out: { type: "string", default: RESULTS_DIR } } });
  const runs = Number(values.runs);
  // Unmeasured first views: Neo4j's page cache and the API's JIT (a dev Neo4j this run started is cold).
  const warmups = Number(values.warmup);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is absent: apt-get install -y chromium`);
  const say = (line: string) => console.log(line);
  const db = await openBenchDatabase(say);
  let api: ChildServer | undefined;
  try {
    const size = await dataSize(db);
    const secret = randomBytes(48).toString("base64url");
    const { subjects } = await pickSubjects(db, new TextEncoder().encode(secret));
    const subject = subjects.find((s) => s.key === "provider-largest");
    if (!subject) throw new Error("no provider with a global admin in the database: seed it first (npm run seed:scale -- --customers 10000)");
    const built = await buildExplorer();
    say(`Explorer bundle: ${Object.entries(built.bytes).map(([f, n]) => `${f} ${(n / 1024).toFixed(0)} KiB`).join(", ")}`);
    say(`Data: ${size.customers.toLocaleString("en-US")} customers; the largest provider ${subject.partnerName}: ${subject.customers.toLocaleString("en-US")} customers, ${subject.partners} partnerships, as ${subject.email}`);
    api = await ChildServer.start("api", serverEnv(db, secret));
    const origin = new URL(api.url).origin;
    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
    const results: Run[] = [];
    try {
      for (let i = 1 - warmups; i <= runs; i += 1) {
        const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
        // (Callbacks run in the page: its globals are typed loosely here, this project's types have no DOM.)
        await context.addInitScript((token: string) => (globalThis as any).sessionStorage.setItem("csp-explorer-session", token), subject.token);
        const page = await context.newPage();
        await page.goto(`${origin}/explorer`);
        await page.waitForFunction(() => ["ready", "denied", "error"].includes((globalThis as any).document.body.dataset.state ?? ""), null, { timeout: 60_000 });
        const state = await page.evaluate(() => (globalThis as any).document.body.dataset.state as string);
        if (state !== "ready") throw new Error(`the page ended "${state}": ${await page.locator("#message").innerText()}`);
        const run: Run = await page.evaluate(async () => {
          const w = globalThis as any;
          const mark = w.performance.getEntriesByName("explorer:first-view")[0];
          // (No named function in here: tsx would wrap it in a helper the page does not have.)
          const [dataMs, drawnMs] = ["explorer:data", "explorer:drawn"].map((name) => (w.performance.getEntriesByName(name)[0]?.startTime as number | undefined) ?? NaN);
          const navigation = w.performance.getEntriesByType("navigation")[0];
          const requests = (w.performance.getEntriesByType("resource") as { name: string; startTime: number; duration: number; transferSize: number }[])
            .filter((entry) => entry.name.endsWith("/graphql") && entry.startTime < mark.startTime)
            .map((entry) => ({ name: entry.name, ms: entry.duration, bytes: entry.transferSize }));
          const summary = w.document.getElementById("summary").dataset;
          const fit = w.document.getElementById("fit");
          const clicked = w.performance.now();
          fit.click();
          await new Promise<void>((resolve) => w.requestAnimationFrame(() => resolve()));
          return {
            firstViewMs: mark.startTime,
            dataMs: dataMs!,
            drawnMs: drawnMs!,
            domContentLoadedMs: navigation.domContentLoadedEventEnd,
            requests,
            nodes: Number(summary.nodes),
            edges: Number(summary.edges),
            edgesDrawn: Number(summary.edgesDrawn),
            partnersDrawn: Number(summary.partnersDrawn),
            partnersTotal: Number(summary.partnersTotal),
            customersDrawn: Number(summary.customersDrawn),
            clickToFrameMs: w.performance.now() - clicked,
          };
        });
        // The operation of each request, by order (the page sends ExplorerMe, then the partnerships and its customers at once).
        if (i > 0) results.push(run);
        say(`  ${i <= 0 ? "warm-up" : `run ${i}`}: first view ${run.firstViewMs.toFixed(0)} ms (DOMContentLoaded ${run.domContentLoadedMs.toFixed(0)}, data in ${run.dataMs.toFixed(0)}, drawn ${run.drawnMs.toFixed(0)} ms), ` +
          `${run.nodes} nodes, ${run.edges} edges, ${run.edgesDrawn} drawn (${run.partnersDrawn} of ${run.partnersTotal} partnerships, ${run.customersDrawn} customers); ` +
          `requests ${run.requests.map((r) => `${r.ms.toFixed(0)} ms/${(r.bytes / 1024).toFixed(0)} KiB`).join(", ")}; click to frame ${run.clickToFrameMs.toFixed(0)} ms`);
        if (i === runs) await page.screenshot({ path: join(values.out!, "explorer-largest-provider.png") });
        await context.close();
      }
    } finally {
      await browser.close();
    }
    const sorted = results.map((r) => r.firstViewMs).sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    const worst = sorted[sorted.length - 1]!;
    const machine = machineInfo();
    const code = codeVersion();
    const last = results[results.length - 1]!;
    const lines = [
      `# Explorer first view (${new Date().toISOString().slice(0, 10)})`,
      "",
      `API commit ${code?.commit.slice(0, 7) ?? "unknown"}${code?.changed.length ? " (with uncommitted changes)" : ""}; ${machine.cpuModel}, ${machine.cores} cores; load average at the start ${machine.loadAverageAtStart}.`,
      `Data: ${size.customers.toLocaleString("en-US")} customers. Largest provider: ${subject.partnerName} (${subject.customers.toLocaleString("en-US")} customers, ${subject.partners} partnerships).`,
      `Headless chromium (${CHROMIUM}), 1600x1000, signed in through sessionStorage; API in production mode, one process; ${runs} runs after ${warmups} unmeasured.`,
      "",
      "| run | first view ms | DOMContentLoaded ms | answers in ms | graph built ms | /graphql requests (ms) | nodes | edges (drawn) | click to frame ms |",
      "|---:|---:|---:|---:|---:|---|---:|---:|---:|",
      ...results.map((r, i) => `| ${i + 1} | ${r.firstViewMs.toFixed(0)} | ${r.domContentLoadedMs.toFixed(0)} | ${r.dataMs.toFixed(0)} | ${r.drawnMs.toFixed(0)} | ${r.requests.map((q) => q.ms.toFixed(0)).join(", ")} | ${r.nodes} | ${r.edges} (${r.edgesDrawn}) | ${r.clickToFrameMs.toFixed(0)} |`),
      "",
      `Median ${median.toFixed(0)} ms, worst ${worst.toFixed(0)} ms (goal: under 2,000 ms). Drawn: ${last.partnersDrawn} of ${last.partnersTotal} partnerships, ${last.customersDrawn} customers.`,
      "",
    ];
    mkdirSync(values.out!, { recursive: true });
    const file = join(values.out!, `${new Date().toISOString().slice(0, 10)}-explorer-${size.customers}.md`);
    writeFileSync(file, lines.join("\n"));
    say(`\nFirst view: median ${median.toFixed(0)} ms, worst ${worst.toFixed(0)} ms over ${runs} runs (goal: under 2,000 ms). Written to ${file}`);
  } finally {
    await api?.stop();
    await db.driver.close();
    await db.local?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : String(error));
  process.exit(1);
});
