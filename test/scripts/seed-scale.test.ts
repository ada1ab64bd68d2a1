import neo4j, { type Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  ROLES,
  ScaleConflict,
  decide,
  generateCustomers,
  planChannel,
  readScaleState,
  scaleShape,
  seedScale,
  wipeScale,
  type SeedReport,
} from "../../scripts/seed-scale.js";
import { SCALE_SHAPE, type ProgressEvent } from "../../scripts/seed-scale/write.js";
import { verifyPassword } from "../../src/shared/auth/password.js";
import { cypherFragment } from "../../src/shared/neo4j/queries.js";
import { kindOfId } from "../../src/shared/ids.js";

const settings = inject("neo4j");
const N = 2_000;
const SEED = 7;
const PASSWORD = "scale-test-Passw0rd";
let driver: Driver;
let report: SeedReport;
const progress: ProgressEvent[] = [];

async function query<T = Record<string, unknown>>(cypher: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await driver.executeQuery(cypher, params, { database: settings.database });
  return result.records.map((r) => {
    const row = r.toObject() as Record<string, unknown>;
    for (const [k, v] of Object.entries(row)) if (neo4j.isInt(v)) row[k] = (v as { toNumber(): number }).toNumber();
    return row as T;
  });
}

// The demo channel of DEMO.md, by its fixed keys: other test files add partners and customers
// of their own while this one runs, so "everything not synthetic" would not stay still.
const DEMO_KEYS = {
  mpnIds: ["1000001", "1000002", "2000001", "2000002", "2000003", "2000004"],
  domains: [
    "alpineskihouse.example", "blueyonder.example", "citypower.example", "cohowinery.example", "fourthcoffee.example",
    "graphicdesign.example", "humongous.example", "lucerne.example", "margiestravel.example", "proseware.example",
    "treyresearch.example", "wingtiptoys.example",
  ],
};
const DEMO_COUNTS = `RETURN COUNT { MATCH (p:Partner) WHERE p.mpnId IN $mpnIds AND p.scale IS NULL } AS partners,
  COUNT { MATCH (c:Customer) WHERE c.domain IN $domains AND c.scale IS NULL } AS customers,
  COUNT { MATCH (o:Offer) WHERE o.scale IS NULL } AS offers`;

async function one<T = Record<string, unknown>>(cypher: string, params: Record<string, unknown> = {}): Promise<T> {
  return (await query<T>(cypher, params))[0];
}

/** Generated ids of the whole channel, in memory (no database). */
function generatedIds(customers: number, seed: number) {
  const plan = planChannel({ customers, seed });
  const rows = generateCustomers(plan, 0, customers);
  return {
    partners: [...plan.providers, ...plan.resellers].map((p) => p.id),
    users: plan.users.map((u) => u.id),
    customers: rows.map((c) => c.id),
    subscriptions: rows.flatMap((c) => c.subscriptions.map((s) => s.id)),
    orders: rows.flatMap((c) => c.orders.map((o) => o.id)),
  };
}

beforeAll(async () => {
  driver = neo4j.driver(settings.uri, neo4j.auth.basic(settings.username, settings.password));
  const state = await readScaleState(driver, settings.database);
  // Left over by an interrupted run of this very test: remove it; anything else is not ours.
  if (state.runs.some((r) => r.customers !== N || r.seed !== SEED) || (state.runs.length === 0 && state.dataPresent)) {
    throw new Error(`the test database holds synthetic data this test did not write: ${JSON.stringify(state)}`);
  }
  if (state.runs.length > 0) await wipeScale(driver, settings.database);
  // The default batch size (issue 12, point 7: progress moves at least every 1,000 customers).
  report = await seedScale(driver, {
    database: settings.database,
    customers: N,
    seed: SEED,
    password: PASSWORD,
    writers: 2,
    onProgress: (event) => progress.push({ ...event }),
  });
}, 180_000);

afterAll(async () => {
  if (driver) {
    await wipeScale(driver, settings.database); // no-op after the wipe test; cleans up if it never ran
    await driver.close();
  }
}, 180_000);

