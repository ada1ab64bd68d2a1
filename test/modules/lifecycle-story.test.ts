import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, uniqueTag, type GqlResult, type TestApp } from "../support/app.js";
import { createChannel, type Channel } from "../support/fixtures.js";

/**
 * The lifecycle story of issue #13, through the contract's operations only (operations.graphql and
 * lifecycle.graphql): a provider orders for a customer it shares with its reseller; the reseller
 * cannot end the relationship while the subscriptions it sold are ACTIVE (D-20), suspends one and
 * cancels the other (D-21), ends the relationship, and the customer is gone from its lists and
 * counts at once, while the provider's view of the channel follows (D-11, T-2, T-3).
 */

let app: TestApp;
let channel: Channel;
const tag = uniqueTag();

function ok<T>(result: GqlResult<T>, step: string): T {
  expect(result.errors, `${step}: ${JSON.stringify(result.errors)}`).toBeUndefined();
  return result.data!;
}

interface Stats {
  channelStats: { providers: number; resellers: number; customers: number; sharedCustomers: number; customersWithoutProvider: number };
}

interface CustomerChannel {
  customer: {
    id: string;
    subscriptions: { id: string; status: string; partnerIdOnRecord: string | null; soldThrough: { id: string; mpnId: string } | null; orderedBy: { id: string } | null }[];
  } | null;
}

beforeAll(async () => {
  app = await startTestApp();
  channel = await createChannel(app, tag, { customers: 2 });
});

afterAll(async () => {
  await channel?.remove();
  await app?.close();
});

