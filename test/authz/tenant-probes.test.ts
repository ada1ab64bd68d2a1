import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../src/shared/ids.js";
import { startTestApp, uniqueTag, type GqlResult, type TestApp } from "../support/app.js";

/**
 * T-1..T-4 on every path that takes an id: as every demo user, every id of a user, customer,
 * invitation and subscription that the caller's organisation may not see is tried through every
 * operation that accepts such an id. An answer may refuse the capability (FORBIDDEN: the same
 * whatever the id) or say the object is not there (null, NOT_FOUND); anything else reveals that
 * the object exists, or acts on it, and counts as a leak.
 */

interface Probe {
  operation: string;
  query: string;
  variables: Record<string, unknown>;
  /** The path whose null means "not there" for a query. */
  dataPath?: string[];
}

const SAFE_CODES = new Set(["NOT_FOUND", "FORBIDDEN"]);

let app: TestApp;
const tag = uniqueTag();

interface Org {
  id: string;
  mpnId: string;
  kind: string;
  users: string[];
}

interface World {
  orgs: Org[];
  users: { id: string; email: string; orgId: string | null }[];
  customers: { id: string; ofRecord: string[] }[];
  subscriptions: { id: string; customerId: string; visibleTo: string[] }[];
  requests: { id: string; orgId: string }[];
}

let world: World;

beforeAll(async () => {
  app = await startTestApp();
  // One pending invitation per demo organisation, so there are other organisations' requests to probe.
  await app.cypher(
    `MATCH (p:Partner) WHERE p.mpnId IN ['1000001','1000002','2000001','2000002','2000003','2000004']
     WITH p, $ids[toString(p.mpnId)] AS id
     CREATE (p)-[:SENT]->(:RelationshipRequest {id: id, kind: 'CUSTOMER_RESELLER', status: 'PENDING', fixture: $tag,
       tokenHash: 'probe-' + id, invitedEmail: 'it@probe-' + $tag + '.example',
       createdAt: datetime({epochMillis: timestamp()}), expiresAt: datetime({epochMillis: timestamp()}) + duration('P14D')})`,
    {
      tag,
      ids: Object.fromEntries(["1000001", "1000002", "2000001", "2000002", "2000003", "2000004"].map((m) => [m, newId("RelationshipRequest")])),
    },
  );
  const orgs = await app.cypher<Org>(
    `MATCH (p:Partner) WHERE p.mpnId IN ['1000001','1000002','2000001','2000002','2000003','2000004']
     RETURN p.id AS id, p.mpnId AS mpnId, p.kind AS kind, [(u:User)-[:MEMBER_OF]->(p) WHERE u.demo | u.email] AS users`,
  );
  const users = await app.cypher<{ id: string; email: string; orgId: string | null }>(
    "MATCH (u:User) WHERE u.demo OPTIONAL MATCH (u)-[:MEMBER_OF]->(p:Partner) RETURN u.id AS id, u.email AS email, p.id AS orgId",
  );
  const customers = await app.cypher<{ id: string; ofRecord: string[] }>(
    "MATCH (c:Customer) WHERE c.domain ENDS WITH '.example' AND NOT c.domain CONTAINS '-' RETURN c.id AS id, [(p:Partner)-[:RESELLER_OF_RECORD]->(c) | p.id] AS ofRecord",
  );
  const subscriptions = await app.cypher<{ id: string; customerId: string; visibleTo: string[] }>(
    `MATCH (c:Customer)-[:HAS_SUBSCRIPTION]->(s:Subscription) WHERE c.id IN $customerIds
     RETURN s.id AS id, c.id AS customerId,
            [(s)-[:SOLD_THROUGH|ORDERED_BY]->(p:Partner) WHERE (p)-[:RESELLER_OF_RECORD]->(c) | p.id] AS visibleTo`,
    { customerIds: customers.map((c) => c.id) },
  );
  const requests = await app.cypher<{ id: string; orgId: string }>(
    "MATCH (p:Partner)-[:SENT]->(r:RelationshipRequest {fixture: $tag}) RETURN r.id AS id, p.id AS orgId",
    { tag },
  );
  world = { orgs, users, customers, subscriptions, requests };
});

afterAll(async () => {
  await app?.cypher("MATCH (r:RelationshipRequest {fixture: $tag}) DETACH DELETE r", { tag });
  await app?.close();
});

