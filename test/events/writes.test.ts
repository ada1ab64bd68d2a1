/**
 * D-28 through the API: every change another party cares about writes its channel event(s) in its
 * own transaction, with the audit event (recordAudit), concerning exactly the organisations the
 * change touches, and the sequencer numbers them once committed. A refused change writes none, a
 * committed one always has its event, and a summary names only what every concerned organisation
 * may see (T-2, T-3).
 *
 * The channel: `ch` (provider P, reseller R, customers c0..c2 shared by both), and `other`, a
 * second channel whose reseller R2 is made a partner of record of c0 and c2 in raw Cypher: R2 has
 * no partnership with P or R, so no summary read by R2 may name them, nor one read by P or R name R2.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, tokenGetter, uniqueTag, type GqlResult, type TestApp } from "../support/app.js";
import { expectCode } from "../support/expect.js";
import { createChannel, createPartner, listKeyOf, recountShared, type Channel, type FixturePartner } from "../support/fixtures.js";

let app: TestApp;
let ch: Channel;
let other: Channel;
/** A provider and a reseller on their own, for the partnership events (D-9, D-22, D-23). */
let newProvider: FixturePartner;
let decliningProvider: FixturePartner;
let newReseller: FixturePartner;
const tag = uniqueTag();
const otherTag = uniqueTag();
const offers = new Map<string, string>();

const tokenOf = tokenGetter(() => app, () => ch.password);
const otherToken = (email: string) => app.signInOnce(email, other.password);

interface EventRow {
  id: string;
  type: string;
  summary: string;
  seq: number | null;
  unsequenced: boolean;
  auditEventId: string;
  concerns: string[];
}

/** The channel events of a subject (of one type when given), oldest first, with the organisations each concerns. */
async function eventsOf(subjectId: string, type?: string): Promise<EventRow[]> {
  const rows = await app.cypher<EventRow>(
    `MATCH (e:ChannelEvent {subjectId: $subjectId}) WHERE $type IS NULL OR e.type = $type
     RETURN e.id AS id, e.type AS type, e.summary AS summary, toInteger(e.seq) AS seq, e:UnsequencedEvent AS unsequenced,
            e.auditEventId AS auditEventId, [(e)-[:CONCERNS]->(p) | p.id] AS concerns
     ORDER BY e.at, e.id`,
    { subjectId, type: type ?? null },
  );
  return rows.map((row) => ({ ...row, seq: row.seq === null ? null : Number(row.seq), concerns: [...row.concerns].sort() }));
}

/** When <change>, then exactly one <type> event of <subjectId> concerning exactly <orgs>, numbered by the sequencer. */
async function expectOneEvent(type: string, subjectId: string, concerned: string[]): Promise<EventRow> {
  await app.events.sequencer.drain();
  const events = await eventsOf(subjectId, type);
  expect(events, `${type} events of ${subjectId}`).toHaveLength(1);
  const [event] = events;
  expect(event.concerns).toEqual([...concerned].sort());
  expect(event.unsequenced).toBe(false);
  expect(event.seq).toBeGreaterThan(0);
  return event;
}

async function countEvents(subjectId: string, type: string): Promise<number> {
  return (await eventsOf(subjectId, type)).length;
}

function ok<T>(result: GqlResult<T>, step: string): T {
  expect(result.errors, `${step}: ${JSON.stringify(result.errors)}`).toBeUndefined();
  return result.data!;
}

function tokenOfLink(link: string): string {
  return new URL(link).searchParams.get("token")!;
}

/** The summary names none of these organisations. */
function expectUnnamed(summary: string, ...names: string[]): void {
  for (const name of names) expect(summary, `the summary must not name ${name}`).not.toContain(name);
}

