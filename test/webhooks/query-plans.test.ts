import neo4j, { type Transaction } from "neo4j-driver";
import { describe, expect, inject, it } from "vitest";
import { cypher } from "../../src/shared/neo4j/queries.js";
import { uniqueTag } from "../support/app.js";
import { useTestDriver } from "../support/driver.js";

/**
 * The webhook dispatcher's statements read what their work needs, not the database (D-30, issue 14:
 * events must cost writes at most 10 % of writes/s). PROFILE of the statements themselves, each in
 * a transaction that is rolled back (nothing is committed, so no other file's readers, fan-out or
 * live hub ever sees these events; their seqs are negative, below any real one):
 * - webhooks/fan-out over 10 events reads the same db hits whether the database holds 10 or
 *   3,000 more events and their CONCERNS edges: an ordered seek of the seq index from $from, never
 *   a scan of every CONCERNS edge (which made the write bench's fan-out 123 ms a pass, growing
 *   with the database);
 * - webhooks/claim-events with 1,000 of the webhook's events after its cursor stops after $limit
 *   matches (the index in seq order, then LIMIT), instead of reading its whole 1,000-seq window;
 * - webhooks/cursor-lock reads no webhook when the cursor exists (each pass takes it).
 * Bounded by work (rows and db hits of the plan), never by time.
 */

const tag = uniqueTag();
const BASE = -2_000_000_000;
const TYPE = "ORDER_SUBMITTED";
const driver = useTestDriver();

interface Operator {
  type: string;
  rows: number;
  dbHits: number;
  details: string;
}

function operators(plan: { operatorType: string; rows?: number; dbHits?: number; arguments?: Record<string, unknown>; children?: unknown[] }, into: Operator[] = []): Operator[] {
  into.push({ type: plan.operatorType.replace(/@.*$/, ""), rows: plan.rows ?? 0, dbHits: plan.dbHits ?? 0, details: String(plan.arguments?.Details ?? "") });
  for (const child of (plan.children ?? []) as (typeof plan)[]) operators(child, into);
  return into;
}

/** Runs `work` in a transaction that is always rolled back. */
async function rolledBack(work: (tx: Transaction) => Promise<void>): Promise<void> {
  const session = driver().session({ database: inject("neo4j").database });
  const tx = session.beginTransaction();
  try {
    await work(tx);
  } finally {
    await tx.rollback();
    await session.close();
  }
}

async function profile(tx: Transaction, name: string, params: Record<string, unknown>) {
  const result = await tx.run(`PROFILE ${cypher(name)}`, params);
  const ops = operators(result.summary.profile as never);
  return { records: result.records.map((r) => r.toObject()), ops, dbHits: ops.reduce((sum, op) => sum + op.dbHits, 0) };
}

/** Two organisations (`p`, the webhook's; `q`, another), `p`'s active webhook from BASE on. */
async function seed(tx: Transaction, id: string): Promise<void> {
  await tx.run(
    `CREATE (p:Partner {id: $id + '_p', name: 'P ' + $id, fixture: $tag}), (q:Partner {id: $id + '_q', name: 'Q ' + $id, fixture: $tag})
     CREATE (p)-[:HAS_WEBHOOK]->(:Webhook {id: $id + '_w', url: 'http://127.0.0.1:9/', events: [$type], active: true, secretSealed: 'x',
       fromSeq: $base, deliveredSeq: $base, fannedOutSeq: $base})`,
    { id, tag, type: TYPE, base: neo4j.int(BASE) },
  );
}

/** Events BASE+from+1 .. BASE+from+count; `of(i)`: whom event i concerns ("p", "q" or "pq"). */
async function events(tx: Transaction, id: string, from: number, count: number, of: "p" | "q" | "pq" | "every4thQ"): Promise<void> {
  await tx.run(
    `MATCH (p:Partner {id: $id + '_p'}), (q:Partner {id: $id + '_q'})
     UNWIND range($from + 1, $from + $count) AS i
     CREATE (e:ChannelEvent {id: $id + '_e' + i, seq: $base + i, type: $type, at: datetime(), subjectId: 's', summary: 'x', fixture: $tag})
     WITH p, q, e, i, CASE WHEN $of = 'every4thQ' THEN (CASE WHEN i % 4 = 0 THEN 'q' ELSE 'p' END) ELSE $of END AS whom
     FOREACH (_ IN CASE WHEN whom CONTAINS 'p' THEN [1] ELSE [] END | CREATE (e)-[:CONCERNS {listKey: 'x' + i}]->(p))
     FOREACH (_ IN CASE WHEN whom CONTAINS 'q' THEN [1] ELSE [] END | CREATE (e)-[:CONCERNS {listKey: 'x' + i}]->(q))`,
    { id, tag, type: TYPE, base: neo4j.int(BASE), from: neo4j.int(from), count: neo4j.int(count), of },
  );
}