function probesFor(orgId: string | null, w: World): Probe[] {
  const probes: Probe[] = [];
  const partnerOf = (id: string) => w.orgs.find((o) => o.id === id);
  const foreignCustomers = w.customers.filter((c) => orgId === null || !c.ofRecord.includes(orgId));
  const foreignUsers = w.users.filter((u) => u.orgId !== orgId);
  const foreignSubscriptions = w.subscriptions.filter((s) => orgId === null || !s.visibleTo.includes(orgId));
  const foreignRequests = w.requests.filter((r) => r.orgId !== orgId);
  const anyReseller = w.orgs.find((o) => o.kind === "RESELLER" && o.id !== orgId)!;
  const offer = "off_aaaaaaaaaaaaaaaaaaaaaaaaaa";
  for (const c of foreignCustomers) {
    probes.push(
      { operation: "customer", query: "query ($id: ID!) { customer(id: $id) { id companyName } }", variables: { id: c.id }, dataPath: ["customer"] },
      { operation: "serviceHealth", query: "query ($id: ID!) { customer(id: $id) { id serviceHealth { service } } }", variables: { id: c.id }, dataPath: ["customer"] },
      { operation: "node", query: "query ($id: ID!) { node(id: $id) { id } }", variables: { id: c.id }, dataPath: ["node"] },
      { operation: "requestDelegatedAdmin", query: "mutation ($id: ID!) { requestDelegatedAdmin(customerId: $id) { request { id } } }", variables: { id: c.id } },
      {
        operation: "createServiceRequest",
        query: "mutation ($id: ID!) { createServiceRequest(input: {customerId: $id, title: \"Probe\", description: \"Probe\", severity: NORMAL}) { id } }",
        variables: { id: c.id },
      },
      {
        operation: "submitOrder",
        query: "mutation ($c: ID!, $r: ID!, $o: ID!) { submitOrder(input: {customerId: $c, resellerId: $r, lineItems: [{offerId: $o, quantity: 1}]}) { order { id } } }",
        variables: { c: c.id, r: (c.ofRecord.map(partnerOf).find((p) => p?.kind === "RESELLER") ?? anyReseller).id, o: offer },
      },
    );
  }
  for (const u of foreignUsers) {
    probes.push(
      { operation: "node(user)", query: "query ($id: ID!) { node(id: $id) { id } }", variables: { id: u.id }, dataPath: ["node"] },
      { operation: "updateUserRoles", query: "mutation ($id: ID!) { updateUserRoles(userId: $id, agentRole: NONE, adminRole: NONE) { id } }", variables: { id: u.id } },
      { operation: "resetUserPassword", query: "mutation ($id: ID!) { resetUserPassword(userId: $id) { temporaryPassword } }", variables: { id: u.id } },
      { operation: "removeUser", query: "mutation ($id: ID!) { removeUser(userId: $id) }", variables: { id: u.id } },
    );
  }
  for (const s of foreignSubscriptions) {
    probes.push(
      { operation: "node(subscription)", query: "query ($id: ID!) { node(id: $id) { id } }", variables: { id: s.id }, dataPath: ["node"] },
      { operation: "updateSubscriptionQuantity", query: "mutation ($id: ID!) { updateSubscriptionQuantity(subscriptionId: $id, quantity: 7) { id } }", variables: { id: s.id } },
      {
        operation: "createServiceRequest(subscription)",
        query: "mutation ($c: ID!, $s: ID!) { createServiceRequest(input: {customerId: $c, subscriptionId: $s, title: \"Probe\", description: \"Probe\", severity: NORMAL}) { id } }",
        variables: { c: s.customerId, s: s.id },
      },
    );
  }
  for (const r of foreignRequests) {
    probes.push(
      { operation: "revokeRelationshipRequest", query: "mutation ($id: ID!) { revokeRelationshipRequest(id: $id) { id status } }", variables: { id: r.id } },
      { operation: "node(request)", query: "query ($id: ID!) { node(id: $id) { id } }", variables: { id: r.id }, dataPath: ["node"] },
    );
  }
  // Partners: another organisation's customers through a partner it is not partnered with.
  for (const o of w.orgs.filter((x) => x.id !== orgId)) {
    probes.push({
      operation: "customers(sharedWithPartnerId)",
      query: "query ($id: ID!) { customers(first: 50, where: {sharedWithPartnerId: $id}) { edges { node { id } } } }",
      variables: { id: o.id },
    });
  }
  return probes;
}

function leaked(probe: Probe, result: GqlResult, visibleCustomers: Set<string>): string | null {
  const codes = (result.errors ?? []).map((e) => e.extensions?.code);
  if (codes.some((code) => !SAFE_CODES.has(code as string))) return `answered ${JSON.stringify(result.errors)}`;
  if (codes.length > 0) return null;
  if (probe.operation === "customers(sharedWithPartnerId)") {
    const data = result.data as { customers: { edges: { node: { id: string } }[] } } | null;
    const foreign = (data?.customers.edges ?? []).map((e) => e.node.id).filter((id) => !visibleCustomers.has(id));
    return foreign.length > 0 ? `listed ${foreign.join(", ")}` : null;
  }
  if (probe.dataPath) {
    let value: unknown = result.data;
    for (const key of probe.dataPath) value = (value as Record<string, unknown> | null)?.[key];
    return value === null || value === undefined ? null : `returned ${JSON.stringify(value)}`;
  }
  return `succeeded: ${JSON.stringify(result.data)}`;
}

describe("tenant scope (T-1..T-4): other organisations' ids through every operation that takes an id", () => {
  it("when every demo user probes every foreign id, then nothing is revealed or changed (0 leaks)", async () => {
    const callers = [...world.orgs.flatMap((o) => o.users.map((email) => ({ email, orgId: o.id as string | null }))), { email: "operator@platform.example", orgId: null }];
    let probeCount = 0;
    const leaks: string[] = [];
    for (const caller of callers) {
      const token = await app.signIn(caller.email);
      const visible = new Set(world.customers.filter((c) => caller.orgId && c.ofRecord.includes(caller.orgId)).map((c) => c.id));
      const probes = probesFor(caller.orgId, world);
      // A few at a time: enough to be quick, few enough to keep the server's answers ordered per caller.
      for (let i = 0; i < probes.length; i += 8) {
        const batch = probes.slice(i, i + 8);
        const results = await Promise.all(batch.map((p) => app.gql(p.query, { variables: p.variables, token })));
        batch.forEach((probe, j) => {
          probeCount += 1;
          const leak = leaked(probe, results[j], visible);
          if (leak) leaks.push(`${caller.email} ${probe.operation} ${JSON.stringify(probe.variables)}: ${leak}`);
        });
      }
    }
    console.log(`tenant probes: ${probeCount} probes by ${callers.length} users, ${leaks.length} leaks`);
    expect(leaks).toEqual([]);
    expect(probeCount).toBeGreaterThan(2000);
  }, 300_000);
});