beforeAll(async () => {
  app = await startTestApp({ PUBLIC_URL: "https://events.test.example" });
  ch = await createChannel(app, tag, { customers: 3 });
  other = await createChannel(app, otherTag);
  newProvider = await createPartner(app, tag, "PROVIDER", "evprov", ch.password);
  decliningProvider = await createPartner(app, tag, "PROVIDER", "evdecl", ch.password);
  newReseller = await createPartner(app, tag, "RESELLER", "evres", ch.password);
  // R2 (other.reseller) becomes a partner of record of c0 and c2, with no partnership with P or R.
  await app.cypher(
    `MATCH (r:Reseller {id: $resellerId}), (c:Customer) WHERE c.id IN $customerIds
     CREATE (r)-[e:RESELLER_OF_RECORD {since: datetime()}]->(c) SET e.listKey = ${listKeyOf("r", "c")}`,
    { resellerId: other.reseller.id, customerIds: [ch.sharedCustomers[0].id, ch.sharedCustomers[2].id] },
  );
  await recountShared(app, [other.reseller.id, ch.provider.id, ch.reseller.id], [ch.provider.id, other.provider.id]);
  for (const row of await app.cypher<{ name: string; id: string }>("MATCH (o:Offer) RETURN o.name AS name, o.id AS id")) offers.set(row.name, row.id);
});

afterAll(async () => {
  if (!app) return;
  // Customers created by acceptances carry this file's tag in their domain.
  await app.cypher("MATCH (c:Customer) WHERE c.domain ENDS WITH $suffix AND c.fixture IS NULL DETACH DELETE c", { suffix: `${tag}.example` });
  await ch?.remove();
  await other?.remove();
  await app.close();
});

// ------------------------------------------------------------------------------------ partnerships

describe("partnership events (D-9, D-22, D-23): both sides concerned, subject the reseller", () => {
  it("when a reseller authorizes a provider through the API, then one PARTNERSHIP_AUTHORIZED event of the reseller concerning exactly both is committed and sequenced; using the link again (CONFLICT) writes none", async () => {
    const invited = ok(
      await app.op<{ inviteReseller: { link: string } }>(
        "InviteReseller",
        { input: { resellerMpnId: newReseller.mpnId, email: newReseller.ga } },
        await tokenOf(newProvider.ga),
      ),
      "invite",
    ).inviteReseller;
    const token = tokenOfLink(invited.link);
    ok(await app.op("AuthorizeIndirectProvider", { token }, await tokenOf(newReseller.ga)), "authorize");
    const event = await expectOneEvent("PARTNERSHIP_AUTHORIZED", newReseller.id, [newProvider.id, newReseller.id]);
    // Partnership events may name both sides (T-3: each sees the other's public profile).
    expect(event.summary).toBe(`${newReseller.name} authorized ${newProvider.name} as its indirect provider.`);
    // Written by the statement that wrote the mutation's audit event.
    const [audit] = await app.cypher<{ operation: string }>("MATCH (a:AuditEvent {id: $id}) RETURN a.operation AS operation", { id: event.auditEventId });
    expect(audit.operation).toBe("authorizeIndirectProvider");

    expectCode(await app.op("AuthorizeIndirectProvider", { token }, await tokenOf(newReseller.ga)), "CONFLICT");
    await app.events.sequencer.drain();
    expect(await countEvents(newReseller.id, "PARTNERSHIP_AUTHORIZED")).toBe(1);
  });

  it("when a reseller declines a provider's invitation, then one PARTNERSHIP_DECLINED event of the reseller concerning exactly both; declining again (CONFLICT) writes none", async () => {
    const invited = ok(
      await app.op<{ inviteReseller: { request: { id: string } } }>(
        "InviteReseller",
        { input: { resellerMpnId: newReseller.mpnId, email: newReseller.ga } },
        await tokenOf(decliningProvider.ga),
      ),
      "invite",
    ).inviteReseller;
    const decline = async () =>
      app.lifecycle("DeclinePartnershipInvitation", { id: invited.request.id }, await tokenOf(newReseller.ga));
    ok(await decline(), "decline");
    const event = await expectOneEvent("PARTNERSHIP_DECLINED", newReseller.id, [decliningProvider.id, newReseller.id]);
    expect(event.summary).toBe(`${newReseller.name} declined ${decliningProvider.name}'s partnership invitation.`);

    expectCode(await decline(), "CONFLICT");
    await app.events.sequencer.drain();
    expect(await countEvents(newReseller.id, "PARTNERSHIP_DECLINED")).toBe(1);
  });

  it("when the reseller ends the partnership authorized above, then one PARTNERSHIP_ENDED event of the reseller concerning exactly both; ending it again (NOT_FOUND) writes none", async () => {
    const end = async () => app.lifecycle("EndPartnership", { partnerId: newProvider.id }, await tokenOf(newReseller.ga));
    ok(await end(), "end");
    const event = await expectOneEvent("PARTNERSHIP_ENDED", newReseller.id, [newProvider.id, newReseller.id]);
    expect(event.summary).toBe(`${newReseller.name} ended the partnership between ${newProvider.name} and ${newReseller.name}.`);

    expectCode(await end(), "NOT_FOUND");
    await app.events.sequencer.drain();
    expect(await countEvents(newReseller.id, "PARTNERSHIP_ENDED")).toBe(1);
  });

  it("when a user without C12 tries to end a partnership (FORBIDDEN), then no event is written", async () => {
    expectCode(await app.lifecycle("EndPartnership", { partnerId: ch.provider.id }, await tokenOf(ch.resellerUsers.aa)), "FORBIDDEN");
    await app.events.sequencer.drain();
    expect(await countEvents(ch.reseller.id, "PARTNERSHIP_ENDED")).toBe(0);
  });
});

