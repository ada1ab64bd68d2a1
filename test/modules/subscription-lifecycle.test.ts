import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../src/shared/ids.js";
import { startTestApp, tokenGetter, uniqueTag, type TestApp } from "../support/app.js";
import { expectCode } from "../support/expect.js";
import { createChannel, listKeyOf, recountShared, type Channel } from "../support/fixtures.js";

/**
 * D-21: a subscription's states (suspendSubscription, reactivateSubscription, cancelSubscription,
 * C5 with the helpdesk rule on Office 365), who may change it (the partners it was sold through or
 * ordered by; another partner of record reads it, C1, and is refused), and its channel fields
 * (soldThrough, orderedBy, partnerIdOnRecord, D-19), through the API against the real graph.
 */

interface SubscriptionView {
  id: string;
  offerName: string;
  productFamily: string;
  quantity: number;
  status: string;
  partnerIdOnRecord: string | null;
  soldThrough: { id: string; name: string; mpnId: string } | null;
  orderedBy: { id: string; name: string; mpnId: string } | null;
}

/** lifecycle.graphql's CustomerChannel without its delegatedAdminRelationships (D-25's, another module's). */
const CHANNEL = `query Channel($id: ID!) {
  customer(id: $id) {
    id companyName
    subscriptions {
      id offerName productFamily quantity status partnerIdOnRecord
      soldThrough { id name mpnId }
      orderedBy { id name mpnId }
    }
  }
}`;

type Transition = "SuspendSubscription" | "ReactivateSubscription" | "CancelSubscription";
const FIELD: Record<Transition, string> = {
  SuspendSubscription: "suspendSubscription",
  ReactivateSubscription: "reactivateSubscription",
  CancelSubscription: "cancelSubscription",
};
const TRANSITIONS = Object.keys(FIELD) as Transition[];

let app: TestApp;
let channel: Channel;
/** Another channel: its reseller is made a partner of record of our first shared customer (not partnered with our provider). */
let other: Channel;
const offers = new Map<string, string>();
/** A subscription of our first shared customer that no order made (raw Cypher): no partner of record, no channel. */
let orphanSubscriptionId: string;

const tokenOf = tokenGetter(() => app, () => channel.password);
const otherToken = (email: string) => app.signInOnce(email, other.password);

beforeAll(async () => {
  app = await startTestApp();
  const tag = uniqueTag();
  channel = await createChannel(app, tag);
  other = await createChannel(app, `${tag}y`);
  // D-21: the other reseller becomes a partner of record of our first shared customer: it reads
  // its subscriptions (T-2) but sold none of them.
  await app.cypher(
    `MATCH (r:Reseller {id: $resellerId}), (c:Customer {id: $customerId})
     CREATE (r)-[e:RESELLER_OF_RECORD {since: datetime(), delegatedAdmin: true}]->(c) SET e.listKey = ${listKeyOf("r", "c")}`,
    { resellerId: other.reseller.id, customerId: channel.sharedCustomers[0].id },
  );
  await recountShared(app, [other.reseller.id, channel.provider.id, channel.reseller.id], [channel.provider.id, other.provider.id]);
  for (const row of await app.cypher<{ name: string; id: string }>("MATCH (o:Offer) RETURN o.name AS name, o.id AS id")) offers.set(row.name, row.id);
  orphanSubscriptionId = newId("Subscription");
  await app.cypher(
    `MATCH (c:Customer {id: $customerId}), (o:Offer {name: 'Azure plan'})
     CREATE (c)-[:HAS_SUBSCRIPTION]->(s:Subscription {id: $id, offerId: o.id, offerName: o.name, productFamily: o.productFamily,
       quantity: 3, status: 'ACTIVE', createdAt: datetime()})-[:OF_OFFER]->(o)`,
    { customerId: channel.sharedCustomers[0].id, id: orphanSubscriptionId },
  );
});

afterAll(async () => {
  await channel?.remove();
  await other?.remove();
  await app?.close();
});