describe("the lifecycle story, end to end (issue #13)", () => {
  it("when the reseller suspends, cancels and ends the relationship, then the customer is gone from its lists and counts, and its provider's view follows", async () => {
    const providerGa = await app.signIn(channel.providerUsers.ga, channel.password);
    const resellerGa = await app.signIn(channel.resellerUsers.ga, channel.password);
    const resellerAa = await app.signIn(channel.resellerUsers.aa, channel.password);
    const customer = channel.sharedCustomers[0];

    // 1. The provider orders two subscriptions for the shared customer through the reseller (D-19).
    const offers = ok(await app.op<{ offers: { id: string }[] }>("Offers", {}, providerGa), "offers").offers;
    const ordered = ok(
      await app.op<{ submitOrder: { order: { id: string }; subscriptions: { id: string }[] } }>(
        "SubmitOrder",
        { input: { customerId: customer.id, resellerId: channel.reseller.id, lineItems: [{ offerId: offers[0].id, quantity: 5 }, { offerId: offers[1].id, quantity: 3 }] } },
        providerGa,
      ),
      "submitOrder",
    ).submitOrder;
    const [first, second] = ordered.subscriptions.map((s) => s.id);

    // 2. The channel of each subscription (D-21): sold through the reseller, ordered by the provider, its MPN ID on record.
    const channelView = ok(await app.lifecycle<CustomerChannel>("CustomerChannel", { id: customer.id }, resellerAa), "customerChannel").customer!;
    for (const s of channelView.subscriptions.filter((x) => [first, second].includes(x.id))) {
      expect(s).toMatchObject({ status: "ACTIVE", partnerIdOnRecord: channel.reseller.mpnId, soldThrough: { id: channel.reseller.id }, orderedBy: { id: channel.provider.id } });
    }

    const resellerBefore = ok(await app.op<Stats>("ChannelStats", {}, resellerGa), "stats").channelStats;
    const providerBefore = ok(await app.op<Stats>("ChannelStats", {}, providerGa), "stats").channelStats;

    // 3. D-20: refused while a subscription it sold is ACTIVE, naming the blocking ones.
    const blocked = await app.lifecycle("EndCustomerRelationship", { customerId: customer.id }, resellerGa);
    expect(blocked.errors?.[0]?.extensions?.code).toBe("CONFLICT");
    expect([...(blocked.errors?.[0]?.extensions?.subscriptionIds as string[])].sort()).toEqual([first, second].sort());

    // 4. D-21: suspend one, cancel the other; a cancelled subscription cannot come back.
    expect(ok(await app.lifecycle<{ suspendSubscription: { status: string } }>("SuspendSubscription", { subscriptionId: first }, resellerAa), "suspend").suspendSubscription.status).toBe("SUSPENDED");
    expect(ok(await app.lifecycle<{ cancelSubscription: { status: string } }>("CancelSubscription", { subscriptionId: second }, resellerAa), "cancel").cancelSubscription.status).toBe("CANCELLED");
    const again = await app.lifecycle("ReactivateSubscription", { subscriptionId: second }, resellerAa);
    expect(again.errors?.[0]?.extensions?.code).toBe("CONFLICT");

    // 5. Now the relationship ends (C17).
    const ended = ok(await app.lifecycle<{ endCustomerRelationship: { customerId: string; endedAt: string } }>("EndCustomerRelationship", { customerId: customer.id }, resellerGa), "end");
    expect(ended.endCustomerRelationship.customerId).toBe(customer.id);
    expect(Number.isNaN(Date.parse(ended.endCustomerRelationship.endedAt))).toBe(false);

    // 6. The customer is gone from the reseller's scope on the next request (T-2, T-4), and from its counts.
    expect(ok(await app.op<{ customer: unknown }>("Customer", { id: customer.id }, resellerAa), "customer").customer).toBeNull();
    const resellerList = ok(await app.op<{ customers: { edges: { node: { id: string } }[] } }>("Customers", { first: 50 }, resellerAa), "customers").customers;
    expect(resellerList.edges.map((e) => e.node.id)).not.toContain(customer.id);
    const resellerAfter = ok(await app.op<Stats>("ChannelStats", {}, resellerGa), "stats").channelStats;
    expect(resellerAfter).toMatchObject({ customers: resellerBefore.customers - 1, sharedCustomers: resellerBefore.sharedCustomers - 1 });
    const endedAgain = await app.lifecycle("EndCustomerRelationship", { customerId: customer.id }, resellerGa);
    expect(endedAgain.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");

    // 7. The provider still has the customer, but no longer shares it with the reseller (D-11, T-3).
    const providerAfter = ok(await app.op<Stats>("ChannelStats", {}, providerGa), "stats").channelStats;
    expect(providerAfter).toMatchObject({ customers: providerBefore.customers, sharedCustomers: providerBefore.sharedCustomers - 1 });
    const providerCustomer = ok(
      await app.op<{ customer: { channelPaths: { reseller: { id: string } }[]; partners: { id: string }[] } | null }>("Customer", { id: customer.id }, providerGa),
      "provider customer",
    ).customer!;
    expect(providerCustomer.partners.map((p) => p.id)).not.toContain(channel.reseller.id);
    expect(providerCustomer.channelPaths.map((p) => p.reseller.id)).not.toContain(channel.reseller.id);
    const resellers = ok(
      await app.op<{ me: { partner: { indirectResellers: { edges: { node: { id: string; sharedCustomers: { totalCount: number; edges: { node: { id: string } }[] } } }[] } } } }>(
        "IndirectResellers",
        { first: 50 },
        providerGa,
      ),
      "indirectResellers",
    ).me.partner.indirectResellers.edges.find((e) => e.node.id === channel.reseller.id)!.node.sharedCustomers;
    expect(resellers.totalCount).toBe(channel.sharedCustomers.length - 1);
    expect(resellers.edges.map((e) => e.node.id)).not.toContain(customer.id);

    // 8. The provider's order and the subscriptions stay, as they were left (D-20: the customer and its history stay).
    const orders = ok(await app.lifecycle<{ orders: { edges: { node: { id: string; partnerIdOnRecord: string } }[] } }>("Orders", { first: 20, where: { customerId: customer.id } }, providerGa), "orders").orders;
    expect(orders.edges.map((e) => e.node.id)).toEqual([ordered.order.id]);
    const providerChannel = ok(await app.lifecycle<CustomerChannel>("CustomerChannel", { id: customer.id }, providerGa), "provider channel").customer!;
    const statuses = Object.fromEntries(providerChannel.subscriptions.map((s) => [s.id, s.status]));
    expect(statuses).toMatchObject({ [first]: "SUSPENDED", [second]: "CANCELLED" });
  });
});