// ------------------------------------------------------------------------------------ customers

/** The default delegated admin relationship (D-25) partner `partnerId` holds with the customer. */
async function defaultRelationshipOf(partnerId: string, customerId: string): Promise<string[]> {
  const rows = await app.cypher<{ id: string }>(
    `MATCH (:Partner {id: $partnerId})-[:HOLDS_DELEGATED_ADMIN]->(g:DelegatedAdminRelationship)-[:FOR_CUSTOMER]->(:Customer {id: $customerId})
     RETURN g.id AS id`,
    { partnerId, customerId },
  );
  return rows.map((r) => r.id);
}

describe("customer relationship events (D-14, D-16, D-20): the partners of record, subject the customer", () => {
  it("when a customer new to the graph accepts a reseller's invitation with its provider (D-16), then one CUSTOMER_RELATIONSHIP_ACCEPTED concerning exactly the two, and one DELEGATED_ADMIN_APPROVED of the reseller's default relationship concerning the reseller only; reusing the link (CONFLICT) writes none", async () => {
    const domain = `newco-${tag}.example`;
    const invited = ok(
      await app.op<{ inviteCustomerWithProvider: { link: string } }>(
        "InviteCustomerWithProvider",
        { providerId: ch.provider.id, customerEmail: `it@${domain}` },
        await tokenOf(ch.resellerUsers.ga),
      ),
      "invite",
    ).inviteCustomerWithProvider;
    const token = tokenOfLink(invited.link);
    const profile = { companyName: `NewCo ${tag}`, domain, countryCode: "US" };
    const accepted = ok(
      await app.op<{ acceptRelationshipRequest: { customer: { id: string } } }>("AcceptRelationshipRequest", { token, customer: profile }),
      "accept",
    );
    const customerId = accepted.acceptRelationshipRequest.customer.id;
    const event = await expectOneEvent("CUSTOMER_RELATIONSHIP_ACCEPTED", customerId, [ch.reseller.id, ch.provider.id]);
    expect(event.summary).toContain(profile.companyName);
    expectUnnamed(event.summary, ch.reseller.name, ch.provider.name);

    const [relationshipId] = await defaultRelationshipOf(ch.reseller.id, customerId);
    expect(relationshipId).toMatch(/^gda_/);
    const approved = await expectOneEvent("DELEGATED_ADMIN_APPROVED", relationshipId, [ch.reseller.id]);
    expect(approved.summary).toBe(`${profile.companyName} approved a delegated admin relationship: 4 roles for 730 days.`);
    // The same transaction: both events hang off the acceptance's one audit event.
    expect(approved.auditEventId).toBe(event.auditEventId);

    expectCode(await app.op("AcceptRelationshipRequest", { token, customer: profile }), "CONFLICT");
    await app.events.sequencer.drain();
    expect(await countEvents(customerId, "CUSTOMER_RELATIONSHIP_ACCEPTED")).toBe(1);
    expect(await countEvents(relationshipId, "DELEGATED_ADMIN_APPROVED")).toBe(1);
  });

  it("a committed change always has its event: when 10 acceptances of one customer link race (D-17), then exactly one succeeds and exactly one CUSTOMER_RELATIONSHIP_ACCEPTED exists", async () => {
    const domain = `race-${tag}.example`;
    const invited = ok(
      await app.op<{ requestResellerRelationship: { link: string } }>(
        "RequestResellerRelationship",
        { customerEmail: `it@${domain}` },
        await tokenOf(ch.resellerUsers.ga),
      ),
      "invite",
    ).requestResellerRelationship;
    const token = tokenOfLink(invited.link);
    const profile = { companyName: `Race ${tag}`, domain, countryCode: "US" };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => app.op<{ acceptRelationshipRequest: { customer: { id: string } } }>("AcceptRelationshipRequest", { token, customer: profile })),
    );
    const accepted = results.filter((r) => !r.errors);
    expect(accepted).toHaveLength(1);
    for (const refused of results.filter((r) => r.errors)) expect(refused.errors![0].extensions?.code).toBe("CONFLICT");
    const customerId = accepted[0].data!.acceptRelationshipRequest.customer.id;
    await expectOneEvent("CUSTOMER_RELATIONSHIP_ACCEPTED", customerId, [ch.reseller.id]);
  });

  it("when an existing customer accepts an unpartnered reseller's invitation (D-14), then every partner of record is concerned and the summary names the customer, never the new reseller to the others (T-3)", async () => {
    const customer = ch.sharedCustomers[1];
    const invited = ok(
      await app.op<{ requestResellerRelationship: { link: string } }>(
        "RequestResellerRelationship",
        { customerEmail: `it@${customer.domain}` },
        await otherToken(other.resellerUsers.ga),
      ),
      "invite",
    ).requestResellerRelationship;
    ok(await app.op("AcceptRelationshipRequest", { token: tokenOfLink(invited.link) }), "accept");
    const event = await expectOneEvent("CUSTOMER_RELATIONSHIP_ACCEPTED", customer.id, [ch.provider.id, ch.reseller.id, other.reseller.id]);
    expect(event.summary).toBe(`${customer.name} accepted a reseller relationship with a partner.`);
    expectUnnamed(event.summary, other.reseller.name, ch.reseller.name, ch.provider.name);
    // R2 got the default relationship with it: approved by this acceptance, R2's own.
    const ids = await defaultRelationshipOf(other.reseller.id, customer.id);
    expect(ids).toHaveLength(1);
    await expectOneEvent("DELEGATED_ADMIN_APPROVED", ids[0], [other.reseller.id]);
  });

  it("when a partner of record ends its relationship (D-20), then one CUSTOMER_RELATIONSHIP_ENDED concerning the remaining partners of record and the partner that ended it, naming the customer only, and one DELEGATED_ADMIN_TERMINATED per relationship it ended, the holder's; ending again (NOT_FOUND) writes none", async () => {
    const customer = ch.sharedCustomers[2];
    // R2 asks c2 for delegated admin and the customer approves through the link (D-25).
    const asked = ok(
      await app.lifecycle<{ requestDelegatedAdmin: { link: string; relationship: { id: string } } }>(
        "RequestGranularDelegatedAdmin",
        { customerId: customer.id, input: { roles: ["HELPDESK_ADMINISTRATOR"], durationDays: 30, autoExtend: true } },
        await otherToken(other.resellerUsers.ga),
      ),
      "request delegated admin",
    ).requestDelegatedAdmin;
    ok(await app.op("AcceptRelationshipRequest", { token: tokenOfLink(asked.link) }), "approve");
    const approved = await expectOneEvent("DELEGATED_ADMIN_APPROVED", asked.relationship.id, [other.reseller.id]);
    expect(approved.summary).toBe(`${customer.name} approved a delegated admin relationship: 1 role for 30 days.`);
    // And a second one still pending: the cascade terminates both.
    const pending = ok(
      await app.lifecycle<{ requestDelegatedAdmin: { relationship: { id: string } } }>(
        "RequestGranularDelegatedAdmin",
        { customerId: customer.id, input: null },
        await otherToken(other.resellerUsers.ga),
      ),
      "request delegated admin again",
    ).requestDelegatedAdmin;

    const end = async () => app.lifecycle("EndCustomerRelationship", { customerId: customer.id }, await otherToken(other.resellerUsers.ga));
    ok(await end(), "end");
    const ended = await expectOneEvent("CUSTOMER_RELATIONSHIP_ENDED", customer.id, [ch.provider.id, ch.reseller.id, other.reseller.id]);
    expect(ended.summary).toBe(`A partner of record ended its reseller relationship with ${customer.name}.`);
    expectUnnamed(ended.summary, other.reseller.name, ch.reseller.name, ch.provider.name);
    for (const id of [asked.relationship.id, pending.relationship.id]) {
      const terminated = await expectOneEvent("DELEGATED_ADMIN_TERMINATED", id, [other.reseller.id]);
      expect(terminated.auditEventId).toBe(ended.auditEventId);
    }

    expectCode(await end(), "NOT_FOUND");
    await app.events.sequencer.drain();
    expect(await countEvents(customer.id, "CUSTOMER_RELATIONSHIP_ENDED")).toBe(1);
  });

  it("when ending is refused because a subscription is ACTIVE (CONFLICT), then no event is written", async () => {
    const customer = ch.sharedCustomers[0];
    ok(
      await app.op("SubmitOrder", {
        input: { customerId: customer.id, resellerId: ch.reseller.id, lineItems: [{ offerId: offers.get("Azure plan"), quantity: 1 }] },
      }, await tokenOf(ch.providerUsers.ga)),
      "order",
    );
    expectCode(await app.lifecycle("EndCustomerRelationship", { customerId: customer.id }, await tokenOf(ch.resellerUsers.ga)), "CONFLICT");
    await app.events.sequencer.drain();
    expect(await countEvents(customer.id, "CUSTOMER_RELATIONSHIP_ENDED")).toBe(0);
  });
});

