import neo4j from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { days, ManualClock } from "../../src/shared/clock.js";
import { hashPassword } from "../../src/shared/auth/password.js";
import { newId } from "../../src/shared/ids.js";
import { readMigrations } from "../../src/shared/neo4j/migrate.js";
import { cypher, cypherFragment } from "../../src/shared/neo4j/queries.js";
import { startTestApp, uniqueTag, type TestApp } from "../support/app.js";
import { listKeyOf } from "../support/fixtures.js";

/**
 * delegatedAdminRelationships at scale (D-25, issue 13): a reseller holds the default relationship
 * with each of its customers (~146k for the largest at 1M customers), so a page must be an ordered
 * seek of the HOLDS_DELEGATED_ADMIN listKey index (migrations/0011) that stops after `first`
 * entries, never a sort of all of them. Profiled on a reseller with 20,000 relationships (raw
 * Cypher, in batches) against one with 10: the unfiltered first page, a deep page and a customer's
 * relationships read the same few hundred db hits for both; totalCount is the degree (count store).
 */

const tag = uniqueTag();
const bigTag = `${tag}gdapbig`;
const clock = new ManualClock();
let app: TestApp;
const BIG = 20_000;
const SMALL = 10;
const password = `Gdap-scale-Passw0rd-${tag}`;

interface Org {
  resellerId: string;
  email: string;
  /** Relationship ids newest first (the list's order). */
  newestFirst: string[];
  customerIds: string[];
}
let big: Org;
let small: Org;

async function inSession<T>(work: (session: neo4j.Session) => Promise<T>): Promise<T> {
  const session = app.executor.driver.session({ database: inject("neo4j").database });
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}

/**
 * A reseller with `n` customers and the default relationship with each (as acceptances, imports
 * and seed:scale make them), created one second apart, so newest first is the reverse of the
 * customers' order; relationship i has id `<reseller>_<i>` padded, so ids never tie.
 */
async function reseller(n: number, label: string): Promise<Org> {
  const resellerId = newId("Partner");
  const domain = `${label}-${tag}.example`;
  const email = `ga@${domain}`;
  const base = Date.parse("2024-01-01T00:00:00.000Z");
  await app.cypher(
    `CREATE (r:Partner:Reseller {id: $resellerId, kind: 'RESELLER', name: 'GDAP ' + $resellerId, nameLower: 'gdap ' + $resellerId,
       tenantDomain: $domain, enrollmentStatus: 'ACTIVE', countryCode: 'US', fixture: $bigTag, createdAt: datetime()})
     CREATE (:User {id: $userId, email: $email, displayName: 'GA', agentRole: 'ADMIN_AGENT', adminRole: 'GLOBAL_ADMIN',
       passwordHash: $hash, mustChangePassword: false, fixture: $bigTag, createdAt: datetime()})-[:MEMBER_OF]->(r)`,
    { resellerId, domain, email, bigTag, userId: newId("User"), hash: await hashPassword(password) },
  );
  await inSession((session) =>
    session.run(
      `MATCH (r:Partner {id: $resellerId})
       CALL (r) {
         UNWIND range(1, $n) AS i
         WITH r, i, right('0000000' + toString(i), 7) AS seq
         CREATE (c:Customer {id: $resellerId + '_c' + seq, companyName: 'GDAP ' + seq, companyNameLower: 'gdap ' + seq,
           domain: 'gdap' + seq + '-' + $resellerId + '.example', fixture: $bigTag})
         CREATE (r)-[:RESELLER_OF_RECORD {since: datetime(), listKey: ${listKeyOf("r", "c")}}]->(c)
         CREATE (r)-[held:HOLDS_DELEGATED_ADMIN]->(g:DelegatedAdminRelationship {
           id: 'gda_' + $resellerId + '_' + seq, ${cypherFragment("delegated-admin-default", "datetime({epochMillis: $base + i * 1000})")}, fixture: $bigTag
         })-[:FOR_CUSTOMER]->(c)
         SET held.listKey = ${cypherFragment("delegated-admin-list-key", "r", "g")}
       } IN TRANSACTIONS OF 5000 ROWS`,
      { resellerId, n: neo4j.int(n), base: neo4j.int(base), bigTag },
    ),
  );
  const seq = (i: number) => String(i).padStart(7, "0");
  return {
    resellerId,
    email,
    newestFirst: Array.from({ length: n }, (_, k) => `gda_${resellerId}_${seq(n - k)}`),
    customerIds: Array.from({ length: n }, (_, k) => `${resellerId}_c${seq(k + 1)}`),
  };
}

interface PlanNode {
  operatorType: string;
  dbHits?: number;
  rows?: number;
  children?: PlanNode[];
}
interface Profiled {
  dbHits: number;
  operators: { operator: string; rows: number; dbHits: number }[];
  rows: { totalCount: number; nodes: { id: string; status: string }[] };
}

function flatten(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.children ?? []).flatMap(flatten)];
}

