import neo4j, { type Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_CUSTOMERS, DEMO_PROVIDERS, DEMO_RESELLERS } from "../../src/demo/demo-data.js";
import { demoParameters } from "../../src/demo/load-demo.js";
import { cypher } from "../../src/shared/neo4j/queries.js";
import { newId } from "../../src/shared/ids.js";
import { readMigrations } from "../../src/shared/neo4j/migrate.js";
import { startTestApp, uniqueTag } from "../support/app.js";
import { listKeyOf } from "../support/fixtures.js";

/**
 * Migration 0009 (D-25, issue 13): every legacy `delegatedAdmin` grant becomes the default
 * granular relationship, in batches, idempotently. Run on a copy of the demo channel as the demo
 * loader built it before GDAP (DEMO.md: each reseller's relationship with delegatedAdmin = true,
 * each provider's false), made under a unique tag with fresh ids. The shared test database holds
 * other files' data meanwhile, so each statement of the migration runs scoped to this copy: its
 * first MATCH gets `{migrationTag: $tag}` on the partner, and nothing else of the statement changes
 * (the test fails if the migration's text no longer has that MATCH).
 */

const settings = inject("neo4j");
let driver: Driver;
const tag = uniqueTag();
const SINCE = "2024-03-01T09:00:00.000Z";
/** One reseller edge carries delegatedAdminSince (an accepted C4 request): it wins over since. */
const GRANTED = "2025-01-10T12:00:00.000Z";
const DAY = 24 * 60 * 60 * 1000;

const partnerIds = new Map<string, string>();
const providerNames = new Set(DEMO_PROVIDERS.map((p) => p.name));
interface Edge {
  partnerId: string;
  customerId: string;
  reseller: boolean;
  delegatedAdminSince: string | null;
}
const edges: Edge[] = [];
let pendingRequestId: string;

async function query<T = Record<string, unknown>>(cypher: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await driver.executeQuery(cypher, params, { database: settings.database });
  return result.records.map((r) => r.toObject() as T);
}

/** Migration 0009's statements, each scoped to this file's copy (see above). */
function scopedStatements(): string[] {
  const migration = readMigrations().find((m) => m.name.startsWith("0009_"));
  expect(migration, "cypher/migrations/0009_*").toBeDefined();
  return migration!.statements.map((statement) => {
    if (statement.startsWith("CREATE CONSTRAINT")) return statement;
    const scoped = statement.replace(/^MATCH \((p?):Partner\)/, "MATCH ($1:Partner {migrationTag: $tag})");
    expect(scoped, `scoping: ${statement.slice(0, 80)}`).not.toBe(statement);
    return scoped;
  });
}

async function runMigration(): Promise<void> {
  const session = driver.session({ database: settings.database });
  try {
    // CALL { ... } IN TRANSACTIONS needs an auto-commit transaction, as src/shared/neo4j/migrate.ts runs it.
    for (const statement of scopedStatements()) await session.run(statement, { tag });
  } finally {
    await session.close();
  }
}

interface Row {
  partnerId: string;
  customerId: string;
  id: string;
  status: string;
  roles: string[];
  durationDays: number;
  autoExtend: boolean;
  createdAt: string;
  activatedAt: string | null;
  endsAt: string | null;
  migrated: boolean;
  requested: boolean;
}

async function relationships(): Promise<Row[]> {
  return query<Row>(
    `MATCH (p:Partner {migrationTag: $tag})-[:HOLDS_DELEGATED_ADMIN]->(g:DelegatedAdminRelationship)-[:FOR_CUSTOMER]->(c:Customer)
     RETURN p.id AS partnerId, c.id AS customerId, g.id AS id, g.status AS status, g.roles AS roles, toInteger(g.durationDays) AS durationDays,
            g.autoExtend AS autoExtend, toString(g.createdAt) AS createdAt, toString(g.activatedAt) AS activatedAt, toString(g.endsAt) AS endsAt,
            g.migratedAt IS NOT NULL AS migrated, EXISTS { (:RelationshipRequest)-[:REQUESTS]->(g) } AS requested
     ORDER BY p.id, c.id, g.status`,
    { tag },
  ).then((rows) => rows.map((r) => ({ ...r, durationDays: Number(r.durationDays) })));
}

const iso = (value: string | null) => (value === null ? null : new Date(value).toISOString());