describe("seed:scale, the synthetic channel at scale (real Neo4j)", () => {
  it("when the shape is computed, then providers ≈ resellers / 50 (at least 1) and resellers ≈ customers / 100", () => {
    expect(scaleShape(N)).toEqual({ customers: N, resellers: 20, providers: 1 });
    expect(scaleShape(10_000)).toEqual({ customers: 10_000, resellers: 100, providers: 2 });
    expect(scaleShape(100_000)).toEqual({ customers: 100_000, resellers: 1_000, providers: 20 });
    expect(scaleShape(1_000_000)).toEqual({ customers: 1_000_000, resellers: 10_000, providers: 200 });
    expect(scaleShape(1)).toEqual({ customers: 1, resellers: 1, providers: 1 });
  });

  it("when 2,000 customers are seeded with seed 7, then the database holds them with 20 resellers and 1 provider, all marked scale", async () => {
    expect(report.outcome).toBe("loaded");
    expect(report.written).toMatchObject({ customers: N, resellers: 20, providers: 1 });
    const counts = await one<Record<string, number>>(
      `RETURN COUNT { MATCH (c:Customer) WHERE c.scale = true AND c.scaleSeed = $seed } AS customers,
              COUNT { MATCH (p:Reseller) WHERE p.scale = true AND p.scaleSeed = $seed } AS resellers,
              COUNT { MATCH (p:Provider) WHERE p.scale = true AND p.scaleSeed = $seed } AS providers,
              COUNT { MATCH (s:Subscription) WHERE s.scale = true AND s.scaleSeed = $seed } AS subscriptions,
              COUNT { MATCH (u:User) WHERE u.scale = true AND u.scaleSeed = $seed } AS users,
              COUNT { MATCH (:Subscription {scale: true})<-[:HAS_SUBSCRIPTION]-(c:Customer) WHERE c.scale IS NULL } AS foreignSubscriptions`,
      { seed: neo4j.int(SEED) },
    );
    expect(counts).toEqual({
      customers: N,
      resellers: 20,
      providers: 1,
      subscriptions: report.written.subscriptions,
      users: report.written.users,
      foreignSubscriptions: 0,
    });
    // 1..4 per customer: between 1 and 4 on average, and E3 the most common offer.
    expect(counts.subscriptions / N).toBeGreaterThan(1.5);
    expect(counts.subscriptions / N).toBeLessThan(2.5);
    const offers = await query<{ name: string; n: number }>(
      "MATCH (s:Subscription {scale: true})-[:OF_OFFER]->(o:Offer) RETURN o.name AS name, count(*) AS n ORDER BY n DESC",
    );
    expect(offers[0].name).toBe("Microsoft 365 E3");
  });

  it("when 2,000 customers are seeded with the default batch size, then progress is reported at least once per 1,000 customers, up to all 2,000 (issue 12, point 7)", () => {
    const customers = progress.filter((e) => e.phase === "customers").map((e) => e.done);
    expect(customers[0]).toBe(0);
    const steps = customers.slice(1).map((done, i) => done - customers[i]!);
    expect(Math.max(...steps)).toBeLessThanOrEqual(1_000);
    expect(steps.length).toBeGreaterThanOrEqual(N / 1_000);
    expect(customers.at(-1)).toBe(N);
  });

  it("when the customers are read, then each has 1..3 resellers of record, or is a provider's direct customer (~1%), and ~80% share a provider", async () => {
    const rows = await query<{ resellers: number; providers: number; minSubs: number; maxSubs: number; n: number }>(
      `MATCH (c:Customer {scale: true})
       WITH COUNT { (:Reseller)-[:RESELLER_OF_RECORD]->(c) } AS resellers, COUNT { (:Provider)-[:RESELLER_OF_RECORD]->(c) } AS providers,
            COUNT { (c)-[:HAS_SUBSCRIPTION]->() } AS subscriptions
       RETURN resellers, providers, min(subscriptions) AS minSubs, max(subscriptions) AS maxSubs, count(*) AS n`,
    );
    const total = rows.reduce((sum, r) => sum + r.n, 0);
    expect(total).toBe(N);
    for (const r of rows) {
      if (r.resellers === 0) expect(r.providers).toBe(1); // a provider's direct customer
      else expect(r.resellers).toBeLessThanOrEqual(3);
      expect(r.minSubs).toBeGreaterThanOrEqual(1);
      expect(r.maxSubs).toBeLessThanOrEqual(4);
    }
    const direct = rows.filter((r) => r.resellers === 0).reduce((sum, r) => sum + r.n, 0);
    const shared = rows.filter((r) => r.resellers > 0 && r.providers > 0).reduce((sum, r) => sum + r.n, 0);
    expect(direct / N).toBeLessThan(0.03);
    expect(shared / N).toBeGreaterThan(0.72);
    expect(shared / N).toBeLessThan(0.88);
    // Skewed: the biggest reseller has many times the customers of the median one.
    const sizes = await query<{ n: number }>(
      "MATCH (r:Reseller {scale: true, enrollmentStatus: 'ACTIVE'}) RETURN COUNT { (r)-[:RESELLER_OF_RECORD]->() } AS n ORDER BY n DESC",
    );
    expect(sizes[0].n).toBeGreaterThan(4 * sizes[Math.floor(sizes.length / 2)].n);
  });

  it("when the partnerships are read, then every ACTIVE reseller has 1..3 providers and a provider is of record only via one of its resellers (or for a direct customer)", async () => {
    const partnerships = await one<{ min: number; max: number; underReviewEdges: number }>(
      `MATCH (r:Reseller {scale: true})
       WITH r, COUNT { (:Provider)-[:INDIRECT_PROVIDER_OF]->(r) } AS n
       RETURN min(CASE WHEN r.enrollmentStatus = 'ACTIVE' THEN n END) AS min, max(n) AS max,
              sum(CASE WHEN r.enrollmentStatus <> 'ACTIVE' THEN n + COUNT { (r)-[:RESELLER_OF_RECORD]->() } ELSE 0 END) AS underReviewEdges`,
    );
    expect(partnerships.min).toBeGreaterThanOrEqual(1);
    expect(partnerships.max).toBeLessThanOrEqual(3);
    expect(partnerships.underReviewEdges).toBe(0);
    const strays = await one<{ n: number }>(
      `MATCH (p:Provider)-[:RESELLER_OF_RECORD]->(c:Customer {scale: true})
       WHERE EXISTS { (:Reseller)-[:RESELLER_OF_RECORD]->(c) }
         AND NOT EXISTS { (p)-[:INDIRECT_PROVIDER_OF]->(:Reseller)-[:RESELLER_OF_RECORD]->(c) }
       RETURN count(*) AS n`,
    );
    expect(strays.n).toBe(0);
  });

  it("when the subscriptions are read, then each is SOLD_THROUGH a reseller of record of its customer and ORDERED_BY a provider of record that is that reseller's provider", async () => {
    const check = await one<Record<string, number>>(
      `MATCH (c:Customer {scale: true})-[:HAS_SUBSCRIPTION]->(s:Subscription)
       OPTIONAL MATCH (s)-[:SOLD_THROUGH]->(r)
       OPTIONAL MATCH (s)-[:ORDERED_BY]->(p)
       WITH c, s, r, p,
            EXISTS { (:Reseller)-[:RESELLER_OF_RECORD]->(c) } AS hasReseller,
            EXISTS { (:Provider)-[:RESELLER_OF_RECORD]->(c) } AS hasProvider
       RETURN count(s) AS subscriptions,
              count(CASE WHEN hasReseller AND r IS NULL THEN 1 END) AS resellerMissing,
              count(CASE WHEN r IS NOT NULL AND NOT (r:Reseller AND EXISTS { (r)-[:RESELLER_OF_RECORD]->(c) }) THEN 1 END) AS resellerNotOfRecord,
              count(CASE WHEN hasProvider AND p IS NULL THEN 1 END) AS providerMissing,
              count(CASE WHEN p IS NOT NULL AND NOT (p:Provider AND EXISTS { (p)-[:RESELLER_OF_RECORD]->(c) }) THEN 1 END) AS providerNotOfRecord,
              count(CASE WHEN p IS NOT NULL AND r IS NOT NULL AND NOT EXISTS { (p)-[:INDIRECT_PROVIDER_OF]->(r) } THEN 1 END) AS notTheirReseller,
              count(CASE WHEN p IS NULL AND r IS NULL THEN 1 END) AS orphan,
              count(CASE WHEN COUNT { (s)-[:SOLD_THROUGH]->() } > 1 OR COUNT { (s)-[:ORDERED_BY]->() } > 1 THEN 1 END) AS doubled,
              count(CASE WHEN valueType(s.quantity) <> 'INTEGER NOT NULL' OR s.quantity < 1 OR s.quantity > 500 THEN 1 END) AS badQuantity,
              count(CASE WHEN valueType(s.createdAt) <> 'ZONED DATETIME NOT NULL' OR s.createdAt < c.createdAt THEN 1 END) AS badCreatedAt`,
    );
    expect(check.subscriptions).toBe(report.written.subscriptions);
    expect(check).toMatchObject({
      resellerMissing: 0,
      resellerNotOfRecord: 0,
      providerMissing: 0,
      providerNotOfRecord: 0,
      notTheirReseller: 0,
      orphan: 0,
      doubled: 0,
      badQuantity: 0,
      badCreatedAt: 0,
    });
  });

  it("when the orders are read, then every subscription ORDERED_BY a provider and SOLD_THROUGH a reseller was CREATED by one order, shaped as orders/create.cypher makes it (D-19)", async () => {
    expect(report.written.orders).toBeGreaterThan(0);
    const subscriptions = await one<Record<string, number>>(
      `MATCH (s:Subscription {scale: true})
       WITH s, EXISTS { (s)-[:ORDERED_BY]->() } AND EXISTS { (s)-[:SOLD_THROUGH]->() } AS ordered, COUNT { (s)<-[:CREATED]-(:Order) } AS orders
       RETURN count(CASE WHEN ordered THEN 1 END) AS ordered,
              count(CASE WHEN ordered AND orders <> 1 THEN 1 END) AS notOnce,
              count(CASE WHEN NOT ordered AND orders <> 0 THEN 1 END) AS unexpected`,
    );
    expect(subscriptions).toEqual({ ordered: report.written.orderLineItems, notOnce: 0, unexpected: 0 });
    const check = await one<Record<string, number | string[][]>>(
      `MATCH (o:Order {scale: true})
       WITH o, COLLECT { MATCH (o)-[:CREATED]->(s:Subscription) RETURN s } AS subs,
            COLLECT { MATCH (o)-[:FOR_CUSTOMER]->(c:Customer) RETURN c } AS customers,
            COLLECT { MATCH (o)-[:PLACED_BY]->(p:Provider) RETURN p } AS providers,
            COLLECT { MATCH (o)-[:ON_RECORD_FOR]->(r:Reseller) RETURN r } AS resellers
       WITH o, subs, customers[0] AS c, providers[0] AS p, resellers[0] AS r,
            size(customers) = 1 AND size(providers) = 1 AND size(resellers) = 1 AS oneEach
       RETURN count(o) AS orders,
              sum(size(subs)) AS lineItems,
              count(CASE WHEN size(subs) > 1 THEN 1 END) AS multiLine,
              collect(DISTINCT keys(o)) AS keys,
              count(CASE WHEN NOT oneEach THEN 1 END) AS notOneEach,
              count(CASE WHEN o.status <> 'COMPLETED' OR valueType(o.createdAt) <> 'ZONED DATETIME NOT NULL'
                           OR valueType(o.offerIds) <> 'LIST<STRING NOT NULL> NOT NULL' OR valueType(o.quantities) <> 'LIST<INTEGER NOT NULL> NOT NULL' THEN 1 END) AS badProperties,
              count(CASE WHEN o.partnerIdOnRecord <> r.mpnId THEN 1 END) AS badPartnerOfRecord,
              count(CASE WHEN NOT EXISTS { (p)-[:INDIRECT_PROVIDER_OF]->(r) } OR NOT EXISTS { (p)-[:RESELLER_OF_RECORD]->(c) }
                           OR NOT EXISTS { (r)-[:RESELLER_OF_RECORD]->(c) } THEN 1 END) AS notD19,
              count(CASE WHEN size(o.offerIds) <> size(subs) OR size(o.quantities) <> size(subs) OR any(s IN subs WHERE
                             s.createdAt <> o.createdAt OR NOT EXISTS { (c)-[:HAS_SUBSCRIPTION]->(s) }
                             OR NOT EXISTS { (s)-[:ORDERED_BY]->(p) } OR NOT EXISTS { (s)-[:SOLD_THROUGH]->(r) }
                             OR none(i IN range(0, size(o.offerIds) - 1) WHERE o.offerIds[i] = s.offerId AND o.quantities[i] = s.quantity)) THEN 1 END) AS badLineItems,
              count(CASE WHEN c.lastOrderedAt < o.createdAt THEN 1 END) AS lastOrderedBefore`,
    );
    expect(check).toMatchObject({
      orders: report.written.orders,
      lineItems: report.written.orderLineItems,
      notOneEach: 0,
      badProperties: 0,
      badPartnerOfRecord: 0,
      notD19: 0,
      badLineItems: 0,
      lastOrderedBefore: 0,
    });
    // Mostly one line item; the subscriptions of one customer, provider and reseller at the same instant make one order.
    expect(check.multiLine).toBeGreaterThan(0);
    expect((check.multiLine as number) / (check.orders as number)).toBeLessThan(0.1);
    // Exactly the properties orders/create.cypher writes, and the synthetic marks.
    const keys = new Set((check.keys as string[][]).map((k) => [...k].sort().join(",")));
    expect([...keys]).toEqual(["createdAt,id,offerIds,partnerIdOnRecord,quantities,scale,scaleSeed,status"]);
    // The orders list's keys (migrations/0010) on both edges, as orders/create.cypher sets them.
    const listKeys = await one<{ edges: number; wrong: number }>(
      `MATCH (o:Order {scale: true})-[e:PLACED_BY|ON_RECORD_FOR]->(p:Partner)
       RETURN count(e) AS edges, count(CASE WHEN e.listKey IS NULL OR e.listKey <> ${cypherFragment("order-list-key", "p", "o")} THEN 1 END) AS wrong`,
    );
    expect(listKeys).toEqual({ edges: 2 * report.written.orders, wrong: 0 });
    // submitOrder sets Customer.lastOrderedAt: the newest order's time, and only on customers with orders.
    const last = await one<{ wrong: number }>(
      `MATCH (c:Customer {scale: true})
       WITH c, COLLECT { MATCH (o:Order)-[:FOR_CUSTOMER]->(c) RETURN o.createdAt ORDER BY o.createdAt DESC LIMIT 1 } AS newest
       RETURN count(CASE WHEN (c.lastOrderedAt IS NULL) <> (size(newest) = 0) OR c.lastOrderedAt <> newest[0] THEN 1 END) AS wrong`,
    );
    expect(last.wrong).toBe(0);
  });

  it("when the partners and users are read, then MPN IDs, domains and emails follow the scheme and each ACTIVE partner has one user per role", async () => {
    const partners = await query<{ mpnId: string; kind: string; domain: string; status: string; users: string[]; created: string }>(
      `MATCH (p:Partner {scale: true})
       RETURN p.mpnId AS mpnId, p.kind AS kind, p.tenantDomain AS domain, p.enrollmentStatus AS status,
              valueType(p.createdAt) AS created, COLLECT { MATCH (u:User)-[:MEMBER_OF]->(p) RETURN u.email ORDER BY u.email } AS users`,
    );
    expect(partners).toHaveLength(21);
    for (const p of partners) {
      expect(p.mpnId).toMatch(p.kind === "PROVIDER" ? /^5\d{7}$/ : /^6\d{7}$/);
      expect(p.domain).toMatch(p.kind === "PROVIDER" ? /^prv-\d{5}-s7\.example$/ : /^rsl-\d{6}-s7\.example$/);
      expect(p.created).toBe("ZONED DATETIME NOT NULL");
      const roles = p.status === "ACTIVE" ? ROLES.map((r) => r.local) : ["ga"];
      expect(p.users).toEqual(roles.map((r) => `${r}@${p.domain}`).sort());
    }
    const hashes = await query<{ hash: string }>("MATCH (u:User {scale: true}) RETURN DISTINCT u.passwordHash AS hash");
    expect(hashes).toHaveLength(1);
    expect(await verifyPassword(PASSWORD, hashes[0].hash)).toBe(true);
    const domains = await one<{ n: number; distinct: number; pattern: number }>(
      `MATCH (c:Customer {scale: true})
       RETURN count(c) AS n, count(DISTINCT c.domain) AS distinct,
              count(CASE WHEN c.domain =~ 'cust-\\\\d{7}-s7\\\\.example' AND c.companyNameLower = toLower(c.companyName) THEN 1 END) AS pattern`,
    );
    expect(domains).toEqual({ n: N, distinct: N, pattern: N });
  });

  it("when the channel is generated twice in memory, then the ids are the same (and those in the database); another seed gives other ids", async () => {
    const first = generatedIds(N, SEED);
    const second = generatedIds(N, SEED);
    expect(second).toEqual(first);
    for (const [kind, ids] of [
      ["Partner", first.partners],
      ["User", first.users],
      ["Customer", first.customers],
      ["Subscription", first.subscriptions],
      ["Order", first.orders],
    ] as const) {
      expect(new Set(ids.map((id) => kindOfId(id)))).toEqual(new Set([kind]));
      expect(new Set(ids).size).toBe(ids.length);
    }
    const other = generatedIds(N, SEED + 1);
    expect(other.customers.filter((id) => first.customers.includes(id))).toEqual([]);

    const stored = await one<{ customers: string[]; subscriptions: string[]; orders: string[]; partners: string[]; users: string[] }>(
      `RETURN COLLECT { MATCH (c:Customer {scale: true}) RETURN c.id } AS customers,
              COLLECT { MATCH (o:Order {scale: true}) RETURN o.id } AS orders,
              COLLECT { MATCH (s:Subscription {scale: true}) RETURN s.id } AS subscriptions,
              COLLECT { MATCH (p:Partner {scale: true}) RETURN p.id } AS partners,
              COLLECT { MATCH (u:User {scale: true}) RETURN u.id } AS users`,
    );
    expect(new Set(stored.customers)).toEqual(new Set(first.customers));
    expect(new Set(stored.subscriptions)).toEqual(new Set(first.subscriptions));
    expect(new Set(stored.orders)).toEqual(new Set(first.orders));
    expect(new Set(stored.partners)).toEqual(new Set(first.partners));
    expect(new Set(stored.users)).toEqual(new Set(first.users));
  });

  it("when seeded again, then the same size and seed is left as it is and another one is refused", async () => {
    const again = await seedScale(driver, { database: settings.database, customers: N, seed: SEED });
    expect(again.outcome).toBe("already-loaded");
    await expect(seedScale(driver, { database: settings.database, customers: N + 1, seed: SEED })).rejects.toThrow(ScaleConflict);
    await expect(seedScale(driver, { database: settings.database, customers: N, seed: SEED + 1 })).rejects.toThrow(/--wipe/);
    const { runs } = await readScaleState(driver, settings.database);
    expect(runs).toEqual([expect.objectContaining({ customers: N, seed: SEED, shape: SCALE_SHAPE, complete: true })]);
    // The same size and seed written by a seed:scale before orders (no `shape` on its ScaleRun) is not what this one loads.
    expect(() => decide({ runs: [{ ...runs[0], shape: 1 }], dataPresent: true }, N, SEED)).toThrow(/older seed:scale, shape 1: no orders/);
  });

  it("when wiped, then no synthetic node is left and the demo channel is untouched", async () => {
    const demoBefore = await one<{ partners: number; customers: number; offers: number }>(
      DEMO_COUNTS,
      DEMO_KEYS,
    );
    const deleted = await wipeScale(driver, settings.database);
    expect(deleted.Customer).toBe(N);
    expect(deleted.ScaleRun).toBe(1);
    const left = await one<{ n: number }>("MATCH (n) WHERE n.scale = true RETURN count(n) AS n");
    expect(left.n).toBe(0);
    const demoAfter = await one<{ partners: number; customers: number; offers: number }>(
      DEMO_COUNTS,
      DEMO_KEYS,
    );
    expect(demoAfter).toEqual(demoBefore);
    expect(demoAfter).toEqual({ partners: 6, customers: 12, offers: 4 });
    expect((await readScaleState(driver, settings.database)).runs).toEqual([]);
  });
});