describe("the webhook dispatcher's statements read what their work needs (D-30, issue 14)", () => {
  it("when the database holds 3,000 more events (and their CONCERNS edges) than the 10 a fan-out pass covers, then the pass reads the same db hits: an ordered seek of the seq index, no scan", async () => {
    await rolledBack(async (tx) => {
      const id = `${tag}fo`;
      await seed(tx, id);
      await events(tx, id, 0, 10, "pq");
      const params = { from: neo4j.int(BASE), to: neo4j.int(BASE + 10), now: neo4j.int(Date.now()) };
      const small = await profile(tx, "webhooks/fan-out", params);
      expect(Number(small.records[0]!.tasks)).toBe(10);
      await events(tx, id, 10, 3_000, "pq");
      const large = await profile(tx, "webhooks/fan-out", params);
      expect(Number(large.records[0]!.tasks)).toBe(10);
      expect(large.ops.filter((op) => op.type.includes("Scan")).map((op) => `${op.type} ${op.details}`)).toEqual([]);
      const seek = large.ops.find((op) => op.type === "NodeIndexSeekByRange");
      expect(seek?.details).toContain("ChannelEvent(seq)");
      expect(seek?.rows).toBe(10);
      // The same work for both (the webhook's SET may differ by a few hits), not 3,000 edges more.
      expect(Math.abs(large.dbHits - small.dbHits)).toBeLessThan(50);
    });
  });

  it("when 1,000 events lie after a webhook's cursor (one in four another organisation's), then a claim's read of 5 reads about 7 of them from the seq index, in seq order, not its 1,000-seq window", async () => {
    await rolledBack(async (tx) => {
      const id = `${tag}ce`;
      await seed(tx, id);
      await events(tx, id, 0, 1_000, "every4thQ");
      const { records, ops, dbHits } = await profile(tx, "webhooks/claim-events", {
        partnerId: `${id}_p`,
        types: [TYPE],
        fromSeq: neo4j.int(BASE),
        after: neo4j.int(BASE),
        until: neo4j.int(BASE + 1_000),
        limit: neo4j.int(5),
      });
      expect(records.map((r) => Number(r.seq) - BASE)).toEqual([1, 2, 3, 5, 6]);
      const seek = ops.find((op) => op.type === "NodeIndexSeekByRange");
      expect(seek?.details).toContain("ChannelEvent(seq)");
      expect(seek!.rows).toBeLessThanOrEqual(10);
      expect(ops.some((op) => op.type === "Top" || op.type === "Sort" && op.rows > 5)).toBe(false);
      expect(dbHits).toBeLessThan(200);
    });
  });

  it("when the fan-out's cursor exists and 200 webhooks are active, then its lock statement (each pass's first) reads none of them", async () => {
    await rolledBack(async (tx) => {
      const id = `${tag}cl`;
      await tx.run(
        `CREATE (p:Partner {id: $id + '_p', name: 'P ' + $id, fixture: $tag})
         WITH p UNWIND range(1, 200) AS i
         CREATE (p)-[:HAS_WEBHOOK]->(:Webhook {id: $id + '_w' + i, url: 'http://127.0.0.1:9/', events: [$type], active: true, secretSealed: 'x',
           fromSeq: $base, deliveredSeq: $base, fannedOutSeq: $base})`,
        { id, tag, type: TYPE, base: neo4j.int(BASE) },
      );
      // Held until the rollback, a few milliseconds: other files' fan-out passes wait that long.
      // (On a fresh test database no pass has made the cursor yet: made here, as a pass would.)
      if ((await tx.run(cypher("webhooks/cursor-lock"))).records.length === 0) await tx.run(cypher("webhooks/cursor-create"));
      const { records, ops } = await profile(tx, "webhooks/cursor-lock", {});
      expect(records).toHaveLength(1);
      const webhookReads = ops.filter((op) => /:Webhook\b/.test(op.details));
      expect(webhookReads.map((op) => `${op.type} rows=${op.rows}`)).toEqual(webhookReads.map((op) => `${op.type} rows=0`));
    });
  });
});
