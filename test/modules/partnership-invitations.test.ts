/**
 * Received partnership invitations (D-23, C12): a reseller's global admin sees the PENDING,
 * unexpired invitations addressed to it, from which provider, never their tokens (T-5), and may
 * decline one: DECLINED, its link stops working (D-17), the provider's primary contact is mailed
 * after commit (D-24), an audit event is written.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { days, ManualClock } from "../../src/shared/clock.js";
import { newId } from "../../src/shared/ids.js";
import { startTestApp, uniqueTag, tokenGetter, type GqlResult, type TestApp } from "../support/app.js";
import { expectCode } from "../support/expect.js";
import { createChannel, createPartner, latestMail, type Channel, type FixturePartner } from "../support/fixtures.js";

interface Invitation {
  id: string;
  status: string;
  createdAt: string;
  expiresAt: string;
  provider: { id: string; name: string; mpnId: string; countryCode: string };
}
interface Received {
  receivedPartnershipInvitations: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: Invitation }[];
  };
}

/** An organisation with one global admin (ga@<domain>) and a primary contact, tagged as fixture. */
type Org = FixturePartner;
/** Their country and primary contact, as the assertions on the list and the D-24 mail read them. */
const PARTNER_OPTIONS = { countryCode: "DE", contactName: "Dana Contact", namePrefix: "Received" };

let app: TestApp;
const clock = new ManualClock();
const tag = uniqueTag();
/** Its reseller receives the invitations (its own provider is already its partner). */
let ch: Channel;
let providerA: Org;
let providerB: Org;
let otherReseller: Org;
/** Invitations by name: id and link token. */
const sent: Record<string, { id: string; token: string }> = {};

const tokenOf = tokenGetter(() => app, () => ch.password);

function ok<T>(result: GqlResult<T>): T {
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!;
}


async function received(email: string, variables: { first?: number; after?: string } = {}): Promise<GqlResult<Received>> {
  return app.lifecycle<Received>("ReceivedPartnershipInvitations", variables, await tokenOf(email));
}

async function decline(email: string, id: string) {
  return app.lifecycle<{ declinePartnershipInvitation: { id: string; status: string } }>("DeclinePartnershipInvitation", { id }, await tokenOf(email));
}


async function invite(from: Org, reseller: { mpnId: string }, email: string): Promise<{ id: string; token: string }> {
  const data = ok(
    await app.op<{ inviteReseller: { request: { id: string }; link: string } }>(
      "InviteReseller",
      { input: { resellerMpnId: reseller.mpnId, email } },
      await tokenOf(from.ga),
    ),
  );
  return { id: data.inviteReseller.request.id, token: new URL(data.inviteReseller.link).searchParams.get("token")! };
}

async function stored(id: string): Promise<{ status: string; declinedAt: string | null }> {
  const [row] = await app.cypher<{ status: string; declinedAt: string | null }>(
    "MATCH (r:RelationshipRequest {id: $id}) RETURN r.status AS status, toString(r.declinedAt) AS declinedAt",
    { id },
  );
  return row;
}

beforeAll(async () => {
  app = await startTestApp({}, { clock });
  ch = await createChannel(app, tag);
  providerA = await createPartner(app, tag, "PROVIDER", "prova", ch.password, PARTNER_OPTIONS);
  providerB = await createPartner(app, tag, "PROVIDER", "provb", ch.password, PARTNER_OPTIONS);
  otherReseller = await createPartner(app, tag, "RESELLER", "othresl", ch.password, PARTNER_OPTIONS);
  const to = ch.resellerUsers.ga;
  // Oldest first: A1, A2 (to be revoked), B1, then one to another reseller and one of A2's kind.
  sent.a1 = await invite(providerA, ch.reseller, to);
  sent.a2 = await invite(providerA, ch.reseller, to);
  sent.b1 = await invite(providerB, ch.reseller, to);
  sent.other = await invite(providerA, otherReseller, otherReseller.ga);
  ok(await app.op("RevokeRelationshipRequest", { id: sent.a2.id }, await tokenOf(providerA.ga)));
});