/** delegated-admin/list as the API runs it, under PROFILE. */
async function profileList(
  org: Org,
  options: { status?: string; customerId?: string; first?: number; after?: { key: string; id: string } } = {},
): Promise<Profiled> {
  const params = {
    viewerPartnerId: org.resellerId,
    status: options.status ?? null,
    customerId: options.customerId ?? null,
    now: neo4j.int(clock.now()),
    limit: neo4j.int((options.first ?? 20) + 1),
    afterKey: options.after?.key ?? null,
    afterId: options.after?.id ?? null,
  };
  return inSession(async (session) => {
    const result = await session.run(`PROFILE ${cypher("delegated-admin/list")}`, params);
    const operators = flatten(result.summary.profile as unknown as PlanNode).map((p) => ({
      operator: p.operatorType.replace(/@.*$/, ""),
      rows: Number(p.rows ?? 0),
      dbHits: Number(p.dbHits ?? 0),
    }));
    const record = result.records[0]!;
    return {
      dbHits: operators.reduce((a, o) => a + o.dbHits, 0),
      operators,
      rows: {
        totalCount: Number(record.get("totalCount")),
        nodes: (record.get("nodes") as { id: string; status: string }[]).map((n) => ({ id: n.id, status: n.status })),
      },
    };
  });
}

function describePlan(p: Profiled): string {
  return p.operators.map((o) => `${o.operator}(rows ${o.rows}, hits ${o.dbHits})`).join(" <- ");
}

beforeAll(async () => {
  app = await startTestApp({}, { clock });
  big = await reseller(BIG, "big");
  small = await reseller(SMALL, "small");
}, 240_000);

afterAll(async () => {
  if (app) {
    await inSession((session) => session.run("MATCH (n {fixture: $bigTag}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS", { bigTag }));
  }
  await app?.close();
});

