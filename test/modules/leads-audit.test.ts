import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, uniqueTag, tokenGetter, type GqlResult, type TestApp } from "../support/app.js";
import { expectCode } from "../support/expect.js";
import { createChannel, type Channel } from "../support/fixtures.js";

interface LeadView {
  id: string;
  companyName: string;
  contactEmail?: string;
  source: string;
  status: string;
}
interface LeadsData {
  leads: { totalCount: number; edges: { node: LeadView }[] };
}
interface AuditEventView {
  id: string;
  at: string;
  operation: string;
  actorEmail: string | null;
  targetIds: string[];
}
interface AuditData {
  auditEvents: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: AuditEventView }[];
  };
}

const LEADS_PAGE = `query ($first: Int, $after: String) {
  leads(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id companyName contactEmail source status createdAt } }
  }
}`;
const AUDIT = `query ($first: Int, $after: String) {
  auditEvents(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id at operation actorEmail targetIds } }
  }
}`;

let app: TestApp;
let channel: Channel;
let other: Channel;

const tokenOf = tokenGetter(() => app, () => channel.password);

beforeAll(async () => {
  app = await startTestApp();
  const tag = uniqueTag();
  channel = await createChannel(app, tag);
  other = await createChannel(app, `${tag}x`);
});
afterAll(async () => {
  await channel?.remove();
  await other?.remove();
  await app?.close();
});

async function createLead(email: string, input: { companyName: string; contactEmail: string; source: string }, password?: string) {
  return app.op<{ createLead: LeadView }>("CreateLead", { input }, await tokenOf(email, password));
}

async function auditPage(email: string, first: number, after?: string | null) {
  return app.gql<AuditData>(AUDIT, { variables: { first, after: after ?? null }, token: await tokenOf(email) });
}

