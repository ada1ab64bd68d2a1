import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../src/shared/ids.js";
import { startTestApp, uniqueTag, tokenGetter, type TestApp } from "../support/app.js";
import { expectCode, expectBadInput } from "../support/expect.js";
import { createChannel, listKeyOf, recountShared, type Channel } from "../support/fixtures.js";

interface SubscriptionView {
  id: string;
  offerName: string;
  productFamily: string;
  quantity: number;
  status: string;
}
interface SubmitOrderData {
  submitOrder: {
    order: { id: string; status: string; lineItems: { offerId: string; quantity: number }[] };
    subscriptions: SubscriptionView[];
  };
}
interface UpdateQuantityData {
  updateSubscriptionQuantity: { id: string; quantity: number; status: string };
}
interface CustomerData {
  customer: { id: string; subscriptions: SubscriptionView[] } | null;
}

let app: TestApp;
let channel: Channel;
/** A second, unrelated channel: its reseller is not our provider's, its subscriptions not ours. */
let other: Channel;
/** A customer only our provider is of record for (its reseller is not: D-19). */
let providerOnlyCustomerId: string;
const offers = new Map<string, { id: string; productFamily: string }>();
const offerId = (name: string) => offers.get(name)!.id;

const tokenOf = tokenGetter(() => app, () => channel.password);

beforeAll(async () => {
  app = await startTestApp();
  const tag = uniqueTag();
  channel = await createChannel(app, tag);
  other = await createChannel(app, `${tag}x`);
  providerOnlyCustomerId = newId("Customer");
  await app.cypher(
    `MATCH (p:Partner {id: $providerId})
     CREATE (p)-[e:RESELLER_OF_RECORD {since: datetime(), delegatedAdmin: false}]->(c:Customer {id: $id, companyName: $name,
       companyNameLower: toLower($name), domain: $domain, countryCode: 'US', fixture: $tag, createdAt: datetime()})
     SET e.listKey = ${listKeyOf("p", "c")}`,
    { providerId: channel.provider.id, id: providerOnlyCustomerId, name: `Fixture Direct ${tag}`, domain: `direct-${tag}.example`, tag },
  );
  await recountShared(app, [channel.provider.id], [channel.provider.id]);
  for (const row of await app.cypher<{ name: string; id: string; productFamily: string }>(
    "MATCH (o:Offer) RETURN o.name AS name, o.id AS id, o.productFamily AS productFamily",
  )) {
    offers.set(row.name, { id: row.id, productFamily: row.productFamily });
  }
});
afterAll(async () => {
  await channel?.remove();
  await other?.remove();
  await app?.close();
});

async function order(
  email: string,
  input: { customerId: string; resellerId: string; lineItems: { offerId: string; quantity: number }[] },
  password?: string,
) {
  return app.op<SubmitOrderData>("SubmitOrder", { input }, await tokenOf(email, password));
}

/** A fresh order by the provider's GA for the first shared customer; returns its subscriptions by offer name. */
async function freshSubscriptions(): Promise<Record<string, SubscriptionView>> {
  const result = await order(channel.providerUsers.ga, {
    customerId: channel.sharedCustomers[0].id,
    resellerId: channel.reseller.id,
    lineItems: [
      { offerId: offerId("Microsoft 365 E3"), quantity: 10 },
      { offerId: offerId("Azure plan"), quantity: 1 },
    ],
  });
  expect(result.errors).toBeUndefined();
  return Object.fromEntries(result.data!.submitOrder.subscriptions.map((s) => [s.offerName, s]));
}

const auditCount = async (partnerId: string) =>
  Number(
    (await app.cypher<{ n: unknown }>("MATCH (:Partner {id: $partnerId})-[:HAS_AUDIT_EVENT]->(e) RETURN count(e) AS n", { partnerId }))[0].n,
  );

