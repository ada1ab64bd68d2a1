/**
 * Variant A of the writes bench (bench/writes.ts): the same code with the channel-event outbox
 * write removed (issue 14, Performance). Not a switch in the product: a temporary copy of the
 * project (src/, cypher/, schema/, the bench's server, package.json, tsconfig*.json; node_modules
 * a symlink) in which
 *   - cypher/queries/audit/record.cypher loses its `CALL (e) { UNWIND $events ... }` block, and
 *   - src/shared/audit.ts's recordAudit makes and passes no events (so it never tells the
 *     sequencer either).
 * Every replacement must match the current file exactly once: when the files change shape, this
 * throws (name, file, what it expected) instead of measuring something else.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../src/shared/config.js";

export interface Replacement {
  file: string;
  why: string;
  from: string;
  to: string;
}

/** The patch, as code (shown in the report through `git diff --no-index`). */
export const NO_OUTBOX_PATCH: readonly Replacement[] = [
  {
    file: "cypher/queries/audit/record.cypher",
    why: "the outbox write: the events and their CONCERNS edges",
    from: `CALL (e) {
  UNWIND $events AS draft
  CREATE (ev:ChannelEvent:UnsequencedEvent {
    id: draft.id, type: draft.type, at: e.at, subjectId: draft.subjectId, summary: draft.summary, auditEventId: e.id
  })
  WITH ev, draft
  CALL (ev, draft) {
    OPTIONAL MATCH (:Customer {id: draft.customerId})<-[:RESELLER_OF_RECORD]-(r:Partner)
    WITH ev, draft, collect(r.id) AS ofRecord
    UNWIND ofRecord + draft.partnerIds AS partnerId
    WITH DISTINCT ev, partnerId
    MATCH (p:Partner {id: partnerId})
    CREATE (ev)-[:CONCERNS {listKey: @event-list-key(p, ev)}]->(p)
    RETURN count(*) AS concerned
  }
  RETURN count(*) AS events
}
`,
    to: "",
  },
  {
    file: "src/shared/audit.ts",
    why: "recordAudit makes no event parameters (ids) ...",
    from: "  const events = eventParams(event.events ?? []);\n",
    to: "  const events: unknown[] = []; // bench/lib/no-outbox.ts: no outbox\n",
  },
  {
    file: "src/shared/audit.ts",
    why: "... and passes none to audit/record",
    from: "    targetIds: event.targetIds,\n    events,\n  });\n",
    to: "    targetIds: event.targetIds,\n  });\n",
  },
];

/** What the copy holds (node_modules: a symlink). bench/: the server entry and what it imports. */
const COPIED = ["src", "cypher", "schema", "package.json", "bench/server.ts", "bench/lib", "bench/peer"];

function count(haystack: string, needle: string): number {
  let n = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) n += 1;
  return n;
}

/** Applies the replacements to the files under `root`; throws unless each matches exactly once. */
export function applyPatch(root: string, patch: readonly Replacement[] = NO_OUTBOX_PATCH): void {
  for (const r of patch) {
    const path = join(root, r.file);
    const text = readFileSync(path, "utf8");
    const found = count(text, r.from);
    if (found !== 1) {
      throw new Error(
        `bench/lib/no-outbox.ts: ${r.file} changed shape: the text to replace (${r.why}) occurs ${found} times, expected once. ` +
          `Update NO_OUTBOX_PATCH to the file as it is now (it must still remove exactly the outbox write). Expected:\n${r.from}`,
      );
    }
    writeFileSync(path, text.replace(r.from, () => r.to));
  }
}

export interface NoOutboxCopy {
  root: string;
  /** `git diff --no-index` of the patched files against the work tree's. */
  diff: string;
}

/**
 * A fresh copy of the work tree as it is now (uncommitted changes included) at `root`, patched.
 * The API of variant A runs from there (ChildServer.start(..., root)).
 */
export function makeNoOutboxCopy(root = "/tmp/bench-no-outbox"): NoOutboxCopy {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, "bench"), { recursive: true });
  for (const item of COPIED) cpSync(join(PROJECT_ROOT, item), join(root, item), { recursive: true });
  for (const file of readdirSync(PROJECT_ROOT).filter((f) => /^tsconfig.*\.json$/.test(f))) cpSync(join(PROJECT_ROOT, file), join(root, file));
  symlinkSync(join(PROJECT_ROOT, "node_modules"), join(root, "node_modules"));
  applyPatch(root);
  const files = [...new Set(NO_OUTBOX_PATCH.map((r) => r.file))];
  const diff = files.map((file) => gitDiff(join(PROJECT_ROOT, file), join(root, file), file)).join("");
  if (!existsSync(join(root, "bench", "server.ts"))) throw new Error(`bench/lib/no-outbox.ts: no bench/server.ts in ${root}`);
  return { root, diff };
}

/** Unified diff a -> b with both sides labelled `file` (git diff --no-index exits 1 when they differ). */
function gitDiff(a: string, b: string, file: string): string {
  try {
    execFileSync("git", ["diff", "--no-index", "--no-color", `--src-prefix=a/`, `--dst-prefix=b/`, a, b], { encoding: "utf8" });
    return "";
  } catch (error) {
    const out = (error as { stdout?: string }).stdout ?? "";
    if (!out) throw error;
    // git prints an absolute path without its leading slash after the prefix (a/work/main/...).
    return out.split(a.replace(/^\//, "")).join(file).split(b.replace(/^\//, "")).join(file);
  }
}