describe("leads (C11, D-15)", () => {
  const created: LeadView[] = [];

  it("C11: when a sales agent creates three leads, then each is NEW with its source, and `leads` lists them newest first", async () => {
    const inputs = [
      { companyName: `Lead One ${channel.tag}`, contactEmail: "buyer@lead-one.example", source: "OWN_MARKETING" },
      { companyName: `Lead Two ${channel.tag}`, contactEmail: "CTO@Lead-Two.example", source: "MICROSOFT_REFERRAL" },
      // A prospect may use a web-based mail service: D-3 is about partners' primary contacts.
      { companyName: `  Lead Three ${channel.tag} `, contactEmail: "owner.three@gmail.com", source: "INDIRECT_PROVIDER" },
    ];
    for (const input of inputs) {
      const result = await createLead(channel.resellerUsers.sa, input);
      expect(result.errors).toBeUndefined();
      expect(result.data!.createLead).toMatchObject({ companyName: input.companyName.trim(), source: input.source, status: "NEW" });
      created.push(result.data!.createLead);
    }
    const list = await app.op<LeadsData>("Leads", { first: 10 }, await tokenOf(channel.resellerUsers.ga));
    expect(list.errors).toBeUndefined();
    expect(list.data!.leads.totalCount).toBe(3);
    expect(list.data!.leads.edges.map((e) => e.node.id)).toEqual(created.map((l) => l.id).reverse());
    expect(list.data!.leads.edges.map((e) => e.node.contactEmail)).toEqual(["owner.three@gmail.com", "cto@lead-two.example", "buyer@lead-one.example"]);
    const [stored] = await app.cypher<{ owners: string[] }>("MATCH (l:Lead {id: $id}) RETURN [(p)-[:OWNS]->(l) | p.id] AS owners", {
      id: created[0].id,
    });
    expect(stored.owners).toEqual([channel.reseller.id]);
  });

  it("when leads are paged two at a time following endCursor, then all three come once each, newest first", async () => {
    const token = await tokenOf(channel.resellerUsers.ga);
    const first = await app.gql<LeadsData & { leads: { pageInfo: { hasNextPage: boolean; endCursor: string } } }>(LEADS_PAGE, {
      variables: { first: 2 },
      token,
    });
    expect(first.errors).toBeUndefined();
    expect(first.data!.leads.pageInfo.hasNextPage).toBe(true);
    const second = await app.gql<LeadsData & { leads: { pageInfo: { hasNextPage: boolean } } }>(LEADS_PAGE, {
      variables: { first: 2, after: first.data!.leads.pageInfo.endCursor },
      token,
    });
    expect(second.errors).toBeUndefined();
    expect(second.data!.leads.pageInfo.hasNextPage).toBe(false);
    const ids = [...first.data!.leads.edges, ...second.data!.leads.edges].map((e) => e.node.id);
    expect(ids).toEqual(created.map((l) => l.id).reverse());
  });

  it("T-1: when another organisation lists its leads, then ours are not among them", async () => {
    const list = await app.op<LeadsData>("Leads", { first: 10 }, await tokenOf(channel.providerUsers.ga));
    expect(list.data!.leads.totalCount).toBe(0);
    const foreign = await app.op<LeadsData>("Leads", { first: 10 }, await tokenOf(other.resellerUsers.ga, other.password));
    expect(foreign.data!.leads.edges).toEqual([]);
  });

  it.each(["ha", "aa", "uma"])("C11: when a user without C11 (%s) creates a lead, then FORBIDDEN naming C11", async (role) => {
    const result = await createLead(channel.resellerUsers[role], { companyName: "Nope", contactEmail: "a@b.example", source: "OWN_MARKETING" });
    expect(expectCode(result, "FORBIDDEN").extensions?.capability).toBe("C11");
  });

  it.each([
    [{ companyName: " ", contactEmail: "a@b.example" }, "input.companyName"],
    [{ companyName: "x".repeat(201), contactEmail: "a@b.example" }, "input.companyName"],
    [{ companyName: "Fine", contactEmail: "not-an-email" }, "input.contactEmail"],
    [{ companyName: "Fine", contactEmail: "a@b" }, "input.contactEmail"],
  ])("when a lead has %o, then BAD_USER_INPUT naming %s, and no lead or audit event is written", async (input, field) => {
    const before = await auditPage(channel.resellerUsers.ga, 1);
    const result = await createLead(channel.resellerUsers.sa, { ...input, source: "OWN_MARKETING" });
    const error = expectCode(result, "BAD_USER_INPUT");
    expect(error.extensions?.field).toBe(field);
    expect(error.message).toContain(field);
    const after = await auditPage(channel.resellerUsers.ga, 1);
    expect(after.data!.auditEvents.totalCount).toBe(before.data!.auditEvents.totalCount);
    const list = await app.op<LeadsData>("Leads", { first: 10 }, await tokenOf(channel.resellerUsers.ga));
    expect(list.data!.leads.totalCount).toBe(3);
  });
});

