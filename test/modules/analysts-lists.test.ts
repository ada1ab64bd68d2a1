import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/shared/clock.js";
import { newId } from "../../src/shared/ids.js";
import { cypherFragment } from "../../src/shared/neo4j/queries.js";
import { startTestApp, tokenGetter, uniqueTag, type TestApp } from "../support/app.js";
import { expectBadInput, expectCode } from "../support/expect.js";
import { createChannel, listKeyOf, partnershipKeyOf, recountShared, type Channel } from "../support/fixtures.js";

/**
 * D-27, the analysts' lists: customers(where: { withoutProvider: true }), the list behind
 * channelStats.customersWithoutProvider, and orders (a provider's placed, a reseller's on record),
 * newest first, both keyset-paged and one Cypher statement per request, against the real graph.
 */

interface Page<T> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: T }[];
}
interface OrderView {
  id: string;
  status: string;
  createdAt: string;
  partnerIdOnRecord: string;
  customer: { id: string; companyName: string } | null;
  reseller: { id: string; name: string; mpnId: string } | null;
  provider: { id: string; name: string } | null;
  lineItems: { offerId: string; quantity: number }[];
}

const MINUTE = 60_000;
const clock = new ManualClock();
let app: TestApp;
/** P (provider), R (reseller), customers c0, c1 (shared), solo (R only), and 4 more R-only customers. */
let channel: Channel;
/** P2, R2 and their customers; R2 is also partnered with P and of record for c1. */
let other: Channel;
let soloIds: string[];
const offers = new Map<string, string>();

const tokenOf = tokenGetter(() => app, () => channel.password);
const otherToken = (email: string) => app.signInOnce(email, other.password);

/** Orders by name, in the order they were placed (each a minute after the previous). */
const placed: Record<string, string> = {};
/** Three orders of P through R for c0 written in raw Cypher at one same instant (the id breaks the tie), newest of all. */
let sameInstant: string[] = [];

async function order(name: string, email: string, token: string, input: { customerId: string; resellerId: string; offer: string; quantity: number }) {
  clock.advance(MINUTE);
  const result = await app.op<{ submitOrder: { order: { id: string } } }>(
    "SubmitOrder",
    { input: { customerId: input.customerId, resellerId: input.resellerId, lineItems: [{ offerId: offers.get(input.offer), quantity: input.quantity }] } },
    token,
  );
  expect(result.errors, `${name} by ${email}`).toBeUndefined();
  placed[name] = result.data!.submitOrder.order.id;
}