// ------------------------------------------------------------------------------------ orders

describe("ORDER_SUBMITTED (D-19): provider and reseller, subject the order", () => {
  it("when a provider submits an order, then its summary names the provider, the offers, the customer and the reseller (partners of each other, both of record: T-2, T-3)", async () => {
    const customer = ch.sharedCustomers[1];
    const order = ok(
      await app.op<{ submitOrder: { order: { id: string } } }>(
        "SubmitOrder",
        { input: { customerId: customer.id, resellerId: ch.reseller.id, lineItems: [{ offerId: offers.get("Microsoft 365 E3"), quantity: 3 }, { offerId: offers.get("Azure plan"), quantity: 1 }] } },
        await tokenOf(ch.providerUsers.ga),
      ),
      "order",
    ).submitOrder.order;
    const event = await expectOneEvent("ORDER_SUBMITTED", order.id, [ch.provider.id, ch.reseller.id]);
    expect(event.summary).toBe(`${ch.provider.name} ordered 3 x Microsoft 365 E3, 1 x Azure plan for ${customer.name} through ${ch.reseller.name}.`);
  });
});

// ------------------------------------------------------------------------------------ subscriptions

interface Sub {
  id: string;
  offerName: string;
  quantity: number;
  status: string;
}

/** A fresh subscription of c0 (partners of record: P, R and R2), ordered by P through R. */
async function freshSubscription(offerName = "Microsoft 365 E3"): Promise<Sub> {
  const result = ok(
    await app.op<{ submitOrder: { subscriptions: Sub[] } }>(
      "SubmitOrder",
      { input: { customerId: ch.sharedCustomers[0].id, resellerId: ch.reseller.id, lineItems: [{ offerId: offers.get(offerName), quantity: 5 }] } },
      await tokenOf(ch.providerUsers.ga),
    ),
    "order",
  );
  return result.submitOrder.subscriptions[0];
}