/** A fresh order by the provider's GA for the first shared customer, through our reseller: its subscriptions by offer name. */
async function freshSubscriptions(): Promise<Record<string, SubscriptionView>> {
  const result = await app.op<{ submitOrder: { subscriptions: SubscriptionView[] } }>(
    "SubmitOrder",
    {
      input: {
        customerId: channel.sharedCustomers[0].id,
        resellerId: channel.reseller.id,
        lineItems: [
          { offerId: offers.get("Microsoft 365 E3"), quantity: 10 },
          { offerId: offers.get("Azure plan"), quantity: 2 },
        ],
      },
    },
    await tokenOf(channel.providerUsers.ga),
  );
  expect(result.errors).toBeUndefined();
  return Object.fromEntries(result.data!.submitOrder.subscriptions.map((s) => [s.offerName, s]));
}

async function transition(operation: Transition, subscriptionId: string, token: string) {
  const result = await app.lifecycle<Record<string, { id: string; status: string } | null>>(operation, { subscriptionId }, token);
  return { result, subscription: result.data?.[FIELD[operation]] ?? null };
}

async function storedStatus(id: string): Promise<{ status: string; quantity: number }> {
  const [row] = await app.cypher<{ status: string; quantity: unknown }>("MATCH (s:Subscription {id: $id}) RETURN s.status AS status, s.quantity AS quantity", { id });
  return { status: row.status, quantity: Number(row.quantity) };
}

async function auditCount(partnerId: string): Promise<number> {
  const [row] = await app.cypher<{ n: unknown }>("MATCH (:Partner {id: $partnerId})-[:HAS_AUDIT_EVENT]->(e) RETURN count(e) AS n", { partnerId });
  return Number(row.n);
}

async function lastAudit(partnerId: string) {
  const [row] = await app.cypher<{ operation: string; targetIds: string[]; actorEmail: string }>(
    `MATCH (:Partner {id: $partnerId})-[:HAS_AUDIT_EVENT]->(e)
     RETURN e.operation AS operation, e.targetIds AS targetIds, e.actorEmail AS actorEmail ORDER BY e.at DESC, e.id DESC LIMIT 1`,
    { partnerId },
  );
  return row;
}

const updateQuantity = (subscriptionId: string, quantity: number, token: string) =>
  app.op<{ updateSubscriptionQuantity: { id: string; quantity: number } | null }>("UpdateSubscriptionQuantity", { subscriptionId, quantity }, token);