describe("delegatedAdminRelationships at scale (D-25, migrations/0011)", () => {
  it("when a reseller with 20,000 relationships reads its first page, then it is an ordered seek of the listKey index that stops after the page (no sort of all of them; totalCount from the degree): db hits as for a reseller with 10", async () => {
    const large = await profileList(big);
    const few = await profileList(small);
    console.log(`[gdap list] first page, ${BIG} relationships: ${large.dbHits} db hits: ${describePlan(large)}`);
    console.log(`[gdap list] first page, ${SMALL} relationships: ${few.dbHits} db hits`);
    expect(large.rows.totalCount).toBe(BIG);
    expect(large.rows.nodes.map((n) => n.id)).toEqual(big.newestFirst.slice(0, 21));
    expect(few.rows.nodes.map((n) => n.id)).toEqual(small.newestFirst);
    // The seek, in index order: no operator handles more rows than the page (+1 for hasNextPage).
    expect(large.operators.some((o) => /RelationshipIndexSeekByRange/.test(o.operator))).toBe(true);
    for (const o of large.operators) expect(o.rows, `${o.operator} rows`).toBeLessThanOrEqual(21);
    expect(large.operators.filter((o) => /Sort|Top/.test(o.operator)).every((o) => o.rows <= 21)).toBe(true);
    expect(large.dbHits).toBeLessThan(2_000);
    expect(large.dbHits).toBeLessThanOrEqual(few.dbHits * 3 + 100);
  });

  it("when it reads a deep page through the API (after the 10,000th), then the page is the next 20 newest-first and costs what the first does", async () => {
    const first = await profileList(big);
    const tenThousandth = big.newestFirst[9_999]!;
    const [row] = await app.cypher<{ createdAt: string }>("MATCH (g:DelegatedAdminRelationship {id: $id}) RETURN toString(g.createdAt) AS createdAt", {
      id: tenThousandth,
    });
    const deep = await profileList(big, { after: { key: new Date(Date.parse(row.createdAt)).toISOString(), id: tenThousandth } });
    console.log(`[gdap list] page after the 10,000th: ${deep.dbHits} db hits (first page: ${first.dbHits})`);
    expect(deep.rows.nodes.map((n) => n.id)).toEqual(big.newestFirst.slice(10_000, 10_021));
    expect(deep.dbHits).toBeLessThanOrEqual(first.dbHits + 100);

    // The same through the API: the cursor of the 20th row leads to the 21st.
    const token = await app.signIn(big.email, password);
    const page1 = await app.lifecycle<{ delegatedAdminRelationships: { totalCount: number; pageInfo: { endCursor: string; hasNextPage: boolean }; edges: { node: { id: string } }[] } }>(
      "DelegatedAdminRelationships",
      { first: 20 },
      token,
    );
    expect(page1.errors).toBeUndefined();
    expect(page1.data!.delegatedAdminRelationships.totalCount).toBe(BIG);
    expect(page1.data!.delegatedAdminRelationships.edges.map((e) => e.node.id)).toEqual(big.newestFirst.slice(0, 20));
    const page2 = await app.lifecycle<{ delegatedAdminRelationships: { edges: { node: { id: string } }[] } }>(
      "DelegatedAdminRelationships",
      { first: 20, after: page1.data!.delegatedAdminRelationships.pageInfo.endCursor },
      token,
    );
    expect(page2.data!.delegatedAdminRelationships.edges.map((e) => e.node.id)).toEqual(big.newestFirst.slice(20, 40));
  });

  it("when it filters by customer, then the read starts at the customer: db hits as for the reseller with 10", async () => {
    const customerId = big.customerIds[12_345]!;
    const one = await profileList(big, { customerId });
    const few = await profileList(small, { customerId: small.customerIds[3]! });
    console.log(`[gdap list] customerId filter, ${BIG} relationships: ${one.dbHits} db hits (${SMALL}: ${few.dbHits}): ${describePlan(one)}`);
    expect(one.rows.totalCount).toBe(1);
    expect(one.rows.nodes.map((n) => n.id)).toEqual([big.newestFirst[BIG - 1 - 12_345]]);
    for (const o of one.operators) expect(o.rows, `${o.operator} rows`).toBeLessThanOrEqual(21);
    expect(one.dbHits).toBeLessThanOrEqual(few.dbHits + 100);
  });

  it("when it filters by status (computed at the clock's time), then the page walks the index in order until it has the page, and totalCount reads every relationship once (what a status filter costs)", async () => {
    // All 20,000 read ACTIVE (730 days, auto-extending): an ACTIVE page stops after 21 entries.
    const active = await profileList(big, { status: "ACTIVE" });
    // None reads TERMINATED: the page walks the whole range to find that out.
    const terminated = await profileList(big, { status: "TERMINATED" });
    console.log(`[gdap list] status ACTIVE: ${active.dbHits} db hits; status TERMINATED (none): ${terminated.dbHits} db hits`);
    expect(active.rows.totalCount).toBe(BIG);
    expect(active.rows.nodes.map((n) => n.id)).toEqual(big.newestFirst.slice(0, 21));
    expect(terminated.rows).toEqual({ totalCount: 0, nodes: [] });

    // Two years and a day later every relationship has auto-extended: still ACTIVE, none EXPIRED.
    clock.advance(days(731));
    try {
      const later = await profileList(big, { status: "EXPIRED", first: 5 });
      expect(later.rows).toEqual({ totalCount: 0, nodes: [] });
    } finally {
      clock.reset();
    }
  });

  it("when migrations/0011 runs on relationships without a listKey, then it creates the range index and keys them in batches as the fragment does; a second run changes nothing", async () => {
    const migration = readMigrations().find((m) => m.name.startsWith("0011_"));
    expect(migration, "cypher/migrations/0011_*").toBeDefined();
    const [index, backfill, ...rest] = migration!.statements;
    expect(rest).toEqual([]);
    expect(index).toMatch(/^CREATE INDEX holds_delegated_admin_list_key IF NOT EXISTS FOR \(\)-\[e:HOLDS_DELEGATED_ADMIN\]-\(\) ON \(e\.listKey\)$/);
    expect(backfill).toMatch(/WHERE e\.listKey IS NULL[\s\S]*IN TRANSACTIONS OF \d+ ROWS$/);
    const [state] = await app.cypher<{ state: string; type: string }>(
      "SHOW INDEXES YIELD name, state, type WHERE name = 'holds_delegated_admin_list_key' RETURN state, type",
    );
    expect(state).toEqual({ state: "ONLINE", type: "RANGE" });

    // This file's small reseller only (the statement scoped to it), its keys removed as before 0011.
    const scoped = backfill!.replace(/^MATCH \(p:Partner\)/, "MATCH (p:Partner {id: $resellerId})");
    expect(scoped).not.toBe(backfill);
    const keys = () =>
      app.cypher<{ id: string; key: string | null; expected: string }>(
        `MATCH (p:Partner {id: $resellerId})-[e:HOLDS_DELEGATED_ADMIN]->(g) RETURN g.id AS id, e.listKey AS key,
           ${cypherFragment("delegated-admin-list-key", "p", "g")} AS expected ORDER BY id`,
        { resellerId: small.resellerId },
      );
    const before = await keys();
    expect(before).toHaveLength(SMALL);
    expect(before.every((k) => k.key === k.expected)).toBe(true);
    await app.cypher("MATCH (:Partner {id: $resellerId})-[e:HOLDS_DELEGATED_ADMIN]->() REMOVE e.listKey", { resellerId: small.resellerId });
    expect(await profileList(small).then((p) => p.rows.nodes)).toEqual([]);
    for (let run = 0; run < 2; run++) {
      await inSession((session) => session.run(scoped, { resellerId: small.resellerId }));
      expect(await keys()).toEqual(before);
    }
    expect((await profileList(small)).rows.nodes.map((n) => n.id)).toEqual(small.newestFirst);
  });
});