beforeAll(async () => {
  driver = neo4j.driver(settings.uri, neo4j.auth.basic(settings.username, settings.password));
  const partners = [...DEMO_PROVIDERS, ...DEMO_RESELLERS].map((p) => {
    const id = newId("Partner");
    partnerIds.set(p.name, id);
    return { id, kind: p.kind, name: `${p.name} ${tag}`, mpnId: `8${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}` };
  });
  const customers = DEMO_CUSTOMERS.map((c) => ({ id: newId("Customer"), name: `${c.name} ${tag}`, domain: `${tag}-${c.domain}`, partners: c.partners }));
  let first = true;
  for (const c of customers) {
    for (const name of c.partners) {
      const reseller = !providerNames.has(name);
      edges.push({ partnerId: partnerIds.get(name)!, customerId: c.id, reseller, delegatedAdminSince: reseller && first ? GRANTED : null });
      if (reseller) first = false;
    }
  }
  await query(
    `UNWIND $partners AS p
     CREATE (n:Partner {id: p.id, kind: p.kind, name: p.name, nameLower: toLower(p.name), mpnId: p.mpnId, countryCode: 'US',
       enrollmentStatus: 'ACTIVE', migrationTag: $tag, createdAt: datetime()})
     FOREACH (_ IN CASE WHEN p.kind = 'PROVIDER' THEN [1] ELSE [] END | SET n:Provider)
     FOREACH (_ IN CASE WHEN p.kind = 'RESELLER' THEN [1] ELSE [] END | SET n:Reseller)`,
    { partners, tag },
  );
  await query(
    `UNWIND $customers AS c
     CREATE (:Customer {id: c.id, companyName: c.name, companyNameLower: toLower(c.name), domain: c.domain, countryCode: 'US',
       migrationTag: $tag, createdAt: datetime()})`,
    { customers, tag },
  );
  // The demo's edges as the loader wrote them before GDAP: delegatedAdmin true for a reseller, false for a provider.
  await query(
    `UNWIND $edges AS e
     MATCH (p:Partner {id: e.partnerId}), (c:Customer {id: e.customerId})
     CREATE (p)-[:RESELLER_OF_RECORD {since: datetime($since), delegatedAdmin: e.reseller,
       delegatedAdminSince: CASE WHEN e.delegatedAdminSince IS NULL THEN null ELSE datetime(e.delegatedAdminSince) END,
       listKey: ${listKeyOf("p", "c")}}]->(c)`,
    { edges, since: SINCE },
  );
  // A provider's DELEGATED_ADMIN request still PENDING from before GDAP.
  pendingRequestId = newId("RelationshipRequest");
  const provider = partnerIds.get(DEMO_PROVIDERS[0]!.name)!;
  const shared = edges.find((e) => e.partnerId === provider)!.customerId;
  await query(
    `MATCH (p:Partner {id: $provider}), (c:Customer {id: $customer})
     CREATE (p)-[:SENT]->(r:RelationshipRequest {id: $id, kind: 'DELEGATED_ADMIN', status: 'PENDING', tokenHash: $id,
       invitedEmail: 'admin@' + c.domain, invitedDomain: c.domain, createdAt: datetime(), expiresAt: datetime() + duration({days: 14})})-[:FOR_CUSTOMER]->(c)`,
    { provider, customer: shared, id: pendingRequestId },
  );
});

afterAll(async () => {
  await query(
    `MATCH (n {migrationTag: $tag})
     OPTIONAL MATCH (n)-[:HOLDS_DELEGATED_ADMIN|SENT]->(m)
     DETACH DELETE m, n`,
    { tag },
  );
  await driver?.close();
});

describe("migration 0009: delegatedAdmin grants become granular relationships (D-25)", () => {
  it("when it runs on a copy of the demo, then each reseller grant is the default ACTIVE relationship from the grant's date, the flags are gone, and a second run changes nothing", async () => {
    await runMigration();
    const rows = await relationships();
    const resellerEdges = edges.filter((e) => e.reseller);
    // DEMO.md: 12 reseller relationships; every one converted, no provider one.
    expect(resellerEdges.length).toBe(12);
    const granted = rows.filter((r) => !r.requested);
    expect(granted.map((r) => `${r.partnerId}/${r.customerId}`).sort()).toEqual(resellerEdges.map((e) => `${e.partnerId}/${e.customerId}`).sort());
    for (const row of granted) {
      const edge = resellerEdges.find((e) => e.partnerId === row.partnerId && e.customerId === row.customerId)!;
      const activatedAt = edge.delegatedAdminSince ?? SINCE;
      expect(row).toMatchObject({
        status: "ACTIVE",
        roles: ["USER_ADMINISTRATOR", "LICENSE_ADMINISTRATOR", "HELPDESK_ADMINISTRATOR", "SERVICE_SUPPORT_ADMINISTRATOR"],
        durationDays: 730,
        autoExtend: true,
        migrated: true,
      });
      expect(row.id).toMatch(/^gda_[a-z2-7]{26}$/);
      expect(iso(row.activatedAt)).toBe(activatedAt);
      expect(iso(row.createdAt)).toBe(activatedAt);
      expect(iso(row.endsAt)).toBe(new Date(Date.parse(activatedAt) + 730 * DAY).toISOString());
    }
    expect(granted.filter((r) => iso(r.activatedAt) === GRANTED)).toHaveLength(1);

    // The PENDING request of before now approves the default relationship, PENDING_APPROVAL until then.
    const requested = rows.filter((r) => r.requested);
    expect(requested).toHaveLength(1);
    expect(requested[0]).toMatchObject({ status: "PENDING_APPROVAL", activatedAt: null, endsAt: null, roles: granted[0]!.roles });

    const [flags] = await query<{ n: unknown }>(
      `MATCH (:Partner {migrationTag: $tag})-[e:RESELLER_OF_RECORD]->() WHERE e.delegatedAdmin IS NOT NULL OR e.delegatedAdminSince IS NOT NULL RETURN count(e) AS n`,
      { tag },
    );
    expect(Number(flags!.n)).toBe(0);
    const [edgeCount] = await query<{ n: unknown }>(`MATCH (:Partner {migrationTag: $tag})-[e:RESELLER_OF_RECORD]->() RETURN count(e) AS n`, { tag });
    expect(Number(edgeCount!.n)).toBe(edges.length);

    // Idempotent: run again, and nothing is created or changed.
    await runMigration();
    expect(await relationships()).toEqual(rows);
  });

  it("when the migration is read, then it converts in batches (CALL ... IN TRANSACTIONS) and the id constraint comes first", () => {
    const statements = readMigrations().find((m) => m.name.startsWith("0009_"))!.statements;
    expect(statements[0]).toMatch(/^CREATE CONSTRAINT \w+ IF NOT EXISTS FOR \(g:DelegatedAdminRelationship\) REQUIRE g\.id IS UNIQUE/);
    for (const statement of statements.slice(1)) expect(statement).toMatch(/IN TRANSACTIONS OF \d+ ROWS$/);
  });
});

