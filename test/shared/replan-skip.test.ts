import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { PROJECT_ROOT } from "../../src/shared/config.js";
import { allQueries, cypher, REPLAN_SKIP_PREFIX } from "../../src/shared/neo4j/queries.js";
import { useTestDriver } from "../support/driver.js";

/**
 * `// replan=skip` (src/shared/neo4j/queries.ts): the background statements of channel events and
 * webhooks keep their cached plan when the statistics change. Measured in the write bench (issue
 * 14): planning one of them again costs Neo4j 100-400 ms of CPU, and their labels change by far
 * more than ¾ all the time (webhooks created, deliveries logged, unsequenced events drained), so
 * with webhooks Neo4j spent about 1 ms of CPU per write planning them again (5.17 ms of Neo4j
 * CPU per write with 2 webhooks before, 4.29 after; the events without webhooks 3.70).
 * Safe only where the statistics cannot make a better plan: every node a statement starts from
 * is found by an index seek. Checked here on the test database, where the webhook labels are
 * nearly empty: the state a first plan is made in, and then kept.
 */

const QUERY_DIR = join(PROJECT_ROOT, "cypher", "queries");

/** The statements of the sequencer, the live hub, the expiry sweep and the webhook dispatcher. */
const BACKGROUND = [
  ...["expiry-due", "expiry-lock", "expiry-mark", "sequence-batch", "sequence-lock", "since-cursor", "since-head", "since-scoped", "since", "unsequenced-count"].map((n) => `events/${n}`),
  ...[
    "circuit-open", "claim-abandoned", "claim-events", "claim-idle", "claim-lock", "claim", "cursor-advance", "cursor-create", "cursor-lock", "delivered", "disable",
    "drop-task", "due-of-partners", "due", "fan-out-floor", "fan-out-state", "fan-out", "finish-lock", "record-attempt", "sequence-barrier",
    "start-attempt", "task-new", "task-retry",
  ].map((n) => `webhooks/${n}`),
];

/** Operators that read nodes or relationships without an index seek, i.e. whose choice the statistics decide. */
const SCAN = /^(AllNodesScan|NodeByLabelScan|UnionNodeByLabelsScan|IntersectionNodeByLabelsScan|NodeIndexScan|NodeIndexContainsScan|NodeIndexEndsWithScan|(Directed|Undirected)(RelationshipTypeScan|AllRelationshipsScan|RelationshipIndexScan|UnionRelationshipTypesScan))$/;

/**
 * The one scan allowed: the sequencer's queue, UnsequencedEvent, holds only the events committed
 * and not yet numbered (a label removed as they are numbered), so reading it whole is its purpose.
 */
const ALLOWED_SCANS = new Set(["events/sequence-batch NodeByLabelScan e:UnsequencedEvent"]);

interface Plan {
  operatorType: string;
  arguments?: Record<string, unknown>;
  children?: Plan[];
}

function scans(plan: Plan, into: string[] = []): string[] {
  const type = plan.operatorType.replace(/@.*$/, "");
  if (SCAN.test(type)) into.push(`${type} ${String(plan.arguments?.Details ?? "").trim()}`);
  for (const child of plan.children ?? []) scans(child, into);
  return into;
}

const driver = useTestDriver();

describe("replan=skip (issue 14: the statistics of the webhook labels change all the time)", () => {
  it("when the background statements of events and webhooks are sent, then each opens with CYPHER replan=skip, and no other statement does", () => {
    for (const name of BACKGROUND) expect(cypher(name).startsWith(REPLAN_SKIP_PREFIX), name).toBe(true);
    const others = [...allQueries()].filter(([name, text]) => !BACKGROUND.includes(name) && text.startsWith(REPLAN_SKIP_PREFIX)).map(([name]) => name);
    expect(others).toEqual([]);
  });

  it("when a query file has the directive, then it is its own line among the file's comments, and the text sent has it once", () => {
    for (const name of BACKGROUND) {
      const source = readFileSync(join(QUERY_DIR, `${name}.cypher`), "utf8");
      expect(source.split("\n").filter((line) => line === "// replan=skip"), name).toHaveLength(1);
      expect(cypher(name).split("replan=skip").length - 1, name).toBe(1);
    }
  });

  it("when a replan=skip statement is planned on a database where its labels are nearly empty, then every node it starts from is an index seek (the statistics cannot make its plan better)", async () => {
    const session = driver().session({ database: inject("neo4j").database });
    try {
      const found: string[] = [];
      for (const name of BACKGROUND) {
        const result = await session.run(`EXPLAIN ${cypher(name)}`);
        for (const scan of scans(result.summary.plan as unknown as Plan)) {
          const key = `${name} ${scan}`;
          if (!ALLOWED_SCANS.has(key)) found.push(key);
        }
      }
      expect(found).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it("when a statement without the option scans, then the check sees it (the check can fail)", async () => {
    const session = driver().session({ database: inject("neo4j").database });
    try {
      const result = await session.run("EXPLAIN MATCH (w:Webhook) WHERE w.url = $url RETURN w");
      expect(scans(result.summary.plan as unknown as Plan).join()).toMatch(/NodeByLabelScan|NodeIndexScan/);
    } finally {
      await session.close();
    }
  });
});