describe("subscription states (D-21, C5)", () => {
  it("D-21: when a subscription goes ACTIVE -> SUSPENDED -> ACTIVE -> CANCELLED, then each step returns the new status, stores it and writes its audit event", async () => {
    const id = (await freshSubscriptions())["Azure plan"].id;
    const steps: [Transition, string, string][] = [
      ["SuspendSubscription", channel.providerUsers.aa, "SUSPENDED"],
      ["ReactivateSubscription", channel.resellerUsers.ga, "ACTIVE"],
      ["CancelSubscription", channel.providerUsers.ga, "CANCELLED"],
    ];
    for (const [operation, email, status] of steps) {
      const org = email === channel.resellerUsers.ga ? channel.reseller.id : channel.provider.id;
      const before = await auditCount(org);
      const { result, subscription } = await transition(operation, id, await tokenOf(email));
      expect(result.errors, operation).toBeUndefined();
      expect(subscription).toEqual({ id, status });
      expect((await storedStatus(id)).status).toBe(status);
      expect(await auditCount(org)).toBe(before + 1);
      expect(await lastAudit(org)).toEqual({ operation: FIELD[operation], targetIds: [id], actorEmail: email });
    }
  });

  it("D-21: when a SUSPENDED subscription is cancelled, then it is CANCELLED", async () => {
    const id = (await freshSubscriptions())["Azure plan"].id;
    const token = await tokenOf(channel.providerUsers.aa);
    expect((await transition("SuspendSubscription", id, token)).result.errors).toBeUndefined();
    const { result, subscription } = await transition("CancelSubscription", id, token);
    expect(result.errors).toBeUndefined();
    expect(subscription).toEqual({ id, status: "CANCELLED" });
  });

  it("D-21: when an ACTIVE subscription is suspended twice or reactivated, then CONFLICT naming ACTIVE/SUSPENDED and D-21, nothing changes and no audit event is written", async () => {
    const id = (await freshSubscriptions())["Azure plan"].id;
    const token = await tokenOf(channel.providerUsers.aa);
    const before = await auditCount(channel.provider.id);
    const reactivated = await transition("ReactivateSubscription", id, token);
    expectCode(reactivated.result, "CONFLICT", "is ACTIVE", "only a SUSPENDED subscription can be reactivated", "D-21");
    expect(reactivated.subscription).toBeNull();
    expect(await auditCount(channel.provider.id)).toBe(before);

    expect((await transition("SuspendSubscription", id, token)).result.errors).toBeUndefined();
    const again = await transition("SuspendSubscription", id, token);
    expectCode(again.result, "CONFLICT", "is SUSPENDED", "only an ACTIVE subscription can be suspended", "D-21");
    expect(await storedStatus(id)).toEqual({ status: "SUSPENDED", quantity: 2 });
    expect(await auditCount(channel.provider.id)).toBe(before + 1);
  });

  it("D-21: when a subscription is CANCELLED, then suspending, reactivating, cancelling again and changing its quantity are all CONFLICT (final), and nothing is written", async () => {
    const id = (await freshSubscriptions())["Azure plan"].id;
    const token = await tokenOf(channel.providerUsers.ga);
    expect((await transition("CancelSubscription", id, token)).result.errors).toBeUndefined();
    const before = await auditCount(channel.provider.id);
    for (const operation of TRANSITIONS) {
      const { result } = await transition(operation, id, token);
      expectCode(result, "CONFLICT", "is CANCELLED", "D-21");
    }
    expectCode(await updateQuantity(id, 5, token), "CONFLICT", "is CANCELLED", "only an ACTIVE subscription's quantity can change");
    const [row] = await app.cypher<{ status: string; quantity: unknown; updatedAt: unknown }>(
      "MATCH (s:Subscription {id: $id}) RETURN s.status AS status, s.quantity AS quantity, s.updatedAt AS updatedAt",
      { id },
    );
    expect([row.status, Number(row.quantity)]).toEqual(["CANCELLED", 2]);
    expect(await auditCount(channel.provider.id)).toBe(before);
  });

  it("D-21: when a SUSPENDED subscription's quantity is changed, then CONFLICT naming SUSPENDED, and after reactivation the change is allowed", async () => {
    const id = (await freshSubscriptions())["Azure plan"].id;
    const token = await tokenOf(channel.providerUsers.aa);
    expect((await transition("SuspendSubscription", id, token)).result.errors).toBeUndefined();
    expectCode(await updateQuantity(id, 5, token), "CONFLICT", "is SUSPENDED");
    expect((await storedStatus(id)).quantity).toBe(2);
    expect((await transition("ReactivateSubscription", id, token)).result.errors).toBeUndefined();
    const changed = await updateQuantity(id, 5, token);
    expect(changed.errors).toBeUndefined();
    expect(changed.data!.updateSubscriptionQuantity!.quantity).toBe(5);
  });

  it("D-21: when two suspensions of one subscription race, then exactly one succeeds and the other is CONFLICT (the write lock is taken before the status is read)", async () => {
    const id = (await freshSubscriptions())["Azure plan"].id;
    const [a, b] = await Promise.all([
      transition("SuspendSubscription", id, await tokenOf(channel.providerUsers.aa)),
      transition("SuspendSubscription", id, await tokenOf(channel.resellerUsers.ga)),
    ]);
    const codes = [a, b].map((x) => x.result.errors?.[0]?.extensions?.code ?? "OK").sort();
    expect(codes).toEqual(["CONFLICT", "OK"]);
    expect((await storedStatus(id)).status).toBe("SUSPENDED");
  });
});

