import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventsQuery } from "../../src/modules/events/events.plans.js";
import { listEvents } from "../../src/modules/events/events.repository.js";
import { recordAudit } from "../../src/shared/audit.js";
import { CHANNEL_EVENT_TYPES, EVENT_READ_CAPABILITIES, type ChannelEventTypeName } from "../../src/shared/events.js";
import { encodeCursor } from "../../src/shared/graphql/connection.js";
import { startTestApp, tokenGetter, uniqueTag, type GqlResult, type TestApp } from "../support/app.js";
import { expectBadInput, expectCode } from "../support/expect.js";
import { createChannel, type Channel } from "../support/fixtures.js";

/**
 * The `events` feed (D-28, D-29, issue 14) through the API on the real Neo4j: the events that
 * concern the caller's organisation, of the types its user's roles read, newest first, keyset-paged.
 * Events are made through the API (SubmitOrder: ORDER_SUBMITTED) and, for types whose change is
 * wired elsewhere, with recordAudit in a transaction of their own, as a change's code path does.
 */

interface EventNode {
  id: string;
  type: string;
  at: string;
  subjectId: string;
  summary: string;
}
interface Feed {
  events: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: EventNode }[];
  };
}

let app: TestApp;
let ch: Channel;
let other: Channel;
const tag = uniqueTag();
const tokenOf = tokenGetter(() => app, () => ch.password);
/** Every event this file made, by id. */
const made = new Map<string, { type: string; concerns: string[] }>();

beforeAll(async () => {
  app = await startTestApp();
  ch = await createChannel(app, tag);
  other = await createChannel(app, `${tag}o`);

  // Three orders through the API: ORDER_SUBMITTED concerning the provider and the reseller.
  const [offer] = await app.cypher<{ id: string }>("MATCH (o:Offer {name: 'Microsoft 365 E3'}) RETURN o.id AS id");
  for (let i = 1; i <= 3; i++) {
    const result = await app.op<{ submitOrder: { order: { id: string } } }>(
      "SubmitOrder",
      { input: { customerId: ch.sharedCustomers[0].id, resellerId: ch.reseller.id, lineItems: [{ offerId: offer.id, quantity: i }] } },
      await tokenOf(ch.providerUsers.ga),
    );
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  }
  // A partnership event of the pair, three events of one change (one `at`: the cursor's id breaks the tie),
  // and one event of the other channel only.
  await record(ch.provider.id, [{ type: "PARTNERSHIP_AUTHORIZED", subjectId: ch.reseller.id, partnerIds: [ch.provider.id, ch.reseller.id] }]);
  await record(ch.reseller.id, [
    { type: "SUBSCRIPTION_UPDATED", subjectId: `sub_${tag}a`, partnerIds: [ch.provider.id, ch.reseller.id] },
    { type: "DELEGATED_ADMIN_APPROVED", subjectId: `gda_${tag}a`, partnerIds: [ch.reseller.id] },
    { type: "CUSTOMER_RELATIONSHIP_ACCEPTED", subjectId: ch.sharedCustomers[1].id, customerId: ch.sharedCustomers[1].id },
  ]);
  await record(other.provider.id, [{ type: "PARTNERSHIP_ENDED", subjectId: other.reseller.id, partnerIds: [other.provider.id, other.reseller.id] }]);

  const rows = await app.cypher<{ id: string; type: string; concerns: string[] }>(
    `MATCH (e:ChannelEvent)-[:CONCERNS]->(p:Partner) WHERE p.id IN $ids
     RETURN e.id AS id, e.type AS type, [(e)-[:CONCERNS]->(q) | q.id] AS concerns`,
    { ids: [ch.provider.id, ch.reseller.id, other.provider.id, other.reseller.id] },
  );
  for (const row of rows) made.set(row.id, { type: row.type, concerns: row.concerns });
}, 60_000);

afterAll(async () => {
  await ch?.remove();
  await other?.remove();
  await app?.close();
});

async function record(partnerId: string, events: { type: ChannelEventTypeName; subjectId: string; partnerIds?: string[]; customerId?: string }[]) {
  await app.executor.forRequest({ operation: "feed-test" }).transaction("WRITE", (tx) =>
    recordAudit(tx, {
      operation: "feedTest",
      viewer: null,
      partnerId,
      targetIds: [],
      events: events.map((e) => ({ ...e, summary: `feed ${tag} ${e.type}` })),
    }),
  );
}

function ok<T>(result: GqlResult<T>, step: string): T {
  expect(result.errors, `${step}: ${JSON.stringify(result.errors)}`).toBeUndefined();
  return result.data!;
}