describe("auditEvents (part 8, T-1)", () => {
  it("when a global admin reads the audit trail, then the organisation's events come newest first with the actor and targets, and no secrets", async () => {
    const lead = await createLead(channel.resellerUsers.ga, { companyName: `Audit Lead ${channel.tag}`, contactEmail: "x@audit-lead.example", source: "OWN_MARKETING" });
    expect(lead.errors).toBeUndefined();
    const result = await auditPage(channel.resellerUsers.ga, 10);
    expect(result.errors).toBeUndefined();
    const events = result.data!.auditEvents.edges.map((e) => e.node);
    expect(result.data!.auditEvents.totalCount).toBe(4);
    expect(events.map((e) => e.operation)).toEqual(["createLead", "createLead", "createLead", "createLead"]);
    expect(events[0]).toMatchObject({ actorEmail: channel.resellerUsers.ga, targetIds: [lead.data!.createLead.id] });
    expect(events.slice(1).map((e) => e.actorEmail)).toEqual([channel.resellerUsers.sa, channel.resellerUsers.sa, channel.resellerUsers.sa]);
    const times = events.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    // What the API shows and what is stored hold no secret and no personal data of the lead.
    expect(JSON.stringify(result.data)).not.toContain("audit-lead.example");
    const stored = await app.cypher<{ keys: string[] }>(
      "MATCH (:Partner {id: $id})-[:HAS_AUDIT_EVENT]->(e) RETURN keys(e) AS keys",
      { id: channel.reseller.id },
    );
    for (const row of stored) {
      expect([...row.keys].sort()).toEqual(["actorEmail", "actorUserId", "at", "id", "operation", "partnerId", "targetIds"]);
    }
  });

  it("when the audit trail is paged three at a time following endCursor, then every event comes once, in the order of one big page", async () => {
    const all = await auditPage(channel.resellerUsers.ga, 100);
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i++) {
      const page: GqlResult<AuditData> = await auditPage(channel.resellerUsers.ga, 3, after);
      expect(page.errors).toBeUndefined();
      seen.push(...page.data!.auditEvents.edges.map((e) => e.node.id));
      if (!page.data!.auditEvents.pageInfo.hasNextPage) break;
      after = page.data!.auditEvents.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.data!.auditEvents.edges.map((e) => e.node.id));
    expect(seen).toHaveLength(4);
  });

  it("when events share the same time, then paging two at a time still returns each once, ordered by (at, id) descending", async () => {
    const at = "2030-01-01T00:00:00.000Z";
    const ids = Array.from({ length: 5 }, (_, i) => `evt_tie${channel.tag}${i}`);
    await app.cypher(
      `MATCH (p:Partner {id: $partnerId})
       UNWIND $ids AS id
       CREATE (p)-[:HAS_AUDIT_EVENT]->(:AuditEvent {id: id, at: datetime($at), operation: 'tie', actorUserId: null,
         actorEmail: null, partnerId: $partnerId, targetIds: []})`,
      { partnerId: other.reseller.id, ids, at },
    );
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i++) {
      const page: GqlResult<AuditData> = await app.gql<AuditData>(AUDIT, {
        variables: { first: 2, after },
        token: await tokenOf(other.resellerUsers.ga, other.password),
      });
      expect(page.errors).toBeUndefined();
      expect(page.data!.auditEvents.totalCount).toBe(5);
      seen.push(...page.data!.auditEvents.edges.map((e) => e.node.id));
      if (!page.data!.auditEvents.pageInfo.hasNextPage) break;
      after = page.data!.auditEvents.pageInfo.endCursor;
    }
    expect(seen).toEqual([...ids].sort().reverse());
    await app.cypher("MATCH (e:AuditEvent) WHERE e.id IN $ids DETACH DELETE e", { ids });
  });

  it("when a cursor was not made by the list, then BAD_USER_INPUT naming `after` (leads and auditEvents)", async () => {
    const forged = Buffer.from(JSON.stringify(["not a time", "x"]), "utf8").toString("base64url");
    const audit = await auditPage(channel.resellerUsers.ga, 2, forged);
    expect(expectCode(audit, "BAD_USER_INPUT").extensions?.field).toBe("after");
    const leads = await app.gql(LEADS_PAGE, { variables: { first: 2, after: forged }, token: await tokenOf(channel.resellerUsers.ga) });
    expect(expectCode(leads, "BAD_USER_INPUT").extensions?.field).toBe("after");
  });

  it("T-1: when another organisation's global admin reads its trail, then none of our events are there", async () => {
    const result = await app.gql<AuditData>(AUDIT, { variables: { first: 100 }, token: await tokenOf(other.resellerUsers.ga, other.password) });
    expect(result.errors).toBeUndefined();
    expect(result.data!.auditEvents.totalCount).toBe(0);
    const provider = await auditPage(channel.providerUsers.ga, 100);
    expect(provider.data!.auditEvents.edges.every((e) => e.node.operation !== "createLead")).toBe(true);
  });

  it.each(["aa", "sa", "ha", "uma", "none"])("when a user who is not a global admin (%s) reads the audit trail, then FORBIDDEN", async (role) => {
    const result = await auditPage(channel.resellerUsers[role], 10);
    expectCode(result, "FORBIDDEN");
  });

  it("when the operator reads the audit trail, then FORBIDDEN (it belongs to no organisation, T-7)", async () => {
    const token = await app.signIn("operator@platform.example");
    const result = await app.gql(AUDIT, { variables: { first: 10 }, token });
    expectCode(result, "FORBIDDEN");
  });
});
