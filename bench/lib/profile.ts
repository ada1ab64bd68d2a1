/**
 * Summarises a V8 CPU profile of a server process: self time by where the code lives (a package
 * of node_modules, a folder of src/, Node's core, GC, idle), and the hottest functions.
 */
import { relative, sep } from "node:path";
import { PROJECT_ROOT } from "../../src/shared/config.js";
import type { CpuProfile } from "./servers.js";

export interface ProfileSummary {
  /** Profiled wall time (ms). */
  totalMs: number;
  /** Time not idle (ms). */
  busyMs: number;
  /** Self time by category, largest first; share is of busy time. */
  categories: { name: string; ms: number; share: number }[];
  /**
   * The same time, with Node core, native and GC samples charged to the nearest caller that is a
   * package or project code (e.g. a socket write called by neo4j-driver counts as neo4j-driver).
   */
  attributed: { name: string; ms: number; share: number }[];
  functions: { name: string; category: string; ms: number; share: number }[];
}

const GROUPS: [RegExp, string][] = [
  [/^neo4j-driver/, "neo4j-driver"],
  [/^@apollo\//, "@apollo/server"],
  [/^@graphql-tools\//, "@graphql-tools (graphql-middleware)"],
  [/^@escape\.tech\//, "graphql-armor"],
  [/^jose$/, "jose (JWT)"],
  [/^(express|body-parser|router|raw-body|iconv-lite|on-finished|finalhandler|send|type-is|content-type|qs|debug)$/, "express"],
];

export function categoryOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName === "(idle)") return "(idle)";
    if (functionName === "(garbage collector)") return "GC";
    if (functionName === "(program)") return "V8 / native (program)";
    if (functionName === "(root)") return "(root)";
    return `native: ${functionName || "anonymous"}`;
  }
  if (url.startsWith("node:")) return "node core (http, net, streams, timers)";
  const path = url.startsWith("file://") ? decodeURIComponent(new URL(url).pathname) : url;
  const nm = path.lastIndexOf(`${sep}node_modules${sep}`);
  if (nm >= 0) {
    const rest = path.slice(nm + "/node_modules/".length).split(sep);
    const pkg = rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
    for (const [pattern, name] of GROUPS) if (pattern.test(pkg)) return name;
    return pkg;
  }
  const rel = relative(PROJECT_ROOT, path).split(sep);
  if (rel[0] === "src") return `src/${rel.slice(1, rel[1] === "app" ? 2 : 3).join("/")}`;
  if (rel[0] === "bench") return "bench (instrumentation)";
  return "other";
}

/** Categories that say where the CPU went only through their caller. */
function isGeneric(category: string): boolean {
  return category.startsWith("native:") || category.startsWith("node core") || category === "V8 / native (program)" || category === "GC" || category === "(root)";
}

export function summarizeProfile(profile: CpuProfile, topFunctions = 15): ProfileSummary {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const attributedCategory = (id: number): string => {
    let current: number | undefined = id;
    const own = nodes.get(id);
    const ownCategory = own ? categoryOf(own.callFrame.url, own.callFrame.functionName) : "other";
    while (current !== undefined) {
      const node = nodes.get(current);
      if (!node) break;
      const category = categoryOf(node.callFrame.url, node.callFrame.functionName);
      if (!isGeneric(category)) return category;
      current = parents.get(current);
    }
    // GC and (program) have no caller in the profile's tree.
    return ownCategory;
  };
  const selfByNode = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  // The profiler's own start/stop (node:inspector) is not the server's work.
  const profilerOwn = (id: number): boolean => {
    for (let current: number | undefined = id; current !== undefined; current = parents.get(current)) {
      if (nodes.get(current)?.callFrame.url === "node:inspector") return true;
    }
    return false;
  };
  const categories = new Map<string, number>();
  const attributed = new Map<string, number>();
  const functions = new Map<string, { category: string; ms: number }>();
  let idle = 0;
  let total = 0;
  for (const [id, ms] of selfByNode) {
    const node = nodes.get(id);
    if (!node || profilerOwn(id)) continue;
    total += ms;
    const { functionName, url, lineNumber } = node.callFrame;
    const category = categoryOf(url, functionName);
    if (category === "(idle)") {
      idle += ms;
      continue;
    }
    categories.set(category, (categories.get(category) ?? 0) + ms);
    const charged = attributedCategory(id);
    attributed.set(charged, (attributed.get(charged) ?? 0) + ms);
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : "";
    const key = `${functionName || "(anonymous)"} ${where}`.trim();
    const entry = functions.get(key) ?? { category, ms: 0 };
    entry.ms += ms;
    functions.set(key, entry);
  }
  const busy = total - idle;
  return {
    totalMs: total,
    busyMs: busy,
    categories: [...categories]
      .map(([name, ms]) => ({ name, ms, share: ms / busy }))
      .sort((a, b) => b.ms - a.ms),
    attributed: [...attributed]
      .map(([name, ms]) => ({ name, ms, share: ms / busy }))
      .sort((a, b) => b.ms - a.ms),
    functions: [...functions]
      .map(([name, { category, ms }]) => ({ name, category, ms, share: ms / busy }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, topFunctions),
  };
}

/** Adds summaries (e.g. of every case) into one. */
export function mergeSummaries(summaries: ProfileSummary[]): ProfileSummary {
  const categories = new Map<string, number>();
  const attributed = new Map<string, number>();
  const functions = new Map<string, { category: string; ms: number }>();
  let total = 0;
  let busy = 0;
  for (const s of summaries) {
    total += s.totalMs;
    busy += s.busyMs;
    for (const c of s.categories) categories.set(c.name, (categories.get(c.name) ?? 0) + c.ms);
    for (const c of s.attributed) attributed.set(c.name, (attributed.get(c.name) ?? 0) + c.ms);
    for (const f of s.functions) {
      const entry = functions.get(f.name) ?? { category: f.category, ms: 0 };
      entry.ms += f.ms;
      functions.set(f.name, entry);
    }
  }
  return {
    totalMs: total,
    busyMs: busy,
    categories: [...categories].map(([name, ms]) => ({ name, ms, share: ms / busy })).sort((a, b) => b.ms - a.ms),
    attributed: [...attributed].map(([name, ms]) => ({ name, ms, share: ms / busy })).sort((a, b) => b.ms - a.ms),
    functions: [...functions]
      .map(([name, { category, ms }]) => ({ name, category, ms, share: ms / busy }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 15),
  };
}

function shortUrl(url: string): string {
  const path = url.startsWith("file://") ? decodeURIComponent(new URL(url).pathname) : url;
  const nm = path.lastIndexOf("/node_modules/");
  if (nm >= 0) return path.slice(nm + "/node_modules/".length);
  if (path.startsWith(PROJECT_ROOT)) return relative(PROJECT_ROOT, path);
  return path;
}