async function feed(email: string, variables: { first?: number; after?: string | null; where?: unknown } = {}, password?: string) {
  return app.eventOp<Feed>("Events", variables, await tokenOf(email, password));
}

/** Every page of the feed, `first` at a time. */
async function allPages(
  email: string,
  first: number,
  where?: unknown,
  password?: string,
): Promise<{ ids: string[]; nodes: EventNode[]; totals: number[]; pages: number }> {
  const nodes: EventNode[] = [];
  const totals: number[] = [];
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const page: Feed["events"] = ok(await feed(email, { first, after, where }, password), `page ${pages + 1}`).events;
    pages += 1;
    expect(page.edges.length).toBeLessThanOrEqual(first);
    nodes.push(...page.edges.map((e) => e.node));
    totals.push(page.totalCount);
    if (!page.pageInfo.hasNextPage) break;
    expect(page.edges.length).toBe(first);
    after = page.pageInfo.endCursor;
    expect(pages).toBeLessThan(50);
  }
  return { ids: nodes.map((n) => n.id), nodes, totals, pages };
}

const mine = (orgId: string) => [...made].filter(([, e]) => e.concerns.includes(orgId)).map(([id]) => id);

describe("the events feed (D-28, D-29)", () => {
  it("when the provider's global admin reads the feed, then it lists its organisation's events, newest first (then by id), with their fields, and totalCount counts them", async () => {
    const page = ok(await feed(ch.providerUsers.ga, { first: 100 }), "feed").events;
    // The provider: 3 orders, the partnership, the subscription and the customer's events (of record of customer 2); not the reseller's own delegated admin event.
    expect(page.edges.map((e) => e.node.id).sort()).toEqual(mine(ch.provider.id).sort());
    expect(page.totalCount).toBe(6);
    expect(page.pageInfo.hasNextPage).toBe(false);
    const nodes = page.edges.map((e) => e.node);
    for (let i = 1; i < nodes.length; i++) {
      const [newer, older] = [nodes[i - 1], nodes[i]];
      const order = Date.parse(older.at) - Date.parse(newer.at);
      expect(order < 0 || (order === 0 && newer.id < older.id), `${newer.at} ${newer.id} before ${older.at} ${older.id}`).toBe(true);
    }
    // The newest is the last change made for this organisation (the three events of one change).
    expect(["SUBSCRIPTION_UPDATED", "CUSTOMER_RELATIONSHIP_ACCEPTED"]).toContain(nodes[0].type);
    expect(nodes.at(-1)!.type).toBe("ORDER_SUBMITTED");
    const order = nodes.find((n) => n.type === "ORDER_SUBMITTED")!;
    expect(order.summary).toContain(ch.sharedCustomers[0].name);
  });

  it("when the feed is read one or two at a time, then the pages together are the whole feed in order, without a repeat or a gap, and each page has the same totalCount", async () => {
    const whole = await allPages(ch.resellerUsers.ga, 100);
    expect(whole.ids.sort()).toEqual(mine(ch.reseller.id).sort());
    const inOrder = (await allPages(ch.resellerUsers.ga, 100)).ids;
    for (const size of [1, 2, 3]) {
      const paged = await allPages(ch.resellerUsers.ga, size);
      expect(paged.ids).toEqual(inOrder);
      expect(new Set(paged.ids).size).toBe(paged.ids.length);
      expect(new Set(paged.totals)).toEqual(new Set([inOrder.length]));
      expect(paged.pages).toBe(Math.ceil(inOrder.length / size));
    }
  });

  it("when the feed is filtered by types, then it lists and counts only those types", async () => {
    const orders = ok(await feed(ch.providerUsers.aa, { first: 100, where: { types: ["ORDER_SUBMITTED"] } }), "orders").events;
    expect(orders.edges.map((e) => e.node.type)).toEqual(["ORDER_SUBMITTED", "ORDER_SUBMITTED", "ORDER_SUBMITTED"]);
    expect(orders.totalCount).toBe(3);
    const two = await allPages(ch.resellerUsers.sa, 1, { types: ["PARTNERSHIP_AUTHORIZED", "DELEGATED_ADMIN_APPROVED", "PARTNERSHIP_AUTHORIZED"] });
    expect(two.nodes.map((n) => n.type).sort()).toEqual(["DELEGATED_ADMIN_APPROVED", "PARTNERSHIP_AUTHORIZED"]);
    expect(new Set(two.totals)).toEqual(new Set([2]));
    const none = ok(await feed(ch.resellerUsers.ha, { where: { types: ["DELEGATED_ADMIN_EXPIRED"] } }), "none").events;
    expect(none).toMatchObject({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it("when a page of the feed is read, then the request is one Cypher statement (the viewer query and the page, read planner)", async () => {
    const result = await feed(ch.providerUsers.ga, { first: 2 });
    ok(result, "feed");
    expect(result.queryCount).toBe(1);
    // The planner plans for the organisation the caller had at its previous request: the first one is two statements.
    const variables = { first: 2, where: { types: ["ORDER_SUBMITTED"] }, after: ok(result, "feed").events.pageInfo.endCursor };
    ok(await feed(ch.providerUsers.sa, variables), "first request");
    const filtered = await feed(ch.providerUsers.sa, variables);
    ok(filtered, "filtered");
    expect(filtered.queryCount).toBe(1);
  });

  it("when the caller's roles read every type but partnerships (C1 or C4 without C16: no role of ROLES.md today, the resolver's path with that set), then no partnership event of its own organisation is listed or counted", async () => {
    const withoutC16 = CHANNEL_EVENT_TYPES.filter((type) => !EVENT_READ_CAPABILITIES[type].includes("C16"));
    expect(withoutC16).not.toContain("PARTNERSHIP_AUTHORIZED");
    const requests = app.executor.forRequest({ operation: "feed-test" });
    const { page, read } = eventsQuery({ first: 100 }, null, ch.provider.id, withoutC16);
    const connection = await listEvents(requests, read, page);
    const types = connection.edges.map((e) => e.node.type);
    expect(types).not.toContain("PARTNERSHIP_AUTHORIZED");
    expect(types.sort()).toEqual(["CUSTOMER_RELATIONSHIP_ACCEPTED", "ORDER_SUBMITTED", "ORDER_SUBMITTED", "ORDER_SUBMITTED", "SUBSCRIPTION_UPDATED"]);
    expect(connection.totalCount).toBe(5);
    // Asking for partnerships only, such a caller reads nothing (and Neo4j is not asked).
    const only = eventsQuery({ first: 100 }, { types: ["PARTNERSHIP_AUTHORIZED" as never] }, ch.provider.id, withoutC16);
    expect(only.read).toBeNull();
    expect((await listEvents(requests, only.read, only.page)).totalCount).toBe(0);
  });

  it("when users whose roles read no event type (user management admin, no role) ask for the feed, then it is FORBIDDEN", async () => {
    for (const email of [ch.providerUsers.uma, ch.resellerUsers.none]) {
      expectCode(await feed(email, { first: 5 }), "FORBIDDEN");
    }
  });

  it("when the operator asks for the feed, then it is FORBIDDEN: it is no partner user and reads no partner's events (T-7)", async () => {
    const token = await app.signIn("operator@platform.example");
    expectCode(await app.eventOp("Events", { first: 5 }, token), "FORBIDDEN", "T-7");
  });

  it("when an unrelated organisation reads its feed, then none of this channel's events are listed, and this channel reads none of its events", async () => {
    const theirs = await allPages(other.resellerUsers.ga, 100, undefined, other.password);
    expect(theirs.ids).toEqual(mine(other.reseller.id));
    expect(theirs.ids).toHaveLength(1);
    for (const email of [ch.providerUsers.ga, ch.resellerUsers.ga]) {
      const ours = await allPages(email, 100);
      expect(ours.ids.filter((id) => theirs.ids.includes(id))).toEqual([]);
    }
  });

  it("when `first` or `after` or `where.types` is not valid, then BAD_USER_INPUT names it and nothing is read", async () => {
    expectBadInput(await feed(ch.providerUsers.ga, { first: -1 }), "first", "page size");
    expectBadInput(await feed(ch.providerUsers.ga, { first: 101 }), "first", "page size");
    expectBadInput(await feed(ch.providerUsers.ga, { after: "not-a-cursor" }), "after", "cursor");
    // A cursor of a text-keyed list is not one of this list (its key must be the event's ISO time).
    expectBadInput(await feed(ch.providerUsers.ga, { after: encodeCursor("contoso", "cus_x") }), "after", "cursor");
    expectBadInput(await feed(ch.providerUsers.ga, { where: { types: [] } }), "where.types", "required");
    const empty = ok(await feed(ch.providerUsers.ga, { first: 0 }), "first: 0").events;
    expect(empty).toMatchObject({ totalCount: 6, edges: [], pageInfo: { hasNextPage: true } });
  });
});