afterAll(async () => {
  await ch?.remove();
  await app?.close();
});

describe("received partnership invitations (D-23, C12)", () => {
  it("when the reseller's global admin lists them, then it gets the PENDING ones addressed to it, newest first, with their provider and no token, keyset-paged", async () => {
    const first = ok(await received(ch.resellerUsers.ga, { first: 1 })).receivedPartnershipInvitations;
    expect(first.totalCount).toBe(2); // not the revoked one, not the other reseller's
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(first.edges.map((e) => e.node)).toEqual([
      {
        id: sent.b1.id,
        status: "PENDING",
        createdAt: expect.any(String),
        expiresAt: expect.any(String),
        provider: { id: providerB.id, name: providerB.name, mpnId: providerB.mpnId, countryCode: "DE" },
      },
    ]);
    const next = ok(await received(ch.resellerUsers.ga, { first: 5, after: first.pageInfo.endCursor! })).receivedPartnershipInvitations;
    expect(next.edges.map((e) => [e.node.id, e.node.provider.id])).toEqual([[sent.a1.id, providerA.id]]);
    expect(next.pageInfo.hasNextPage).toBe(false);
    const whole = JSON.stringify(await received(ch.resellerUsers.ga));
    for (const { token } of Object.values(sent)) expect(whole).not.toContain(token); // T-5
  });

  it("when another reseller's admin, the reseller's admin agent or a provider's global admin asks, then each sees only its own or is FORBIDDEN (C12)", async () => {
    const others = ok(await received(otherReseller.ga)).receivedPartnershipInvitations;
    expect(others.edges.map((e) => e.node.id)).toEqual([sent.other.id]);
    expect(expectCode(await received(ch.resellerUsers.aa), "FORBIDDEN").extensions?.capability).toBe("C12");
    expect(expectCode(await received(ch.providerUsers.ga), "FORBIDDEN").extensions?.capability).toBe("C12");
    expect(expectCode(await decline(ch.resellerUsers.aa, sent.b1.id), "FORBIDDEN").extensions?.capability).toBe("C12");
  });

  it("when the reseller declines one, then it is DECLINED, leaves the list, its link stops working, the provider is mailed and the decline is audited", async () => {
    const declined = ok(await decline(ch.resellerUsers.ga, sent.b1.id)).declinePartnershipInvitation;
    expect(declined).toEqual({ id: sent.b1.id, status: "DECLINED" });
    expect((await stored(sent.b1.id)).declinedAt).toBeTruthy();
    expect(ok(await received(ch.resellerUsers.ga)).receivedPartnershipInvitations.edges.map((e) => e.node.id)).toEqual([sent.a1.id]);

    // The provider sees it declined among the requests it sent.
    const sentList = ok(
      await app.op<{ relationshipRequests: { edges: { node: { id: string; status: string } }[] } }>("RelationshipRequests", {}, await tokenOf(providerB.ga)),
    );
    expect(sentList.relationshipRequests.edges.map((e) => e.node)).toContainEqual(expect.objectContaining({ id: sent.b1.id, status: "DECLINED" }));

    // D-17: the link no longer authorizes the provider (invitations refuse any request not PENDING).
    expectCode(await app.op("AuthorizeIndirectProvider", { token: sent.b1.token }, await tokenOf(ch.resellerUsers.ga)), "CONFLICT", "DECLINED");
    const providers = ok(await app.op<{ me: { partner: { indirectProviders: { id: string }[] } } }>("IndirectProviders", {}, await tokenOf(ch.resellerUsers.ga)));
    expect(providers.me.partner.indirectProviders.map((p) => p.id)).not.toContain(providerB.id);

    const mail = latestMail(app.mailDir, providerB.contact);
    expect(mail?.raw).toContain(`Subject: ${ch.reseller.name} declined your invitation`);
    expect(mail?.raw).toContain("Hello Dana Contact,");
    expect(mail?.raw).toContain(sent.b1.id);
    const [event] = await app.cypher<{ actorEmail: string; targetIds: string[] }>(
      "MATCH (e:AuditEvent {operation: 'declinePartnershipInvitation', partnerId: $partnerId}) RETURN e.actorEmail AS actorEmail, e.targetIds AS targetIds",
      { partnerId: ch.reseller.id },
    );
    expect(event).toEqual({ actorEmail: ch.resellerUsers.ga, targetIds: [sent.b1.id, providerB.id] });

    // Declining again: not pending any more.
    expectCode(await decline(ch.resellerUsers.ga, sent.b1.id), "CONFLICT", "already declined");
  });

  it("when the provider revokes an invitation the reseller declined, then CONFLICT naming DECLINED and D-23, and it stays DECLINED (not REVOKED)", async () => {
    const declinedOne = await invite(providerB, ch.reseller, ch.resellerUsers.ga);
    ok(await decline(ch.resellerUsers.ga, declinedOne.id));
    const error = expectCode(await app.op("RevokeRelationshipRequest", { id: declinedOne.id }, await tokenOf(providerB.ga)), "CONFLICT", "DECLINED", "D-23");
    expect(error.extensions?.field).toBe("id");
    const [row] = await app.cypher<{ status: string; revokedAt: string | null; audited: boolean }>(
      `MATCH (r:RelationshipRequest {id: $id})
       RETURN r.status AS status, toString(r.revokedAt) AS revokedAt,
              EXISTS { (e:AuditEvent {partnerId: $providerId, operation: 'revokeRelationshipRequest'}) WHERE $id IN e.targetIds } AS audited`,
      { id: declinedOne.id, providerId: providerB.id },
    );
    expect(row).toEqual({ status: "DECLINED", revokedAt: null, audited: false });
  });

  it("when the invitation is another reseller's, a customer invitation or unknown, then NOT_FOUND; when it was revoked, then CONFLICT", async () => {
    expectCode(await decline(ch.resellerUsers.ga, sent.other.id), "NOT_FOUND");
    expectCode(await decline(ch.resellerUsers.ga, newId("RelationshipRequest")), "NOT_FOUND");
    const customerInvitation = ok(
      await app.op<{ requestResellerRelationship: { request: { id: string } } }>(
        "RequestResellerRelationship",
        { customerEmail: `it@newcust-${tag}.example` },
        await tokenOf(ch.resellerUsers.ga),
      ),
    ).requestResellerRelationship.request.id;
    expectCode(await decline(ch.resellerUsers.ga, customerInvitation), "NOT_FOUND");
    expectCode(await decline(ch.resellerUsers.ga, sent.a2.id), "CONFLICT", "revoked");
    expect((await stored(sent.other.id)).status).toBe("PENDING");
  });

  it("when an invitation has expired (clock moved 15 days), then it is not listed and declining it is CONFLICT; once accepted, declining is CONFLICT too", async () => {
    clock.advance(days(15));
    try {
      expect(ok(await received(ch.resellerUsers.ga)).receivedPartnershipInvitations).toMatchObject({ totalCount: 0, edges: [] });
      expectCode(await decline(ch.resellerUsers.ga, sent.a1.id), "CONFLICT", "expired");
      expect((await stored(sent.a1.id)).status).toBe("PENDING");
    } finally {
      clock.reset();
    }
    ok(await app.op("AuthorizeIndirectProvider", { token: sent.a1.token }, await tokenOf(ch.resellerUsers.ga)));
    expectCode(await decline(ch.resellerUsers.ga, sent.a1.id), "CONFLICT", "accepted");
    expect(ok(await received(ch.resellerUsers.ga)).receivedPartnershipInvitations.totalCount).toBe(0);
  });
});