describe("SUBSCRIPTION_UPDATED (D-21, C5): the partners of record of its customer, subject the subscription", () => {
  it("when the provider suspends, reactivates, changes the quantity of and cancels a subscription, then each writes one SUBSCRIPTION_UPDATED concerning exactly P, R and R2, whose summary names the offer and the customer, never the channel (T-3)", async () => {
    const sub = await freshSubscription();
    const customer = ch.sharedCustomers[0];
    const concerned = [ch.provider.id, ch.reseller.id, other.reseller.id].sort();
    const token = await tokenOf(ch.providerUsers.ga);
    ok(await app.lifecycle("SuspendSubscription", { subscriptionId: sub.id }, token), "suspend");
    ok(await app.lifecycle("ReactivateSubscription", { subscriptionId: sub.id }, token), "reactivate");
    ok(await app.op("UpdateSubscriptionQuantity", { subscriptionId: sub.id, quantity: 8 }, token), "quantity");
    ok(await app.lifecycle("CancelSubscription", { subscriptionId: sub.id }, token), "cancel");
    await app.events.sequencer.drain();
    const events = await eventsOf(sub.id, "SUBSCRIPTION_UPDATED");
    expect(events.map((e) => e.summary)).toEqual([
      `Subscription ${sub.offerName} of ${customer.name} suspended (was ACTIVE).`,
      `Subscription ${sub.offerName} of ${customer.name} reactivated (was SUSPENDED).`,
      `Subscription ${sub.offerName} of ${customer.name} changed from 5 to 8 licenses.`,
      `Subscription ${sub.offerName} of ${customer.name} cancelled (was ACTIVE).`,
    ]);
    for (const event of events) {
      expect(event.concerns).toEqual(concerned);
      expect(event.seq).toBeGreaterThan(0);
      // R2 reads them and has no partnership with P or R: they are not named.
      expectUnnamed(event.summary, ch.provider.name, ch.reseller.name, other.reseller.name);
    }
    // Sequenced in commit order.
    const seqs = events.map((e) => e.seq!);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });

  it("when a change is refused (CONFLICT: a transition not in D-21; FORBIDDEN: R2 is of record but not the subscription's channel), then no event is written", async () => {
    const sub = await freshSubscription("Azure plan");
    expectCode(await app.lifecycle("ReactivateSubscription", { subscriptionId: sub.id }, await tokenOf(ch.providerUsers.ga)), "CONFLICT");
    expectCode(await app.lifecycle("SuspendSubscription", { subscriptionId: sub.id }, await otherToken(other.resellerUsers.ga)), "FORBIDDEN");
    expectCode(await app.op("UpdateSubscriptionQuantity", { subscriptionId: sub.id, quantity: 2 }, await otherToken(other.resellerUsers.ga)), "FORBIDDEN");
    await app.events.sequencer.drain();
    expect(await countEvents(sub.id, "SUBSCRIPTION_UPDATED")).toBe(0);
  });

  it("a committed change always has its event: when 24 suspends, reactivates and quantity changes race on one subscription, then the SUBSCRIPTION_UPDATED events equal the successful mutations and their audit events, each sequenced once", async () => {
    const sub = await freshSubscription();
    const token = await tokenOf(ch.resellerUsers.ga);
    const attempts = Array.from({ length: 24 }, (_, i) => {
      if (i % 3 === 0) return app.lifecycle("SuspendSubscription", { subscriptionId: sub.id }, token);
      if (i % 3 === 1) return app.lifecycle("ReactivateSubscription", { subscriptionId: sub.id }, token);
      return app.op("UpdateSubscriptionQuantity", { subscriptionId: sub.id, quantity: 10 + i }, token);
    });
    const results = await Promise.all(attempts);
    const succeeded = results.filter((r) => !r.errors).length;
    for (const refused of results.filter((r) => r.errors)) expect(refused.errors![0].extensions?.code).toBe("CONFLICT");
    expect(succeeded).toBeGreaterThan(0);

    await app.events.sequencer.drain();
    const events = await eventsOf(sub.id, "SUBSCRIPTION_UPDATED");
    const [audits] = await app.cypher<{ n: { toNumber(): number }; ids: string[] }>(
      `MATCH (a:AuditEvent) WHERE $id IN a.targetIds AND a.operation IN ['suspendSubscription', 'reactivateSubscription', 'updateSubscriptionQuantity']
       RETURN count(a) AS n, collect(a.id) AS ids`,
      { id: sub.id },
    );
    expect(events).toHaveLength(succeeded);
    expect(audits.n.toNumber()).toBe(succeeded);
    expect(new Set(events.map((e) => e.auditEventId))).toEqual(new Set(audits.ids));
    expect(events.every((e) => !e.unsequenced && e.seq !== null)).toBe(true);
    expect(new Set(events.map((e) => e.seq)).size).toBe(succeeded);
  });
});