beforeAll(async () => {
  app = await startTestApp({}, { clock });
  const tag = uniqueTag();
  channel = await createChannel(app, tag);
  other = await createChannel(app, `${tag}z`);
  for (const row of await app.cypher<{ name: string; id: string }>("MATCH (o:Offer) RETURN o.name AS name, o.id AS id")) offers.set(row.name, row.id);

  // Four more customers of R alone (so R has 5 without a provider), and P partnered with R2, which is of record for c1.
  soloIds = [channel.resellerOnlyCustomer.id, ...Array.from({ length: 4 }, () => newId("Customer"))];
  await app.cypher(
    `MATCH (r:Reseller {id: $resellerId})
     UNWIND range(1, 4) AS i
     CREATE (c:Customer {id: $ids[i], companyName: 'Fixture Solo ' + $tag + ' ' + i, companyNameLower: toLower('Fixture Solo ' + $tag + ' ' + i),
       domain: 'solo' + i + '-' + $tag + '.example', countryCode: 'US', fixture: $tag, createdAt: datetime()})
     CREATE (r)-[e:RESELLER_OF_RECORD {since: datetime(), delegatedAdmin: true}]->(c) SET e.listKey = ${listKeyOf("r", "c")}`,
    { resellerId: channel.reseller.id, ids: soloIds, tag },
  );
  await app.cypher(
    `MATCH (p:Provider {id: $providerId}), (r:Reseller {id: $resellerId}), (c:Customer {id: $customerId})
     CREATE (p)-[:INDIRECT_PROVIDER_OF {since: datetime(), listKey: ${partnershipKeyOf("p", "r")}}]->(r)
     CREATE (r)-[e:RESELLER_OF_RECORD {since: datetime(), delegatedAdmin: true}]->(c) SET e.listKey = ${listKeyOf("r", "c")}`,
    { providerId: channel.provider.id, resellerId: other.reseller.id, customerId: channel.sharedCustomers[1].id },
  );
  await recountShared(app, [channel.provider.id, channel.reseller.id, other.provider.id, other.reseller.id], [channel.provider.id, other.provider.id]);

  const p = await tokenOf(channel.providerUsers.ga);
  const p2 = await otherToken(other.providerUsers.ga);
  const [c0, c1] = channel.sharedCustomers.map((c) => c.id);
  await order("o1", "P", p, { customerId: c0, resellerId: channel.reseller.id, offer: "Microsoft 365 E3", quantity: 1 });
  await order("o2", "P", p, { customerId: c1, resellerId: channel.reseller.id, offer: "Azure plan", quantity: 2 });
  await order("o3", "P", p, { customerId: c1, resellerId: other.reseller.id, offer: "Microsoft 365 E3", quantity: 3 });
  await order("o4", "P2", p2, { customerId: other.sharedCustomers[0].id, resellerId: other.reseller.id, offer: "Azure plan", quantity: 4 });
  await order("o5", "P", p, { customerId: c0, resellerId: channel.reseller.id, offer: "Dynamics 365 Sales Enterprise", quantity: 5 });
  clock.advance(10 * MINUTE);
  sameInstant = Array.from({ length: 3 }, () => newId("Order")).sort();
  await app.cypher(
    `MATCH (p:Provider {id: $providerId}), (r:Reseller {id: $resellerId}), (c:Customer {id: $customerId})
     UNWIND $ids AS id
     CREATE (o:Order {id: id, status: 'COMPLETED', createdAt: datetime({epochMillis: toInteger($at)}), partnerIdOnRecord: r.mpnId, offerIds: [$offerId], quantities: [7]})
     CREATE (o)-[:FOR_CUSTOMER]->(c)
     CREATE (o)-[placed:PLACED_BY]->(p) SET placed.listKey = ${cypherFragment("order-list-key", "p", "o")}
     CREATE (o)-[onRecord:ON_RECORD_FOR]->(r) SET onRecord.listKey = ${cypherFragment("order-list-key", "r", "o")}`,
    { providerId: channel.provider.id, resellerId: channel.reseller.id, customerId: c0, ids: sameInstant, at: clock.now(), offerId: offers.get("Azure plan") },
  );
});

afterAll(async () => {
  await channel?.remove();
  await other?.remove();
  await app?.close();
});

const ORDERS = `query Orders($where: OrderWhere, $first: Int, $after: String) {
  orders(where: $where, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id status createdAt partnerIdOnRecord customer { id companyName } reseller { id name mpnId } provider { id name } lineItems { offerId quantity } } }
  }
}`;

async function orders(token: string, variables: { where?: Record<string, string>; first?: number; after?: string } = {}) {
  const result = await app.gql<{ orders: Page<OrderView> }>(ORDERS, { variables: { first: 100, ...variables }, token });
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.orders;
}

/** Every page of a list, `first` at a time, following endCursor; checks that totalCount stays the same. */
async function allPages(token: string, first: number, where?: Record<string, string>): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  let total: number | undefined;
  for (let i = 0; i < 50; i++) {
    const page = await orders(token, { where, first, after });
    total ??= page.totalCount;
    expect(page.totalCount).toBe(total);
    ids.push(...page.edges.map((e) => e.node.id));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor!;
  }
  expect(ids).toHaveLength(total!);
  return ids;
}

const ids = (page: Page<{ id: string }>) => page.edges.map((e) => e.node.id);