describe("the demo channel has relationships, not grants (D-25, DEMO.md)", () => {
  it("when a fresh demo is built, then each reseller relationship gets the default delegated admin relationship and each provider's none, and the load statement plans", async () => {
    const parameters = await demoParameters("unused-Passw0rd");
    const providerIds = new Set(parameters.partners.filter((p) => p.props.kind === "PROVIDER").map((p) => p.id));
    const resellerEdges = parameters.resellerOfRecord.filter((e) => !providerIds.has(e.partnerId));
    expect(parameters.delegatedAdmin.map((g) => `${g.partnerId}/${g.customerId}`).sort()).toEqual(resellerEdges.map((e) => `${e.partnerId}/${e.customerId}`).sort());
    expect(parameters.resellerOfRecord.every((e) => !("delegatedAdmin" in e))).toBe(true);
    // EXPLAIN plans the statement without running it: the demo in the shared database stays as it is.
    const session = driver.session({ database: settings.database });
    try {
      await session.run(`EXPLAIN ${cypher("demo/load")}`, parameters);
    } finally {
      await session.close();
    }
  });

  it("when a demo reseller lists its delegated admin relationships, then its four customers' default relationships read ACTIVE, auto-extended past their first 730 days; a demo provider has none", async () => {
    const app = await startTestApp();
    try {
      const adatum = DEMO_RESELLERS.find((r) => r.name === "Adatum IT")!;
      const contoso = DEMO_PROVIDERS.find((p) => p.name === "Contoso Distribution")!;
      type Data = { delegatedAdminRelationships: { totalCount: number; edges: { node: { status: string; roles: string[]; activatedAt: string; endsAt: string; customer: { companyName: string } } }[] } };
      const mine = await app.lifecycle<Data>("DelegatedAdminRelationships", { first: 20 }, await app.signIn(`ga@${adatum.domain}`));
      expect(mine.errors).toBeUndefined();
      const names = DEMO_CUSTOMERS.filter((c) => c.partners.includes("Adatum IT")).map((c) => c.name).sort();
      const defaults = mine.data!.delegatedAdminRelationships.edges.filter((e) => e.node.activatedAt === SINCE);
      expect(defaults.map((e) => e.node.customer.companyName).sort()).toEqual(names);
      for (const { node } of defaults) {
        expect(node.status).toBe("ACTIVE");
        expect(node.roles).toEqual(["USER_ADMINISTRATOR", "LICENSE_ADMINISTRATOR", "HELPDESK_ADMINISTRATOR", "SERVICE_SUPPORT_ADMINISTRATOR"]);
        // 2024-03-01 + 730 days, plus whole 180-day extensions, reaching past now.
        const extra = Date.parse(node.endsAt) - (Date.parse(SINCE) + 730 * DAY);
        expect(extra % (180 * DAY)).toBe(0);
        expect(Date.parse(node.endsAt)).toBeGreaterThan(Date.now());
        expect(Date.parse(node.endsAt) - 180 * DAY).toBeLessThanOrEqual(Date.now());
      }
      const provider = await app.lifecycle<Data>("DelegatedAdminRelationships", { first: 20 }, await app.signIn(`ga@${contoso.domain}`));
      expect(provider.data!.delegatedAdminRelationships.edges.filter((e) => e.node.activatedAt === SINCE)).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