// ------------------------------------------------------------------------------------ delegated admin

describe("delegated admin events (D-25): the holder only, subject the relationship", () => {
  it("when the reseller terminates its default relationship, then one DELEGATED_ADMIN_TERMINATED concerning the reseller only; terminating again (CONFLICT) writes none", async () => {
    const customer = ch.sharedCustomers[0];
    const [relationshipId] = await defaultRelationshipOf(ch.reseller.id, customer.id);
    const terminate = async () => app.lifecycle("TerminateDelegatedAdmin", { id: relationshipId }, await tokenOf(ch.resellerUsers.ga));
    ok(await terminate(), "terminate");
    const event = await expectOneEvent("DELEGATED_ADMIN_TERMINATED", relationshipId, [ch.reseller.id]);
    expect(event.summary).toBe(`Delegated admin relationship with ${customer.name} terminated by its holder.`);

    expectCode(await terminate(), "CONFLICT");
    await app.events.sequencer.drain();
    expect(await countEvents(relationshipId, "DELEGATED_ADMIN_TERMINATED")).toBe(1);
  });

  it("when a provider revokes its DELEGATED_ADMIN request, then its pending relationship's DELEGATED_ADMIN_TERMINATED concerns the provider only; revoking again (CONFLICT) writes none", async () => {
    const customer = ch.sharedCustomers[0];
    const asked = ok(
      await app.lifecycle<{ requestDelegatedAdmin: { request: { id: string }; relationship: { id: string } } }>(
        "RequestGranularDelegatedAdmin",
        { customerId: customer.id, input: null },
        await tokenOf(ch.providerUsers.ga),
      ),
      "request",
    ).requestDelegatedAdmin;
    await app.events.sequencer.drain();
    // Asking is no event: only the customer's answer is (D-28).
    expect(await eventsOf(asked.relationship.id)).toEqual([]);
    const revoke = async () => app.op("RevokeRelationshipRequest", { id: asked.request.id }, await tokenOf(ch.providerUsers.ga));
    ok(await revoke(), "revoke");
    const event = await expectOneEvent("DELEGATED_ADMIN_TERMINATED", asked.relationship.id, [ch.provider.id]);
    expect(event.summary).toBe(`Delegated admin relationship with ${customer.name} terminated with its revoked request (D-17).`);

    expectCode(await revoke(), "CONFLICT");
    await app.events.sequencer.drain();
    expect(await countEvents(asked.relationship.id, "DELEGATED_ADMIN_TERMINATED")).toBe(1);
  });

  it("when a customer invitation (not DELEGATED_ADMIN) is revoked, then no event is written", async () => {
    const invited = ok(
      await app.op<{ requestResellerRelationship: { request: { id: string } } }>(
        "RequestResellerRelationship",
        { customerEmail: `it@revoked-${tag}.example` },
        await tokenOf(ch.resellerUsers.ga),
      ),
      "invite",
    ).requestResellerRelationship;
    ok(await app.op("RevokeRelationshipRequest", { id: invited.request.id }, await tokenOf(ch.resellerUsers.ga)), "revoke");
    const [row] = await app.cypher<{ n: { toNumber(): number } }>(
      "MATCH (a:AuditEvent {operation: 'revokeRelationshipRequest'})<-[:HAS_AUDIT_EVENT]-(:Partner {id: $id}) WHERE $request IN a.targetIds MATCH (e:ChannelEvent {auditEventId: a.id}) RETURN count(e) AS n",
      { id: ch.reseller.id, request: invited.request.id },
    );
    expect(row.n.toNumber()).toBe(0);
  });
});