describe("who may change a subscription (D-21, C5, ROLES.md, T-4)", () => {
  let subs: Record<string, SubscriptionView>;
  beforeAll(async () => {
    subs = await freshSubscriptions();
  });

  it.each(TRANSITIONS)(
    "C5: when a helpdesk agent calls %s on an Office 365 subscription, then FORBIDDEN saying an admin agent is needed, and the status is unchanged",
    async (operation) => {
      const id = subs["Microsoft 365 E3"].id;
      for (const email of [channel.providerUsers.ha, channel.resellerUsers.ha]) {
        const { result } = await transition(operation, id, await tokenOf(email));
        const error = expectCode(result, "FORBIDDEN", "admin agent");
        expect(error.extensions?.capability).toBe("C5");
      }
      expect((await storedStatus(id)).status).toBe("ACTIVE");
    },
  );

  it("C5: when a helpdesk agent suspends and reactivates an Azure subscription, then it is allowed", async () => {
    const id = subs["Azure plan"].id;
    const token = await tokenOf(channel.providerUsers.ha);
    expect((await transition("SuspendSubscription", id, token)).subscription).toEqual({ id, status: "SUSPENDED" });
    expect((await transition("ReactivateSubscription", id, token)).subscription).toEqual({ id, status: "ACTIVE" });
  });

  it.each([["a sales agent", "sa"], ["a user management admin", "uma"]])("C5: when %s suspends a subscription, then FORBIDDEN naming C5", async (_who, role) => {
    const { result } = await transition("SuspendSubscription", subs["Azure plan"].id, await tokenOf(channel.providerUsers[role]));
    expect(expectCode(result, "FORBIDDEN").extensions?.capability).toBe("C5");
  });

  it("D-21: when another partner of record of the customer (not the reseller it was sold through, nor the provider that ordered it) reads the customer, then it sees the subscription (C1)", async () => {
    const result = await app.gql<{ customer: { subscriptions: SubscriptionView[] } }>(CHANNEL, {
      variables: { id: channel.sharedCustomers[0].id },
      token: await otherToken(other.resellerUsers.ga),
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.customer.subscriptions.map((s) => s.id)).toEqual(expect.arrayContaining([subs["Azure plan"].id, subs["Microsoft 365 E3"].id]));
  });

  it.each(TRANSITIONS)(
    "D-21: when another partner of record calls %s, then FORBIDDEN saying only the partners it was sold through or ordered by may change it, and nothing is written",
    async (operation) => {
      const id = subs["Azure plan"].id;
      const updatedAt = async () =>
        String((await app.cypher<{ at: unknown }>("MATCH (s:Subscription {id: $id}) RETURN toString(s.updatedAt) AS at", { id }))[0].at);
      const before = { audit: await auditCount(other.reseller.id), updatedAt: await updatedAt() };
      const { result } = await transition(operation, id, await otherToken(other.resellerUsers.ga));
      expectCode(result, "FORBIDDEN", id, "sold through or ordered by", "D-21");
      expect(await storedStatus(id)).toEqual({ status: "ACTIVE", quantity: 2 });
      // The lock's write (updatedAt) rolled back with the refusal.
      expect({ audit: await auditCount(other.reseller.id), updatedAt: await updatedAt() }).toEqual(before);
    },
  );

  it("D-21: when another partner of record changes the quantity, then FORBIDDEN as well (it was NOT_FOUND before every partner of record could read it)", async () => {
    const result = await updateQuantity(subs["Azure plan"].id, 9, await otherToken(other.resellerUsers.aa));
    expectCode(result, "FORBIDDEN", "D-21");
    expect((await storedStatus(subs["Azure plan"].id)).quantity).toBe(2);
  });

  it("D-21: when a subscription no order made (no reseller, no provider) is changed by a partner of record, then FORBIDDEN: nobody's channel", async () => {
    const { result } = await transition("SuspendSubscription", orphanSubscriptionId, await tokenOf(channel.providerUsers.ga));
    expectCode(result, "FORBIDDEN", "D-21");
  });

  it.each(TRANSITIONS)("T-4: when a partner not of record for the customer calls %s, then NOT_FOUND, exactly like an id that does not exist", async (operation) => {
    const token = await otherToken(other.providerUsers.ga);
    const { result } = await transition(operation, subs["Azure plan"].id, token);
    const error = expectCode(result, "NOT_FOUND");
    const missing = await transition(operation, newId("Subscription"), token);
    expect(expectCode(missing.result, "NOT_FOUND").message.replace(/sub_\w+/, "")).toBe(error.message.replace(/sub_\w+/, ""));
  });

  it("T-4: when the other channel's helpdesk agent suspends our Office 365 subscription, then NOT_FOUND (not the helpdesk refusal: nothing is revealed)", async () => {
    const { result } = await transition("SuspendSubscription", subs["Microsoft 365 E3"].id, await otherToken(other.providerUsers.ha));
    expectCode(result, "NOT_FOUND");
  });
});

describe("a subscription's channel: soldThrough, orderedBy, partnerIdOnRecord (D-21, D-19, C1)", () => {
  let subs: Record<string, SubscriptionView>;
  beforeAll(async () => {
    subs = await freshSubscriptions();
  });

  const channelOf = async (token: string) => {
    const result = await app.gql<{ customer: { subscriptions: SubscriptionView[] } }>(CHANNEL, { variables: { id: channel.sharedCustomers[0].id }, token });
    expect(result.errors).toBeUndefined();
    return new Map(result.data!.customer.subscriptions.map((s) => [s.id, s]));
  };

  it("D-19: when the provider and the reseller read an ordered subscription, then soldThrough is the reseller, orderedBy the provider and partnerIdOnRecord the reseller's MPN ID", async () => {
    const reseller = { id: channel.reseller.id, name: channel.reseller.name, mpnId: channel.reseller.mpnId };
    const provider = { id: channel.provider.id, name: channel.provider.name, mpnId: channel.provider.mpnId };
    for (const email of [channel.providerUsers.ga, channel.resellerUsers.ha]) {
      const seen = (await channelOf(await tokenOf(email))).get(subs["Microsoft 365 E3"].id)!;
      expect(seen, email).toMatchObject({ status: "ACTIVE", quantity: 10, partnerIdOnRecord: channel.reseller.mpnId, soldThrough: reseller, orderedBy: provider });
    }
  });

  it("T-3: when another partner of record, partnered with neither, reads it, then soldThrough and orderedBy are null (organisations it has no partnership with) and partnerIdOnRecord is the order's", async () => {
    const seen = (await channelOf(await otherToken(other.resellerUsers.ga))).get(subs["Azure plan"].id)!;
    expect(seen).toMatchObject({ soldThrough: null, orderedBy: null, partnerIdOnRecord: channel.reseller.mpnId, status: "ACTIVE" });
  });

  it("D-19: when a subscription was made by no order, then partnerIdOnRecord, soldThrough and orderedBy are null", async () => {
    const seen = (await channelOf(await tokenOf(channel.providerUsers.ga))).get(orphanSubscriptionId)!;
    expect(seen).toMatchObject({ partnerIdOnRecord: null, soldThrough: null, orderedBy: null, productFamily: "AZURE" });
  });

  it("when the channel mutations return the subscription, then its channel fields come along", async () => {
    const result = await app.gql<{ suspendSubscription: SubscriptionView }>(
      "mutation ($id: ID!) { suspendSubscription(subscriptionId: $id) { id status partnerIdOnRecord soldThrough { id } orderedBy { id } } }",
      { variables: { id: subs["Azure plan"].id }, token: await tokenOf(channel.resellerUsers.aa) },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.suspendSubscription).toEqual({
      id: subs["Azure plan"].id,
      status: "SUSPENDED",
      partnerIdOnRecord: channel.reseller.mpnId,
      soldThrough: { id: channel.reseller.id },
      orderedBy: { id: channel.provider.id },
    });
  });

  it("when the contract's CustomerChannel (lifecycle.graphql) is asked, then it answers the subscriptions' channel with the customer", async () => {
    const token = await tokenOf(channel.providerUsers.ga);
    const result = await app.lifecycle<{ customer: { id: string; subscriptions: SubscriptionView[]; delegatedAdminRelationships: unknown[] } }>(
      "CustomerChannel",
      { id: channel.sharedCustomers[0].id },
      token,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.customer.id).toBe(channel.sharedCustomers[0].id);
    expect(result.data!.customer.subscriptions.find((s) => s.id === subs["Microsoft 365 E3"].id)).toMatchObject({
      soldThrough: { id: channel.reseller.id },
      orderedBy: { id: channel.provider.id },
      partnerIdOnRecord: channel.reseller.mpnId,
    });
    expect(Array.isArray(result.data!.customer.delegatedAdminRelationships)).toBe(true);
    // The customer and its subscriptions are one statement with the viewer query; the delegated
    // admin relationships (D-25, read at the domain clock's now) are read by their own loader.
    console.log(`[n+1] CustomerChannel -> ${result.queryCount} queries`);
  });

  it("when a customer is read with its subscriptions' channel, then the request is 1 Cypher statement (the read goes with the viewer query)", async () => {
    const token = await tokenOf(channel.resellerUsers.ga);
    await app.gql(CHANNEL, { variables: { id: channel.sharedCustomers[0].id }, token }); // the organisation is known from now on
    const result = await app.gql<{ customer: { subscriptions: SubscriptionView[] } }>(CHANNEL, { variables: { id: channel.sharedCustomers[0].id }, token });
    expect(result.errors).toBeUndefined();
    expect(result.data!.customer.subscriptions.length).toBeGreaterThanOrEqual(3);
    expect(result.queryCount).toBe(1);
  });
});