describe("orders (D-27, C1): newest first, keyset-paged, in the caller's scope", () => {
  it("when the provider lists its orders, then it gets every order it placed, newest first (same instant: by id), with customer, reseller, provider, partner of record and line items", async () => {
    const page = await orders(await tokenOf(channel.providerUsers.ga));
    expect(page.totalCount).toBe(7);
    expect(ids(page)).toEqual([...sameInstant, placed.o5, placed.o3, placed.o2, placed.o1]);
    expect(page.pageInfo.hasNextPage).toBe(false);
    const times = page.edges.map((e) => Date.parse(e.node.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const o3 = page.edges.find((e) => e.node.id === placed.o3)!.node;
    expect(o3).toEqual({
      id: placed.o3,
      status: "COMPLETED",
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      partnerIdOnRecord: other.reseller.mpnId,
      customer: { id: channel.sharedCustomers[1].id, companyName: channel.sharedCustomers[1].name },
      reseller: { id: other.reseller.id, name: other.reseller.name, mpnId: other.reseller.mpnId },
      provider: { id: channel.provider.id, name: channel.provider.name },
      lineItems: [{ offerId: offers.get("Microsoft 365 E3"), quantity: 3 }],
    });
    const [stored] = await app.cypher<{ at: string }>("MATCH (o:Order {id: $id}) RETURN toString(o.createdAt) AS at", { id: placed.o3 });
    expect(Date.parse(o3.createdAt)).toBe(Date.parse(stored.at));
  });

  it("when the provider pages through its orders 2 at a time (and 1 at a time), then it gets all of them once each, in the order of one big page", async () => {
    const token = await tokenOf(channel.providerUsers.ga);
    const whole = ids(await orders(token));
    expect(await allPages(token, 2)).toEqual(whole);
    expect(await allPages(token, 1)).toEqual(whole);
  });

  it("T-2: when a reseller lists its orders, then it gets only those it is partner of record of, from every provider it works with", async () => {
    const r = await orders(await tokenOf(channel.resellerUsers.sa));
    expect(ids(r)).toEqual([...sameInstant, placed.o5, placed.o2, placed.o1]);
    expect(r.totalCount).toBe(6);
    const r2 = await orders(await otherToken(other.resellerUsers.ha));
    expect(ids(r2)).toEqual([placed.o4, placed.o3]);
    expect(r2.edges.map((e) => e.node.provider?.id)).toEqual([other.provider.id, channel.provider.id]);
    expect(r2.edges.every((e) => e.node.partnerIdOnRecord === other.reseller.mpnId)).toBe(true);
    const p2 = await orders(await otherToken(other.providerUsers.aa));
    expect(ids(p2)).toEqual([placed.o4]);
    // From scratch: each caller's orders are exactly its own edges.
    for (const [org, list] of [[channel.reseller.id, r], [other.reseller.id, r2], [other.provider.id, p2]] as const) {
      const [row] = await app.cypher<{ ids: string[] }>("MATCH (o:Order)-[:PLACED_BY|ON_RECORD_FOR]->(:Partner {id: $org}) RETURN collect(o.id) AS ids", { org });
      expect([...ids(list)].sort()).toEqual([...row.ids].sort());
    }
  });

  it.each([
    ["the provider, resellerId = the other reseller", "p", { resellerId: "R2" }, ["o3"]],
    ["the provider, resellerId = its first reseller", "p", { resellerId: "R" }, ["same", "o5", "o2", "o1"]],
    ["the provider, customerId = c1", "p", { customerId: "c1" }, ["o3", "o2"]],
    ["the provider, customerId = c1 and resellerId = R", "p", { customerId: "c1", resellerId: "R" }, ["o2"]],
    ["the provider, providerId = itself", "p", { providerId: "P" }, ["same", "o5", "o3", "o2", "o1"]],
    ["the provider, providerId = another provider (its own side)", "p", { providerId: "P2" }, []],
    ["the provider, resellerId = a provider (the wrong kind)", "p", { resellerId: "P2" }, []],
    ["the provider, customerId = a customer it is not of record for (T-4)", "p", { customerId: "d0" }, []],
    ["the provider, customerId = an unknown id", "p", { customerId: "unknown" }, []],
    ["the other reseller, providerId = P", "r2", { providerId: "P" }, ["o3"]],
    ["the other reseller, providerId = P2", "r2", { providerId: "P2" }, ["o4"]],
    ["the other reseller, resellerId = R (its own side)", "r2", { resellerId: "R" }, []],
    ["the first reseller, customerId = c0", "r", { customerId: "c0" }, ["same", "o5", "o1"]],
  ] as const)("filters: when %s, then the list and totalCount are exactly those orders", async (_what, who, where, expected) => {
    const idOf: Record<string, string> = {
      R: channel.reseller.id,
      R2: other.reseller.id,
      P: channel.provider.id,
      P2: other.provider.id,
      c0: channel.sharedCustomers[0].id,
      c1: channel.sharedCustomers[1].id,
      d0: other.sharedCustomers[0].id,
      unknown: newId("Customer"),
    };
    const token =
      who === "p" ? await tokenOf(channel.providerUsers.ga) : who === "r" ? await tokenOf(channel.resellerUsers.ga) : await otherToken(other.resellerUsers.ga);
    const filter = Object.fromEntries(Object.entries(where).map(([k, v]) => [k, idOf[v]!]));
    const want = expected.flatMap((name) => (name === "same" ? sameInstant : [placed[name]!]));
    const page = await orders(token, { where: filter });
    expect(ids(page)).toEqual(want);
    expect(page.totalCount).toBe(want.length);
    if (want.length > 1) expect(await allPages(token, 1, filter)).toEqual(want);
  });

  it("T-2, T-3: when the provider is no longer of record for a customer and no longer partnered with a reseller, then its orders stay listed (its own records) with that customer and that reseller null, and filtering by the customer finds nothing", async () => {
    const c0 = channel.sharedCustomers[0].id;
    await app.cypher("MATCH (:Provider {id: $p})-[e:RESELLER_OF_RECORD]->(:Customer {id: $c}) DELETE e", { p: channel.provider.id, c: c0 });
    await app.cypher("MATCH (:Provider {id: $p})-[e:INDIRECT_PROVIDER_OF]->(:Reseller {id: $r}) DELETE e", { p: channel.provider.id, r: other.reseller.id });
    try {
      const token = await tokenOf(channel.providerUsers.ga);
      const page = await orders(token);
      expect(page.totalCount).toBe(7);
      const byId = new Map(page.edges.map((e) => [e.node.id, e.node]));
      expect(byId.get(placed.o1)!.customer).toBeNull();
      expect(byId.get(placed.o1)!.reseller?.id).toBe(channel.reseller.id);
      expect(byId.get(placed.o3)!.customer?.id).toBe(channel.sharedCustomers[1].id);
      expect(byId.get(placed.o3)!.reseller).toBeNull();
      expect(byId.get(placed.o3)!.partnerIdOnRecord).toBe(other.reseller.mpnId);
      expect(ids(await orders(token, { where: { customerId: c0 } }))).toEqual([]);
      // The reseller's side: the order of a provider it is no longer partnered with shows no provider (T-3).
      const r2 = await orders(await otherToken(other.resellerUsers.ga));
      expect(r2.edges.find((e) => e.node.id === placed.o3)!.node.provider).toBeNull();
    } finally {
      await app.cypher(
        `MATCH (p:Provider {id: $p}), (c:Customer {id: $c}), (r:Reseller {id: $r})
         CREATE (p)-[e:RESELLER_OF_RECORD {since: datetime(), delegatedAdmin: false}]->(c) SET e.listKey = ${listKeyOf("p", "c")}
         CREATE (p)-[:INDIRECT_PROVIDER_OF {since: datetime(), listKey: ${partnershipKeyOf("p", "r")}}]->(r)`,
        { p: channel.provider.id, c: c0, r: other.reseller.id },
      );
      await recountShared(app, [channel.provider.id, channel.reseller.id, other.reseller.id], [channel.provider.id]);
    }
  });

  it("when a page of orders is asked, with or without filters, then the request is 1 Cypher statement (the list goes with the viewer query)", async () => {
    const token = await tokenOf(channel.providerUsers.aa);
    await app.lifecycle("Orders", { first: 5 }, token); // the organisation is known from now on
    for (const where of [undefined, { resellerId: other.reseller.id }, { customerId: channel.sharedCustomers[1].id }]) {
      const result = await app.lifecycle<{ orders: Page<OrderView> }>("Orders", { first: 5, where }, token);
      expect(result.errors).toBeUndefined();
      expect(result.data!.orders.edges.length).toBeGreaterThan(0);
      expect(result.queryCount, JSON.stringify(where)).toBe(1);
    }
  });

  it("when after is not a cursor of this list (a customers cursor) or a filter is empty, then BAD_USER_INPUT naming it", async () => {
    const token = await tokenOf(channel.providerUsers.ga);
    const customers = await app.op<{ customers: Page<{ id: string }> }>("Customers", { first: 1 }, token);
    const cursor = customers.data!.customers.pageInfo.endCursor!;
    expectBadInput(await app.lifecycle("Orders", { first: 5, after: cursor }, token), "after", "cursor");
    expectBadInput(await app.lifecycle("Orders", { first: 5, where: { customerId: " " } }, token), "where.customerId");
  });

  it("C1: when a user management admin (no C1) lists orders, then FORBIDDEN naming C1", async () => {
    const result = await app.lifecycle("Orders", { first: 5 }, await tokenOf(channel.providerUsers.uma));
    expect(expectCode(result, "FORBIDDEN").extensions?.capability).toBe("C1");
  });
});

interface CustomerNode {
  id: string;
  companyName: string;
  domain: string;
}

async function withoutProvider(token: string, variables: { first?: number; after?: string; where?: Record<string, unknown> } = {}) {
  const result = await app.gql<{ customers: Page<CustomerNode> }>(
    `query ($first: Int, $after: String, $where: CustomerWhere) {
       customers(first: $first, after: $after, where: $where) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id companyName domain } } }
     }`,
    { variables: { first: 100, ...variables, where: { withoutProvider: true, ...variables.where } }, token },
  );
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.customers;
}

async function statsWithoutProvider(token: string): Promise<number> {
  const result = await app.op<{ channelStats: { customersWithoutProvider: number } }>("ChannelStats", {}, token);
  expect(result.errors).toBeUndefined();
  return result.data!.channelStats.customersWithoutProvider;
}

/** From scratch, no stored flag or count: a reseller's customers that no provider partnered with it is of record for. */
async function scratchWithoutProvider(partnerId: string): Promise<string[]> {
  const [row] = await app.cypher<{ ids: string[] }>(
    `MATCH (me:Partner {id: $partnerId})-[:RESELLER_OF_RECORD]->(c:Customer)
     WHERE me:Reseller AND NOT EXISTS { MATCH (p:Provider)-[:INDIRECT_PROVIDER_OF]->(me) WHERE (p)-[:RESELLER_OF_RECORD]->(c) }
     RETURN collect(c.id) AS ids`,
    { partnerId },
  );
  return [...row.ids].sort();
}

describe("customers without a provider (D-27, C1): the list behind channelStats.customersWithoutProvider", () => {
  it("when a reseller lists its customers without a provider, then they are exactly the count of channelStats and a count from scratch, by name", async () => {
    const token = await tokenOf(channel.resellerUsers.ga);
    const page = await withoutProvider(token);
    expect(page.totalCount).toBe(5);
    expect(page.totalCount).toBe(await statsWithoutProvider(token));
    expect([...ids(page)].sort()).toEqual(await scratchWithoutProvider(channel.reseller.id));
    expect([...ids(page)].sort()).toEqual([...soloIds].sort());
    const names = page.edges.map((e) => e.node.companyName.toLowerCase());
    expect([...names].sort()).toEqual(names);
  });

  it("when a provider lists its customers without a provider, then the list is empty and totalCount is channelStats' 0", async () => {
    const token = await tokenOf(channel.providerUsers.ga);
    const page = await withoutProvider(token);
    expect(page).toEqual({ totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] });
    expect(await statsWithoutProvider(token)).toBe(0);
  });

  it("when every demo organisation lists its customers without a provider, then each list equals its channelStats count and a count from scratch", async () => {
    const [row] = await app.cypher<{ orgs: { id: string; email: string }[] }>(
      `MATCH (u:User)-[:MEMBER_OF]->(p:Partner) WHERE u.demo AND u.adminRole = 'GLOBAL_ADMIN' WITH p, min(u.email) AS email RETURN collect({id: p.id, email: email}) AS orgs`,
    );
    expect(row.orgs.length).toBeGreaterThanOrEqual(6);
    let nonEmpty = 0;
    for (const org of row.orgs) {
      const token = await app.signInOnce(org.email);
      const page = await withoutProvider(token);
      expect(page.totalCount, org.email).toBe(await statsWithoutProvider(token));
      expect([...ids(page)].sort(), org.email).toEqual(await scratchWithoutProvider(org.id));
      if (page.totalCount > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(0);
  });

  it("when the reseller pages through them 2 at a time, then it gets all 5 once each, in the order of one big page", async () => {
    const token = await tokenOf(channel.resellerUsers.ga);
    const whole = ids(await withoutProvider(token));
    const seen: string[] = [];
    let after: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await withoutProvider(token, { first: 2, after });
      expect(page.totalCount).toBe(5);
      seen.push(...ids(page));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor!;
    }
    expect(seen).toEqual(whole);
  });

  it("when withoutProvider is false, then the list is the reseller's other customers (those with a provider), and with a search only the matching ones", async () => {
    const token = await tokenOf(channel.resellerUsers.ga);
    const withProvider = await withoutProvider(token, { where: { withoutProvider: false } });
    expect([...ids(withProvider)].sort()).toEqual(channel.sharedCustomers.map((c) => c.id).sort());
    expect(withProvider.totalCount).toBe(2);
    const searched = await withoutProvider(token, { where: { search: `solo ${channel.tag} 3` } });
    expect(ids(searched)).toEqual([soloIds[3]]);
    expect(searched.totalCount).toBe(1);
  });

  it("when a provider partnered with the reseller becomes a partner of record of one of them, then it leaves the list and channelStats follows", async () => {
    const token = await tokenOf(channel.resellerUsers.ga);
    await app.cypher(
      `MATCH (p:Provider {id: $p}), (c:Customer {id: $c}) CREATE (p)-[e:RESELLER_OF_RECORD {since: datetime(), delegatedAdmin: false}]->(c) SET e.listKey = ${listKeyOf("p", "c")}`,
      { p: channel.provider.id, c: soloIds[4] },
    );
    await recountShared(app, [channel.provider.id, channel.reseller.id], [channel.provider.id]);
    try {
      const page = await withoutProvider(token);
      expect(page.totalCount).toBe(4);
      expect(await statsWithoutProvider(token)).toBe(4);
      expect(ids(page)).not.toContain(soloIds[4]);
      expect([...ids(page)].sort()).toEqual(await scratchWithoutProvider(channel.reseller.id));
    } finally {
      await app.cypher("MATCH (:Provider {id: $p})-[e:RESELLER_OF_RECORD]->(:Customer {id: $c}) DELETE e", { p: channel.provider.id, c: soloIds[4] });
      await recountShared(app, [channel.provider.id, channel.reseller.id], [channel.provider.id]);
    }
  });

  it("when the contract's CustomersWithoutProvider is asked, then it is 1 Cypher statement", async () => {
    const token = await tokenOf(channel.resellerUsers.aa);
    await app.lifecycle("CustomersWithoutProvider", { first: 2 }, token); // the organisation is known from now on
    const result = await app.lifecycle<{ customers: Page<CustomerNode> }>("CustomersWithoutProvider", { first: 2 }, token);
    expect(result.errors).toBeUndefined();
    expect(result.data!.customers.totalCount).toBe(5);
    expect(result.data!.customers.edges).toHaveLength(2);
    expect(result.queryCount).toBe(1);
  });
});