describe("submitOrder (C14, D-10, D-12, D-19)", () => {
  it("D-19: when a provider's admin agent orders for a shared customer, then the order is COMPLETED, records the reseller's MPN ID as partnerIdOnRecord, and its subscriptions show at once for the provider and the reseller", async () => {
    const customerId = channel.sharedCustomers[1].id;
    const lineItems = [
      { offerId: offerId("Microsoft 365 Business Basic"), quantity: 12 },
      { offerId: offerId("Dynamics 365 Sales Enterprise"), quantity: 3 },
    ];
    const result = await order(channel.providerUsers.aa, { customerId, resellerId: channel.reseller.id, lineItems });
    expect(result.errors).toBeUndefined();
    const { order: placed, subscriptions } = result.data!.submitOrder;
    expect(placed.status).toBe("COMPLETED");
    expect(placed.lineItems).toEqual(lineItems);
    expect(subscriptions.map((s) => [s.offerName, s.productFamily, s.quantity, s.status])).toEqual([
      ["Microsoft 365 Business Basic", "OFFICE_365", 12, "ACTIVE"],
      ["Dynamics 365 Sales Enterprise", "DYNAMICS_365", 3, "ACTIVE"],
    ]);

    const [graph] = await app.cypher<Record<string, unknown>>(
      `MATCH (o:Order {id: $id})
       RETURN o.partnerIdOnRecord AS partnerIdOnRecord,
         [(o)-[:FOR_CUSTOMER]->(c) | c.id] AS customers, [(o)-[:PLACED_BY]->(p) | p.id] AS placedBy,
         [(o)-[:ON_RECORD_FOR]->(r) | r.id] AS onRecordFor,
         [(o)-[:CREATED]->(s:Subscription)-[:SOLD_THROUGH]->(r:Reseller) WHERE EXISTS { (s)-[:ORDERED_BY]->(:Provider {id: $providerId}) }
           AND EXISTS { (s)-[:OF_OFFER]->(:Offer) } AND EXISTS { (:Customer {id: $customerId})-[:HAS_SUBSCRIPTION]->(s) } | r.id] AS soldThrough,
         [(o)-[:CREATED]->(s) | valueType(s.quantity)] AS quantityTypes`,
      { id: placed.id, providerId: channel.provider.id, customerId },
    );
    expect(graph.partnerIdOnRecord).toBe(channel.reseller.mpnId);
    expect(graph.customers).toEqual([customerId]);
    expect(graph.placedBy).toEqual([channel.provider.id]);
    expect(graph.onRecordFor).toEqual([channel.reseller.id]);
    expect(graph.soldThrough).toEqual([channel.reseller.id, channel.reseller.id]);
    expect(graph.quantityTypes).toEqual(["INTEGER NOT NULL", "INTEGER NOT NULL"]);

    const ids = subscriptions.map((s) => s.id).sort();
    for (const email of [channel.providerUsers.ga, channel.resellerUsers.ga]) {
      const seen = await app.op<CustomerData>("Customer", { id: customerId }, await tokenOf(email));
      expect(seen.errors).toBeUndefined();
      expect(seen.data!.customer!.subscriptions.map((s) => s.id).sort(), email).toEqual(ids);
    }
  });

  it("C14: when a provider's sales agent orders, then it is allowed (the matrix's ext cell)", async () => {
    const result = await order(channel.providerUsers.sa, {
      customerId: channel.sharedCustomers[1].id,
      resellerId: channel.reseller.id,
      lineItems: [{ offerId: offerId("Azure plan"), quantity: 1 }],
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.submitOrder.order.status).toBe("COMPLETED");
  });

  it("D-12: when a provider orders for a customer only its reseller is of record for, then NOT_FOUND (out of scope reads as missing) and nothing is written", async () => {
    const before = await auditCount(channel.provider.id);
    const result = await order(channel.providerUsers.ga, {
      customerId: channel.resellerOnlyCustomer.id,
      resellerId: channel.reseller.id,
      lineItems: [{ offerId: offerId("Microsoft 365 E3"), quantity: 5 }],
    });
    const error = expectCode(result, "NOT_FOUND");
    expect(error.message).toContain(channel.resellerOnlyCustomer.id);
    const [row] = await app.cypher<{ orders: unknown; subs: unknown }>(
      `MATCH (c:Customer {id: $id})
       RETURN COUNT { (:Order)-[:FOR_CUSTOMER]->(c) } AS orders, COUNT { (c)-[:HAS_SUBSCRIPTION]->() } AS subs`,
      { id: channel.resellerOnlyCustomer.id },
    );
    expect([Number(row.orders), Number(row.subs)]).toEqual([0, 0]);
    expect(await auditCount(channel.provider.id)).toBe(before);
  });

  it("D-19: when the reseller is not an indirect reseller of the caller's provider, then NOT_FOUND naming the reseller (T-4)", async () => {
    const result = await order(channel.providerUsers.ga, {
      customerId: channel.sharedCustomers[0].id,
      resellerId: other.reseller.id,
      lineItems: [{ offerId: offerId("Microsoft 365 E3"), quantity: 5 }],
    });
    const error = expectCode(result, "NOT_FOUND");
    expect(error.message).toContain(other.reseller.id);
  });

  it("D-19: when the reseller is the provider's but has no reseller relationship with the customer, then BAD_USER_INPUT on input.resellerId naming D-19, and no audit event is written", async () => {
    const before = await auditCount(channel.provider.id);
    const result = await order(channel.providerUsers.ga, {
      customerId: providerOnlyCustomerId,
      resellerId: channel.reseller.id,
      lineItems: [{ offerId: offerId("Microsoft 365 E3"), quantity: 5 }],
    });
    expectBadInput(result, "input.resellerId", "D-19");
    expect(result.errors![0].message).toContain("D-19");
    const [row] = await app.cypher<{ n: unknown }>("MATCH (c:Customer {id: $id}) RETURN COUNT { (c)-[:HAS_SUBSCRIPTION]->() } AS n", {
      id: providerOnlyCustomerId,
    });
    expect(Number(row.n)).toBe(0);
    expect(await auditCount(channel.provider.id)).toBe(before);
  });

  it.each([0, 10_001, -3])("when a line item's quantity is %i, then BAD_USER_INPUT naming input.lineItems[1].quantity", async (quantity) => {
    const result = await order(channel.providerUsers.ga, {
      customerId: channel.sharedCustomers[0].id,
      resellerId: channel.reseller.id,
      lineItems: [
        { offerId: offerId("Microsoft 365 E3"), quantity: 1 },
        { offerId: offerId("Azure plan"), quantity },
      ],
    });
    expectBadInput(result, "input.lineItems[1].quantity");
  });

  it("when a line item names an offer that does not exist, then BAD_USER_INPUT naming input.lineItems[i].offerId, and nothing is written", async () => {
    const before = await auditCount(channel.provider.id);
    const result = await order(channel.providerUsers.ga, {
      customerId: channel.sharedCustomers[0].id,
      resellerId: channel.reseller.id,
      lineItems: [
        { offerId: offerId("Microsoft 365 E3"), quantity: 1 },
        { offerId: newId("Offer"), quantity: 1 },
      ],
    });
    expectBadInput(result, "input.lineItems[1].offerId");
    expect(await auditCount(channel.provider.id)).toBe(before);
  });

  it.each([0, 21])("when an order has %i line items, then BAD_USER_INPUT naming input.lineItems (1..20)", async (count) => {
    const result = await order(channel.providerUsers.ga, {
      customerId: channel.sharedCustomers[0].id,
      resellerId: channel.reseller.id,
      lineItems: Array.from({ length: count }, () => ({ offerId: offerId("Azure plan"), quantity: 1 })),
    });
    expectBadInput(result, "input.lineItems");
  });

  it("when an order has 20 line items (the maximum), then it makes 20 subscriptions", async () => {
    const result = await order(channel.providerUsers.ga, {
      customerId: channel.sharedCustomers[1].id,
      resellerId: channel.reseller.id,
      lineItems: Array.from({ length: 20 }, (_, i) => ({ offerId: offerId("Azure plan"), quantity: i + 1 })),
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.submitOrder.subscriptions.map((s) => s.quantity)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it.each([
    ["a reseller's global admin (C14 is for providers)", () => channel.resellerUsers.ga],
    ["a provider's helpdesk agent", () => channel.providerUsers.ha],
    ["a provider's user management admin", () => channel.providerUsers.uma],
  ])("C14: when %s submits an order, then FORBIDDEN naming C14", async (_who, email) => {
    const result = await order(email(), {
      customerId: channel.sharedCustomers[0].id,
      resellerId: channel.reseller.id,
      lineItems: [{ offerId: offerId("Microsoft 365 E3"), quantity: 1 }],
    });
    const error = expectCode(result, "FORBIDDEN");
    expect(error.extensions?.capability).toBe("C14");
  });
});

describe("updateSubscriptionQuantity (C5)", () => {
  let subs: Record<string, SubscriptionView>;
  beforeAll(async () => {
    subs = await freshSubscriptions();
  });

  const update = async (email: string, subscriptionId: string, quantity: number, password?: string) =>
    app.op<UpdateQuantityData>("UpdateSubscriptionQuantity", { subscriptionId, quantity }, await tokenOf(email, password));

  it("C5: when a helpdesk agent changes an Office 365 subscription, then FORBIDDEN saying an admin agent is needed, and the quantity is unchanged", async () => {
    const result = await update(channel.providerUsers.ha, subs["Microsoft 365 E3"].id, 11);
    const error = expectCode(result, "FORBIDDEN");
    expect(error.message).toContain("admin agent");
    expect(error.extensions?.capability).toBe("C5");
    const [row] = await app.cypher<{ q: unknown }>("MATCH (s:Subscription {id: $id}) RETURN s.quantity AS q", { id: subs["Microsoft 365 E3"].id });
    expect(Number(row.q)).toBe(10);
  });

  it("C5: when the reseller's helpdesk agent changes the same Office 365 subscription, then FORBIDDEN too", async () => {
    const result = await update(channel.resellerUsers.ha, subs["Microsoft 365 E3"].id, 11);
    expect(expectCode(result, "FORBIDDEN").message).toContain("admin agent");
  });

  it("C5: when a helpdesk agent changes an Azure subscription, then it is allowed", async () => {
    const result = await update(channel.providerUsers.ha, subs["Azure plan"].id, 4);
    expect(result.errors).toBeUndefined();
    expect(result.data!.updateSubscriptionQuantity).toEqual({ id: subs["Azure plan"].id, quantity: 4, status: "ACTIVE" });
  });

  it("C5: when an admin agent changes an Office 365 subscription, then it is allowed and the customer's subscriptions show the new quantity, stored as an integer", async () => {
    const result = await update(channel.providerUsers.aa, subs["Microsoft 365 E3"].id, 250);
    expect(result.errors).toBeUndefined();
    expect(result.data!.updateSubscriptionQuantity.quantity).toBe(250);
    const seen = await app.op<CustomerData>("Customer", { id: channel.sharedCustomers[0].id }, await tokenOf(channel.resellerUsers.ga));
    expect(seen.data!.customer!.subscriptions.find((s) => s.id === subs["Microsoft 365 E3"].id)!.quantity).toBe(250);
    const [row] = await app.cypher<{ t: string }>("MATCH (s:Subscription {id: $id}) RETURN valueType(s.quantity) AS t", {
      id: subs["Microsoft 365 E3"].id,
    });
    expect(row.t).toBe("INTEGER NOT NULL");
  });

  it("C5: when the reseller's global admin changes an Office 365 subscription sold through it, then it is allowed", async () => {
    const result = await update(channel.resellerUsers.ga, subs["Microsoft 365 E3"].id, 251);
    expect(result.errors).toBeUndefined();
    expect(result.data!.updateSubscriptionQuantity.quantity).toBe(251);
  });

  it.each([["a sales agent", "sa"], ["a user management admin", "uma"]])("C5: when %s changes a quantity, then FORBIDDEN naming C5", async (_who, role) => {
    const result = await update(channel.providerUsers[role], subs["Azure plan"].id, 2);
    expect(expectCode(result, "FORBIDDEN").extensions?.capability).toBe("C5");
  });

  it.each([0, 10_001, -1])("when the quantity is %i, then BAD_USER_INPUT naming quantity", async (quantity) => {
    const result = await update(channel.providerUsers.aa, subs["Azure plan"].id, quantity);
    expectBadInput(result, "quantity");
  });

  it("T-4: when a subscription of another organisation's customer is changed, then NOT_FOUND, exactly like an id that does not exist", async () => {
    const [foreign] = await app.cypher<{ id: string }>(
      "MATCH (:Customer)-[:HAS_SUBSCRIPTION]->(s:Subscription)-[:ORDERED_BY]->(p:Provider) WHERE p.id <> $mine RETURN s.id AS id LIMIT 1",
      { mine: channel.provider.id },
    );
    const result = await update(channel.providerUsers.ga, foreign.id, 2);
    const error = expectCode(result, "NOT_FOUND");
    const missing = await update(channel.providerUsers.ga, newId("Subscription"), 2);
    expect(expectCode(missing, "NOT_FOUND").message.replace(/sub_\w+/, "")).toBe(error.message.replace(/sub_\w+/, ""));
  });

  it("T-4: when the other channel's helpdesk agent asks for our Office 365 subscription, then NOT_FOUND (not FORBIDDEN: nothing is revealed)", async () => {
    const result = await update(other.providerUsers.ha, subs["Microsoft 365 E3"].id, 2, other.password);
    expectCode(result, "NOT_FOUND");
  });

  it("when the subscription is SUSPENDED, then CONFLICT, the quantity is unchanged and no audit event is written", async () => {
    const fresh = await freshSubscriptions();
    const id = fresh["Azure plan"].id;
    await app.cypher("MATCH (s:Subscription {id: $id}) SET s.status = 'SUSPENDED'", { id });
    const before = await auditCount(channel.provider.id);
    const result = await update(channel.providerUsers.aa, id, 7);
    expectCode(result, "CONFLICT");
    const [row] = await app.cypher<{ q: unknown; u: unknown }>("MATCH (s:Subscription {id: $id}) RETURN s.quantity AS q, s.updatedAt AS u", { id });
    expect(Number(row.q)).toBe(1);
    expect(row.u).toBeNull();
    expect(await auditCount(channel.provider.id)).toBe(before);
  });

  it("when a quantity change succeeds, then one audit event names the subscription", async () => {
    const before = await auditCount(channel.provider.id);
    const result = await update(channel.providerUsers.aa, subs["Azure plan"].id, 9);
    expect(result.errors).toBeUndefined();
    const events = await app.cypher<{ operation: string; targetIds: string[]; actorEmail: string }>(
      `MATCH (:Partner {id: $partnerId})-[:HAS_AUDIT_EVENT]->(e) RETURN e.operation AS operation, e.targetIds AS targetIds, e.actorEmail AS actorEmail
       ORDER BY e.at DESC, e.id DESC LIMIT 1`,
      { partnerId: channel.provider.id },
    );
    expect(await auditCount(channel.provider.id)).toBe(before + 1);
    expect(events[0]).toEqual({ operation: "updateSubscriptionQuantity", targetIds: [subs["Azure plan"].id], actorEmail: channel.providerUsers.aa });
  });
});
