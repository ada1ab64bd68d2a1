import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImportRejected, importRelationships } from "../../scripts/import-relationships.js";
import { newId } from "../../src/shared/ids.js";
import { startTestApp, uniqueTag, tokenGetter, type GqlResult, type TestApp } from "../support/app.js";
import { expectCode, expectBadInput } from "../support/expect.js";
import { createChannel, createPartner, latestMail, partnershipKeyOf, type Channel, type FixturePartner } from "../support/fixtures.js";

interface RequestView {
  id: string;
  kind: string;
  status: string;
  expiresAt: string;
}
interface LinkPayload {
  request: RequestView;
  link: string;
  emailDraft: string;
}
type Link<K extends string> = Record<K, LinkPayload>;

let app: TestApp;
let ch: Channel;
const tag = uniqueTag();
/** Every token handed out in this file, to prove none is stored in clear (T-5, D-17). */
const issuedTokens: string[] = [];

/** An extra organisation with one global admin (ga@<domain>), tagged as fixture so ch.remove() deletes it. */
type Org = FixturePartner;
let newProvider: Org; // a provider not partnered with anyone
let reseller2: Org; // a second ACTIVE reseller, not partnered with anyone
let pendingReseller: Org; // a reseller whose enrollment is still under review


const tokenOf = tokenGetter(() => app, () => ch.password);

function tokenOfLink(link: string): string {
  const token = new URL(link).searchParams.get("token");
  expect(token).toBeTruthy();
  issuedTokens.push(token!);
  return token!;
}


async function requestStatus(id: string): Promise<string> {
  const [row] = await app.cypher<{ status: string }>("MATCH (r:RelationshipRequest {id: $id}) RETURN r.status AS status", { id });
  return row.status;
}

async function auditCount(operation: string, targetId: string): Promise<number> {
  const [row] = await app.cypher<{ n: { toNumber(): number } }>(
    "MATCH (e:AuditEvent {operation: $operation}) WHERE $targetId IN e.targetIds RETURN count(e) AS n",
    { operation, targetId },
  );
  return row.n.toNumber();
}

async function edgeCount(domain: string): Promise<number> {
  const [row] = await app.cypher<{ n: { toNumber(): number } }>(
    "MATCH (:Partner)-[e:RESELLER_OF_RECORD]->(:Customer {domain: $domain}) RETURN count(e) AS n",
    { domain },
  );
  return row.n.toNumber();
}

/** The delegated admin relationships partner `partnerId` holds with the customer of `domain` (D-25). */
async function relationshipsOf(partnerId: string, domain: string) {
  return app.cypher<{ status: string; roles: string[]; durationDays: number; autoExtend: boolean }>(
    `MATCH (:Partner {id: $partnerId})-[:HOLDS_DELEGATED_ADMIN]->(g:DelegatedAdminRelationship)-[:FOR_CUSTOMER]->(:Customer {domain: $domain})
     RETURN g.status AS status, g.roles AS roles, toInteger(g.durationDays) AS durationDays, g.autoExtend AS autoExtend ORDER BY g.createdAt`,
    { partnerId, domain },
  ).then((rows) => rows.map((r) => ({ ...r, durationDays: Number(r.durationDays) })));
}

/** D-25: the default relationship an accepted invitation gives a reseller. */
const DEFAULT_RELATIONSHIP = {
  status: "ACTIVE",
  roles: ["USER_ADMINISTRATOR", "LICENSE_ADMINISTRATOR", "HELPDESK_ADMINISTRATOR", "SERVICE_SUPPORT_ADMINISTRATOR"],
  durationDays: 730,
  autoExtend: true,
};

/** The text of the newest mail to `to`, quoted-printable undone (D-24 notices). */
function mailText(to: string): string {
  const raw = latestMail(app.mailDir, to)?.raw ?? "";
  return raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

async function customerCount(domain: string): Promise<number> {
  const [row] = await app.cypher<{ n: { toNumber(): number } }>("MATCH (c:Customer {domain: $domain}) RETURN count(c) AS n", { domain });
  return row.n.toNumber();
}

const ACCEPT = "mutation ($token: String!, $customer: CustomerProfileInput) { acceptRelationshipRequest(token: $token, customer: $customer) { customer { id companyName domain } } }";
const accept = (token: string, customer?: { companyName: string; domain: string; countryCode: string } | null) =>
  app.gql<{ acceptRelationshipRequest: { customer: { id: string; companyName: string; domain: string } } }>(ACCEPT, {
    variables: { token, customer: customer ?? null },
  });

async function requestRelationship(email: string, customerEmail: string): Promise<LinkPayload> {
  const result = await app.op<Link<"requestResellerRelationship">>("RequestResellerRelationship", { customerEmail }, await tokenOf(email));
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  tokenOfLink(result.data!.requestResellerRelationship.link);
  return result.data!.requestResellerRelationship;
}

beforeAll(async () => {
  app = await startTestApp({ PUBLIC_URL: "https://csp.test.example" });
  ch = await createChannel(app, tag);
  newProvider = await createPartner(app, tag, "PROVIDER", "newprov", ch.password, { namePrefix: "Invitations" });
  reseller2 = await createPartner(app, tag, "RESELLER", "resl2", ch.password, { namePrefix: "Invitations" });
  pendingReseller = await createPartner(app, tag, "RESELLER", "pendresl", ch.password, { namePrefix: "Invitations", status: "UNDER_REVIEW" });
});

afterAll(async () => {
  if (app) {
    // Customers created by acceptances and imports carry this file's tag in their domain.
    await app.cypher("MATCH (c:Customer) WHERE c.domain ENDS WITH $suffix AND c.fixture IS NULL DETACH DELETE c", { suffix: `${tag}.example` });
    await ch?.remove();
    await app.close();
  }
});

// ---------------------------------------------------------------------------------------------

describe("partnership invitations (D-9, C12, C13)", () => {
  let invitation: LinkPayload;

  it("D-9: when a provider's global admin invites an active reseller by MPN ID, then it gets a PENDING request, a link with the token and a draft that says what accepting means, mailed as is", async () => {
    const before = Date.now();
    const result = await app.op<Link<"inviteReseller">>(
      "InviteReseller",
      { input: { resellerMpnId: ch.reseller.mpnId, email: `Owner@${ch.reseller.domain}` } },
      await tokenOf(newProvider.ga),
    );
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    invitation = result.data!.inviteReseller;
    expect(invitation.request).toMatchObject({ kind: "PROVIDER_RESELLER", status: "PENDING" });
    // D-17: 14 days (product decision).
    const ttl = new Date(invitation.request.expiresAt).getTime() - before;
    expect(ttl).toBeGreaterThan(14 * 86_400_000 - 60_000);
    expect(ttl).toBeLessThan(14 * 86_400_000 + 60_000);
    expect(invitation.link).toMatch(/^https:\/\/csp\.test\.example\/[a-z/-]+\?token=[A-Za-z0-9_-]{43}$/);
    const token = tokenOfLink(invitation.link);
    expect(invitation.emailDraft).toContain(newProvider.name);
    expect(invitation.emailDraft).toContain(ch.reseller.name);
    expect(invitation.emailDraft).toContain("Authorize indirect provider");
    expect(invitation.emailDraft).toContain(invitation.link);

    const mail = latestMail(app.mailDir, `owner@${ch.reseller.domain}`);
    expect(mail?.raw).toContain("token=");
    expect(mail?.token).toBe(token);

    const [stored] = await app.cypher<{ hash: string }>("MATCH (r:RelationshipRequest {id: $id}) RETURN r.tokenHash AS hash", {
      id: invitation.request.id,
    });
    expect(stored.hash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(await auditCount("inviteReseller", invitation.request.id)).toBe(1);
  });

  it("D-9, T-4: when another reseller's global admin uses the link, then it is NOT_FOUND and the request stays PENDING", async () => {
    const result = await app.op("AuthorizeIndirectProvider", { token: tokenOfLink(invitation.link) }, await tokenOf(reseller2.ga));
    expectCode(result, "NOT_FOUND");
    expect(await requestStatus(invitation.request.id)).toBe("PENDING");
  });

  it("D-9: when the terms box is not ticked, then BAD_USER_INPUT names acceptTerms", async () => {
    const result = await app.gql("mutation ($t: String!) { authorizeIndirectProvider(token: $t, acceptTerms: false) { provider { id } } }", {
      variables: { t: tokenOfLink(invitation.link) },
      token: await tokenOf(ch.resellerUsers.ga),
    });
    expectBadInput(result, "acceptTerms", "D-9");
  });

  it("D-9: when the partnership link is used on the customer acceptance, then it is refused and stays PENDING", async () => {
    expectBadInput(await accept(tokenOfLink(invitation.link)), "token", "D-9");
    expect(await requestStatus(invitation.request.id)).toBe("PENDING");
  });

  it("C12: when a reseller user who is not global admin authorizes, then FORBIDDEN", async () => {
    const result = await app.op("AuthorizeIndirectProvider", { token: tokenOfLink(invitation.link) }, await tokenOf(ch.resellerUsers.aa));
    expectCode(result, "FORBIDDEN");
  });

  it("D-9: when the reseller's global admin authorizes, then the provider is on the reseller's Indirect providers list and the reseller on the provider's Indirect resellers list at once", async () => {
    const result = await app.op<{ authorizeIndirectProvider: { provider: { id: string; name: string } } }>(
      "AuthorizeIndirectProvider",
      { token: tokenOfLink(invitation.link) },
      await tokenOf(ch.resellerUsers.ga),
    );
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    expect(result.data!.authorizeIndirectProvider.provider).toEqual({ id: newProvider.id, name: newProvider.name });

    const providers = await app.op<{ me: { partner: { indirectProviders: { id: string }[] } } }>(
      "IndirectProviders",
      {},
      await tokenOf(ch.resellerUsers.ga),
    );
    expect(providers.data!.me.partner.indirectProviders.map((p) => p.id)).toContain(newProvider.id);
    const resellers = await app.op<{ me: { partner: { indirectResellers: { totalCount: number; edges: { node: { id: string; mpnId: string } }[] } } } }>(
      "IndirectResellers",
      { first: 10 },
      await tokenOf(newProvider.ga),
    );
    expect(resellers.data!.me.partner.indirectResellers.totalCount).toBe(1);
    expect(resellers.data!.me.partner.indirectResellers.edges[0].node).toMatchObject({ id: ch.reseller.id, mpnId: ch.reseller.mpnId });

    expect(await requestStatus(invitation.request.id)).toBe("ACCEPTED");
    expect(await auditCount("authorizeIndirectProvider", invitation.request.id)).toBe(1);
    // D-24: the provider's primary contact is told, after commit.
    expect(mailText(`contact@${newProvider.domain}`)).toContain(`${ch.reseller.name} (MPN ID ${ch.reseller.mpnId}) accepted ${newProvider.name}'s invitation`);
  });

  it("D-17: when the same partnership link is used again, then CONFLICT says it was used, and there is still one partnership edge", async () => {
    const result = await app.op("AuthorizeIndirectProvider", { token: tokenOfLink(invitation.link) }, await tokenOf(ch.resellerUsers.ga));
    expectCode(result, "CONFLICT", "already used");
    const [row] = await app.cypher<{ n: { toNumber(): number } }>(
      "MATCH (:Provider {id: $p})-[e:INDIRECT_PROVIDER_OF]->(:Reseller {id: $r}) RETURN count(e) AS n",
      { p: newProvider.id, r: ch.reseller.id },
    );
    expect(row.n.toNumber()).toBe(1);
  });

  it("D-9: when the provider invites a reseller it is already partnered with, then CONFLICT", async () => {
    const result = await app.op("InviteReseller", { input: { resellerMpnId: ch.reseller.mpnId, email: `x@${ch.reseller.domain}` } }, await tokenOf(ch.providerUsers.ga));
    expectCode(result, "CONFLICT");
  });

  it("D-9: when the MPN ID is unknown, a provider's, or a reseller's not yet ACTIVE, or the email is invalid, then NOT_FOUND / BAD_USER_INPUT naming the field", async () => {
    const token = await tokenOf(newProvider.ga);
    expectCode(await app.op("InviteReseller", { input: { resellerMpnId: "9999999999", email: "a@b.example" } }, token), "NOT_FOUND", "input.resellerMpnId");
    expectBadInput(await app.op("InviteReseller", { input: { resellerMpnId: ch.provider.mpnId, email: "a@b.example" } }, token), "input.resellerMpnId");
    expectBadInput(await app.op("InviteReseller", { input: { resellerMpnId: pendingReseller.mpnId, email: "a@b.example" } }, token), "input.resellerMpnId");
    expectBadInput(await app.op("InviteReseller", { input: { resellerMpnId: reseller2.mpnId, email: "not-an-email" } }, token), "input.email");
  });

  it("C13: when a reseller's global admin invites a reseller, then FORBIDDEN", async () => {
    const result = await app.op("InviteReseller", { input: { resellerMpnId: reseller2.mpnId, email: "a@b.example" } }, await tokenOf(ch.resellerUsers.ga));
    expectCode(result, "FORBIDDEN");
  });
});

// ---------------------------------------------------------------------------------------------

describe("customer invitations (D-14, D-16, D-18, C10)", () => {
  it("D-14, D-18, D-25: when a reseller invites an address of a domain new to the graph, then acceptance needs the customer's profile with exactly that domain, and creates the customer with the reseller as reseller of record with the default delegated admin relationship", async () => {
    const domain = `newco-${tag}.example`;
    const payload = await requestRelationship(ch.resellerUsers.sa, `it.boss@${domain}`);
    expect(payload.request).toMatchObject({ kind: "CUSTOMER_RESELLER", status: "PENDING" });
    expect(payload.emailDraft).toContain(ch.reseller.name);
    expect(payload.emailDraft).toContain(payload.link);
    const mail = latestMail(app.mailDir, `it.boss@${domain}`);
    expect(mail?.token).toBe(tokenOfLink(payload.link));
    const token = tokenOfLink(payload.link);
    expect(await auditCount("requestResellerRelationship", payload.request.id)).toBe(1);

    // No profile for a new customer.
    expectBadInput(await accept(token), "customer", "D-18");
    // Another domain than the invited address's.
    expectBadInput(await accept(token, { companyName: "NewCo", domain: `other-${tag}.example`, countryCode: "US" }), "customer.domain", "D-18");
    expectBadInput(await accept(token, { companyName: "NewCo", domain, countryCode: "XX" }), "customer.countryCode");
    expectBadInput(await accept(token, { companyName: "  ", domain, countryCode: "US" }), "customer.companyName");
    expect(await requestStatus(payload.request.id)).toBe("PENDING");
    expect(await customerCount(domain)).toBe(0);

    const result = await app.gql<{
      acceptRelationshipRequest: { customer: { id: string; companyName: string; domain: string } };
    }>(
      "mutation ($token: String!, $customer: CustomerProfileInput) { acceptRelationshipRequest(token: $token, customer: $customer) { customer { id companyName domain } } }",
      { variables: { token, customer: { companyName: "NewCo Ltd", domain: domain.toUpperCase(), countryCode: "de" } } },
    );
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    const customer = result.data!.acceptRelationshipRequest.customer;
    expect(customer).toMatchObject({ companyName: "NewCo Ltd", domain });
    // The anonymous caller sees the customer itself; its relationships need a partner's
    // capability (C1/C16), so asking for them is refused (test/authz covers the field rules).

    const [edge] = await app.cypher<{ legacy: unknown; countryCode: string }>(
      "MATCH (:Partner {id: $r})-[e:RESELLER_OF_RECORD]->(c:Customer {domain: $domain}) RETURN e.delegatedAdmin AS legacy, c.countryCode AS countryCode",
      { r: ch.reseller.id, domain },
    );
    // The legacy flag is no longer written (migrations/0009); the relationship is the grant.
    expect(edge).toEqual({ legacy: null, countryCode: "DE" });
    expect(await relationshipsOf(ch.reseller.id, domain)).toEqual([DEFAULT_RELATIONSHIP]);
    // D-24: the inviting reseller's primary contact is told.
    expect(mailText(`contact@${ch.reseller.domain}`)).toContain(`NewCo Ltd (${domain}) accepted the invitation to a reseller relationship with ${ch.reseller.name}.`);
    expect(await edgeCount(domain)).toBe(1);
    expect(await requestStatus(payload.request.id)).toBe("ACCEPTED");
    expect(await auditCount("acceptRelationshipRequest", payload.request.id)).toBe(1);

    // D-14: the customer is on the partner's customer list at once.
    const list = await app.op<{ customers: { edges: { node: { id: string } }[] } }>("Customers", { first: 50 }, await tokenOf(ch.resellerUsers.ga));
    expect(list.data!.customers.edges.map((e) => e.node.id)).toContain(customer.id);

    // D-17: single-use.
    expectCode(await accept(token, { companyName: "NewCo Ltd", domain, countryCode: "DE" }), "CONFLICT", "already used");
  });

  it("D-18, D-25: when the invited domain is an existing customer's, then acceptance binds that customer whatever profile is given, and a provider gets no delegated admin relationship", async () => {
    const solo = ch.resellerOnlyCustomer;
    const payload = await requestRelationship(ch.providerUsers.ga, `buyer@${solo.domain}`);
    const result = await accept(tokenOfLink(payload.link), { companyName: "Somebody Else", domain: `elsewhere-${tag}.example`, countryCode: "FR" });
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    expect(result.data!.acceptRelationshipRequest.customer).toEqual({ id: solo.id, companyName: solo.name, domain: solo.domain });
    expect(await customerCount(`elsewhere-${tag}.example`)).toBe(0);
    const edges = await app.cypher<{ id: string }>("MATCH (p:Partner)-[e:RESELLER_OF_RECORD]->(:Customer {id: $id}) RETURN p.id AS id ORDER BY p.kind", {
      id: solo.id,
    });
    expect(edges).toEqual([{ id: ch.provider.id }, { id: ch.reseller.id }]);
    expect(await relationshipsOf(ch.provider.id, solo.domain)).toEqual([]);
    // The reseller keeps the one relationship it had (the fixture's default one).
    expect(await relationshipsOf(ch.reseller.id, solo.domain)).toEqual([DEFAULT_RELATIONSHIP]);
  });

  it("D-14: when a partner invites an address of a customer it already has, then CONFLICT", async () => {
    const result = await app.op("RequestResellerRelationship", { customerEmail: `x@${ch.sharedCustomers[1].domain}` }, await tokenOf(ch.resellerUsers.ga));
    expectCode(result, "CONFLICT");
  });

  it("D-18: when the address is invalid or at a web-mail service, then BAD_USER_INPUT names customerEmail", async () => {
    const token = await tokenOf(ch.resellerUsers.ga);
    expectBadInput(await app.op("RequestResellerRelationship", { customerEmail: "nobody" }, token), "customerEmail");
    expectBadInput(await app.op("RequestResellerRelationship", { customerEmail: "someone@gmail.com" }, token), "customerEmail", "D-18");
  });

  it("C10: when a helpdesk agent asks for a customer relationship, then FORBIDDEN", async () => {
    const result = await app.op("RequestResellerRelationship", { customerEmail: `a@x-${tag}.example` }, await tokenOf(ch.resellerUsers.ha));
    expectCode(result, "FORBIDDEN");
  });

  it("D-16, D-24, D-25: when a reseller invites a new customer with its indirect provider, then acceptance makes both resellers of record: the reseller with the default delegated admin relationship, the provider able to order; both are mailed", async () => {
    const domain = `duo-${tag}.example`;
    const result = await app.op<Link<"inviteCustomerWithProvider">>(
      "InviteCustomerWithProvider",
      { providerId: ch.provider.id, customerEmail: `admin@${domain}` },
      await tokenOf(ch.resellerUsers.aa),
    );
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    const payload = result.data!.inviteCustomerWithProvider;
    expect(payload.request.kind).toBe("CUSTOMER_RESELLER_AND_PROVIDER");
    expect(payload.emailDraft).toContain(ch.reseller.name);
    expect(payload.emailDraft).toContain(ch.provider.name);
    expect(latestMail(app.mailDir, `admin@${domain}`)?.token).toBe(tokenOfLink(payload.link));
    expect(await auditCount("inviteCustomerWithProvider", payload.request.id)).toBe(1);

    const accepted = await accept(tokenOfLink(payload.link), { companyName: "Duo Inc", domain, countryCode: "US" });
    expect(accepted.errors, JSON.stringify(accepted.errors)).toBeUndefined();
    const customerId = accepted.data!.acceptRelationshipRequest.customer.id;
    const edges = await app.cypher<{ id: string }>("MATCH (p:Partner)-[e:RESELLER_OF_RECORD]->(:Customer {id: $id}) RETURN p.id AS id ORDER BY p.kind", {
      id: customerId,
    });
    expect(edges).toEqual([{ id: ch.provider.id }, { id: ch.reseller.id }]);
    expect(await relationshipsOf(ch.reseller.id, domain)).toEqual([DEFAULT_RELATIONSHIP]);
    expect(await relationshipsOf(ch.provider.id, domain)).toEqual([]);
    // D-24: both inviting partners' primary contacts are told.
    expect(mailText(`contact@${ch.reseller.domain}`)).toContain(`Duo Inc (${domain}) accepted the invitation to a reseller relationship with ${ch.reseller.name} together with ${ch.provider.name}.`);
    expect(mailText(`contact@${ch.provider.domain}`)).toContain(`Duo Inc (${domain}) accepted the invitation to a reseller relationship with ${ch.provider.name} together with ${ch.reseller.name}.`);
    const view = await app.op<{ customer: { channelPaths: { provider: { id: string }; reseller: { id: string }; providerCanOrder: boolean }[] } }>(
      "Customer",
      { id: customerId },
      await tokenOf(ch.providerUsers.ga),
    );
    expect(view.data!.customer.channelPaths).toEqual([
      expect.objectContaining({ provider: expect.objectContaining({ id: ch.provider.id }), reseller: expect.objectContaining({ id: ch.reseller.id }), providerCanOrder: true }),
    ]);
  });

  it("D-16, T-4: when the provider is not one of the reseller's indirect providers, then NOT_FOUND; when the caller is a provider, then FORBIDDEN", async () => {
    const notMine = await app.op("InviteCustomerWithProvider", { providerId: reseller2.id, customerEmail: `a@x-${tag}.example` }, await tokenOf(ch.resellerUsers.ga));
    expectCode(notMine, "NOT_FOUND");
    const unpartnered = await app.op("InviteCustomerWithProvider", { providerId: newProvider.id, customerEmail: `a@x-${tag}.example` }, await tokenOf(reseller2.ga));
    expectCode(unpartnered, "NOT_FOUND");
    const provider = await app.op("InviteCustomerWithProvider", { providerId: ch.provider.id, customerEmail: `a@x-${tag}.example` }, await tokenOf(ch.providerUsers.ga));
    expectCode(provider, "FORBIDDEN");
  });

  it("D-16, atomicity: when the partnership ended between invitation and acceptance, then the acceptance fails after its first writes and leaves nothing: no customer, no edge, no event, the request PENDING", async () => {
    await app.cypher(
      `MATCH (p:Provider {id: $p}), (r:Reseller {id: $r}) MERGE (p)-[e:INDIRECT_PROVIDER_OF]->(r) SET e.since = datetime(), e.listKey = ${partnershipKeyOf("p", "r")}`,
      { p: newProvider.id, r: reseller2.id },
    );
    const domain = `halfway-${tag}.example`;
    const result = await app.op<Link<"inviteCustomerWithProvider">>(
      "InviteCustomerWithProvider",
      { providerId: newProvider.id, customerEmail: `cto@${domain}` },
      await tokenOf(reseller2.ga),
    );
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    const payload = result.data!.inviteCustomerWithProvider;
    await app.cypher("MATCH (:Provider {id: $p})-[e:INDIRECT_PROVIDER_OF]->(:Reseller {id: $r}) DELETE e", { p: newProvider.id, r: reseller2.id });

    // The customer and the reseller's edge are written before the provider's edge is found missing.
    expectCode(await accept(tokenOfLink(payload.link), { companyName: "Halfway", domain, countryCode: "US" }), "CONFLICT", "no longer");
    expect(await requestStatus(payload.request.id)).toBe("PENDING");
    expect(await customerCount(domain)).toBe(0);
    expect(await edgeCount(domain)).toBe(0);
    expect(await auditCount("acceptRelationshipRequest", payload.request.id)).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------

describe("single use, revocation, expiry (D-17, T-4, T-5)", () => {
  it("D-17: when 50 acceptances with one token race, then exactly one succeeds, 49 get CONFLICT, and one set of edges exists", async () => {
    const domain = `race-${tag}.example`;
    const payload = await requestRelationship(ch.resellerUsers.ga, `ops@${domain}`);
    const token = tokenOfLink(payload.link);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => accept(token, { companyName: "Race Corp", domain, countryCode: "US" })),
    );
    const ok = results.filter((r) => !r.errors);
    const codes = results.filter((r) => r.errors).map((r) => r.errors![0].extensions?.code);
    expect(ok).toHaveLength(1);
    expect(codes).toEqual(Array(49).fill("CONFLICT"));
    expect(await customerCount(domain)).toBe(1);
    expect(await edgeCount(domain)).toBe(1);
    expect(await auditCount("acceptRelationshipRequest", payload.request.id)).toBe(1);
  });

  it("D-17: when a request is revoked, then its link gets CONFLICT saying so, and revoking again is CONFLICT", async () => {
    const domain = `revoked-${tag}.example`;
    const payload = await requestRelationship(ch.resellerUsers.ga, `ops@${domain}`);
    const revoked = await app.op<{ revokeRelationshipRequest: { id: string; status: string } }>(
      "RevokeRelationshipRequest",
      { id: payload.request.id },
      await tokenOf(ch.resellerUsers.sa),
    );
    expect(revoked.errors, JSON.stringify(revoked.errors)).toBeUndefined();
    expect(revoked.data!.revokeRelationshipRequest).toEqual({ id: payload.request.id, status: "REVOKED" });
    expect(await auditCount("revokeRelationshipRequest", payload.request.id)).toBe(1);

    expectCode(await accept(tokenOfLink(payload.link), { companyName: "Revoked", domain, countryCode: "US" }), "CONFLICT", "revoked");
    expectCode(await app.op("RevokeRelationshipRequest", { id: payload.request.id }, await tokenOf(ch.resellerUsers.ga)), "CONFLICT");
    expect(await customerCount(domain)).toBe(0);
  });

  it("D-17: when a request is past its expiry, then it lists as EXPIRED, its link gets CONFLICT saying so, and it cannot be revoked", async () => {
    const domain = `expired-${tag}.example`;
    const payload = await requestRelationship(ch.resellerUsers.ga, `ops@${domain}`);
    await app.cypher("MATCH (r:RelationshipRequest {id: $id}) SET r.expiresAt = datetime() - duration('PT1M')", { id: payload.request.id });

    const token = await tokenOf(ch.resellerUsers.ga);
    const expired = await app.op<{ relationshipRequests: { edges: { node: { id: string; status: string } }[] } }>(
      "RelationshipRequests",
      { status: "EXPIRED", first: 100 },
      token,
    );
    expect(expired.data!.relationshipRequests.edges.map((e) => e.node)).toContainEqual(expect.objectContaining({ id: payload.request.id, status: "EXPIRED" }));
    const pending = await app.op<{ relationshipRequests: { edges: { node: { id: string } }[] } }>("RelationshipRequests", { status: "PENDING", first: 100 }, token);
    expect(pending.data!.relationshipRequests.edges.map((e) => e.node.id)).not.toContain(payload.request.id);

    expectCode(await accept(tokenOfLink(payload.link), { companyName: "Late", domain, countryCode: "US" }), "CONFLICT", "expired");
    expectCode(await app.op("RevokeRelationshipRequest", { id: payload.request.id }, token), "CONFLICT");
    expect(await customerCount(domain)).toBe(0);
  });

  it("D-17: when a partnership link has expired, then authorizing it is CONFLICT", async () => {
    const result = await app.op<Link<"inviteReseller">>(
      "InviteReseller",
      { input: { resellerMpnId: reseller2.mpnId, email: reseller2.ga } },
      await tokenOf(newProvider.ga),
    );
    const payload = result.data!.inviteReseller;
    await app.cypher("MATCH (r:RelationshipRequest {id: $id}) SET r.expiresAt = datetime() - duration('PT1S')", { id: payload.request.id });
    expectCode(await app.op("AuthorizeIndirectProvider", { token: tokenOfLink(payload.link) }, await tokenOf(reseller2.ga)), "CONFLICT", "expired");
  });

  it("T-4: when an organisation revokes another organisation's request (or an unknown id), then NOT_FOUND and the request is untouched", async () => {
    const payload = await requestRelationship(ch.resellerUsers.ga, `ops@t4-${tag}.example`);
    expectCode(await app.op("RevokeRelationshipRequest", { id: payload.request.id }, await tokenOf(newProvider.ga)), "NOT_FOUND");
    expectCode(await app.op("RevokeRelationshipRequest", { id: newId("RelationshipRequest") }, await tokenOf(newProvider.ga)), "NOT_FOUND");
    expect(await requestStatus(payload.request.id)).toBe("PENDING");
  });

  it("C13: when a sales agent of the provider revokes its partnership invitation, then FORBIDDEN (it needs C13); the global admin may", async () => {
    const result = await app.op<Link<"inviteReseller">>(
      "InviteReseller",
      { input: { resellerMpnId: reseller2.mpnId, email: reseller2.ga } },
      await tokenOf(ch.providerUsers.ga),
    );
    const id = result.data!.inviteReseller.request.id;
    tokenOfLink(result.data!.inviteReseller.link);
    expectCode(await app.op("RevokeRelationshipRequest", { id }, await tokenOf(ch.providerUsers.sa)), "FORBIDDEN", "C13");
    const revoked = await app.op("RevokeRelationshipRequest", { id }, await tokenOf(ch.providerUsers.ga));
    expect(revoked.errors, JSON.stringify(revoked.errors)).toBeUndefined();
  });

  it("T-1: when a reseller pages through its requests, then it sees only its own, newest first, each once, with the status filter applied", async () => {
    const token = await tokenOf(reseller2.ga);
    const made: string[] = [];
    for (let i = 0; i < 3; i++) made.push((await requestRelationship(reseller2.ga, `p${i}@page${i}-${tag}.example`)).request.id);
    const seen: string[] = [];
    let after: string | null = null;
    let total = -1;
    do {
      const page: GqlResult<{ relationshipRequests: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: { id: string; status: string } }[] } }> =
        await app.op("RelationshipRequests", { status: "PENDING", first: 2, after }, token);
      expect(page.errors, JSON.stringify(page.errors)).toBeUndefined();
      const conn = page.data!.relationshipRequests;
      total = conn.totalCount;
      seen.push(...conn.edges.map((e) => e.node.id));
      for (const edge of conn.edges) expect(edge.node.status).toBe("PENDING");
      after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null;
    } while (after);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(total);
    // Newest first: the three just made lead, in reverse order of creation.
    expect(seen.slice(0, 3)).toEqual([...made].reverse());
    // Another organisation's requests never show.
    const others = await app.op<{ relationshipRequests: { edges: { node: { id: string } }[] } }>("RelationshipRequests", { first: 100 }, await tokenOf(newProvider.ga));
    for (const id of made) expect(others.data!.relationshipRequests.edges.map((e) => e.node.id)).not.toContain(id);
  });

  it("T-5: when the schema is introspected, then no field of a request exposes a token or its hash", async () => {
    const result = await app.gql<{ __type: { fields: { name: string }[] } }>('{ __type(name: "RelationshipRequest") { fields { name } } }', {
      token: await tokenOf(ch.resellerUsers.ga),
    });
    const names = result.data!.__type.fields.map((f) => f.name.toLowerCase());
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => n.includes("token") || n.includes("hash"))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

describe("delegated admin requests (C4)", () => {
  it("C4, D-25: when a provider asks a customer it shares for delegated admin, then the request is mailed to admin@<customer domain> and acceptance makes its relationship ACTIVE; another request is allowed (several relationships may exist)", async () => {
    const customer = ch.sharedCustomers[0];
    const result = await app.op<Link<"requestDelegatedAdmin">>("RequestDelegatedAdmin", { customerId: customer.id }, await tokenOf(ch.providerUsers.aa));
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    const payload = result.data!.requestDelegatedAdmin;
    expect(payload.request.kind).toBe("DELEGATED_ADMIN");
    expect(payload.emailDraft).toContain(customer.name);
    const mail = latestMail(app.mailDir, `admin@${customer.domain}`);
    expect(mail?.token).toBe(tokenOfLink(payload.link));
    expect(await auditCount("requestDelegatedAdmin", payload.request.id)).toBe(1);

    const accepted = await accept(tokenOfLink(payload.link));
    expect(accepted.errors, JSON.stringify(accepted.errors)).toBeUndefined();
    expect(accepted.data!.acceptRelationshipRequest.customer.id).toBe(customer.id);
    expect(await relationshipsOf(ch.provider.id, customer.domain)).toEqual([DEFAULT_RELATIONSHIP]);
    expect(await auditCount("acceptRelationshipRequest", payload.request.id)).toBe(1);
    // D-24: the requesting partner's primary contact is told of the approval.
    expect(mailText(`contact@${ch.provider.domain}`)).toContain(`approved ${ch.provider.name}'s granular delegated admin request`);

    // The graph's relationships are the truth: asking again makes a second, PENDING_APPROVAL one.
    const again = await app.op<Link<"requestDelegatedAdmin">>("RequestDelegatedAdmin", { customerId: customer.id }, await tokenOf(ch.providerUsers.ga));
    expect(again.errors, JSON.stringify(again.errors)).toBeUndefined();
    tokenOfLink(again.data!.requestDelegatedAdmin.link);
    expect((await relationshipsOf(ch.provider.id, customer.domain)).map((r) => r.status)).toEqual(["ACTIVE", "PENDING_APPROVAL"]);
  });

  it("C4, T-2: when the customer is not the caller's, then NOT_FOUND; when the caller is a sales agent, then FORBIDDEN", async () => {
    expectCode(await app.op("RequestDelegatedAdmin", { customerId: ch.resellerOnlyCustomer.id }, await tokenOf(newProvider.ga)), "NOT_FOUND");
    expectCode(await app.op("RequestDelegatedAdmin", { customerId: ch.sharedCustomers[1].id }, await tokenOf(ch.providerUsers.sa)), "FORBIDDEN");
  });
});

// ---------------------------------------------------------------------------------------------

describe("D-13 import of existing relationships", () => {
  const dir = mkdtempSync(join(tmpdir(), "csp-import-"));
  const csv = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it("D-13: when a CSV of customers is imported twice, then the first run creates the new customers and relationships in batches and the second changes nothing", async () => {
    const file = csv(
      "good.csv",
      [
        "companyName,domain,countryCode",
        `"Import One, Ltd.",imp1-${tag}.example,US`,
        `"Import ""Two""",IMP2-${tag}.example,de`,
        `Already Mine,${ch.sharedCustomers[0].domain},US`,
        `Someone Elses,existing-${tag}.example,US`,
        "",
      ].join("\r\n"),
    );
    // A customer already in the graph, of nobody (the afterAll removes it by its domain).
    const existingId = newId("Customer");
    await app.cypher(
      "CREATE (:Customer {id: $id, companyName: 'Existing Import', companyNameLower: 'existing import', domain: $domain, countryCode: 'GB', createdAt: datetime()})",
      { id: existingId, domain: `existing-${tag}.example` },
    );
    const preview = await importRelationships(app.executor, { file, partnerMpnId: ch.provider.mpnId, dryRun: true });
    expect(preview).toMatchObject({ rows: 4, customersCreated: 2, relationshipsCreated: 3, dryRun: true });
    expect(await customerCount(`imp1-${tag}.example`)).toBe(0);

    // The provider: shared customer 0 is already its own; the existing customer is nobody's yet.
    const first = await importRelationships(app.executor, { file, partnerMpnId: ch.provider.mpnId, batchSize: 3 });
    expect(first).toMatchObject({ rows: 4, batches: 2, customersCreated: 2, relationshipsCreated: 3, dryRun: false });
    const [two] = await app.cypher<{ name: string; country: string }>(
      "MATCH (:Partner {id: $p})-[e:RESELLER_OF_RECORD]->(c:Customer {domain: $d}) RETURN c.companyName AS name, c.countryCode AS country",
      { p: ch.provider.id, d: `imp2-${tag}.example` },
    );
    expect(two).toEqual({ name: 'Import "Two"', country: "DE" });
    // D-25: a provider's imported relationship comes with no delegated admin relationship.
    expect(await relationshipsOf(ch.provider.id, `imp2-${tag}.example`)).toEqual([]);
    // An existing customer is kept as it is.
    const [existing] = await app.cypher<{ name: string; country: string }>(
      "MATCH (c:Customer {id: $id}) RETURN c.companyName AS name, c.countryCode AS country",
      { id: existingId },
    );
    expect(existing).toEqual({ name: "Existing Import", country: "GB" });

    const countAll = async () =>
      (await app.cypher<{ nodes: { toNumber(): number }; rels: { toNumber(): number } }>(
        "MATCH (c:Customer) WHERE c.domain ENDS WITH $suffix OPTIONAL MATCH (c)<-[e:RESELLER_OF_RECORD]-() RETURN count(DISTINCT c) AS nodes, count(e) AS rels",
        { suffix: `${tag}.example` },
      ))[0];
    const before = await countAll();
    const second = await importRelationships(app.executor, { file, partnerMpnId: ch.provider.mpnId });
    expect(second).toMatchObject({ rows: 4, customersCreated: 0, relationshipsCreated: 0 });
    const after = await countAll();
    expect(after.nodes.toNumber()).toBe(before.nodes.toNumber());
    expect(after.rels.toNumber()).toBe(before.rels.toNumber());

    // D-13: they are on the provider's customer list.
    const list = await app.op<{ customers: { edges: { node: { domain: string } }[] } }>("Customers", { first: 100 }, await tokenOf(ch.providerUsers.ga));
    expect(list.data!.customers.edges.map((e) => e.node.domain)).toEqual(expect.arrayContaining([`imp1-${tag}.example`, `imp2-${tag}.example`, `existing-${tag}.example`]));

    // D-13, D-25: a reseller's imported relationship comes with the default delegated admin relationship, once.
    const resellerFile = csv("reseller.csv", `companyName,domain,countryCode\nReseller Import,impr-${tag}.example,US\nAlready Mine,${ch.resellerOnlyCustomer.domain},US\n`);
    expect(await importRelationships(app.executor, { file: resellerFile, partnerMpnId: ch.reseller.mpnId })).toMatchObject({ relationshipsCreated: 1 });
    expect(await relationshipsOf(ch.reseller.id, `impr-${tag}.example`)).toEqual([DEFAULT_RELATIONSHIP]);
    expect(await relationshipsOf(ch.reseller.id, ch.resellerOnlyCustomer.domain)).toHaveLength(1);
    await importRelationships(app.executor, { file: resellerFile, partnerMpnId: ch.reseller.mpnId });
    expect(await relationshipsOf(ch.reseller.id, `impr-${tag}.example`)).toHaveLength(1);
  });

  it("D-13: when any row is bad, then every bad line is reported and nothing is imported", async () => {
    const file = csv(
      "bad.csv",
      [
        "companyName,domain,countryCode",
        `Fine Co,fine-${tag}.example,US`,
        `Bad Country,badc-${tag}.example,XX`,
        `Bad Domain,not a domain,US`,
        `Dup,fine-${tag}.example,US`,
        `Short,short-${tag}.example`,
      ].join("\n"),
    );
    const error = await importRelationships(app.executor, { file, partnerMpnId: ch.reseller.mpnId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportRejected);
    expect((error as ImportRejected).errors.map((e) => e.line)).toEqual([3, 4, 5, 6]);
    expect(await customerCount(`fine-${tag}.example`)).toBe(0);

    const unknownPartner = await importRelationships(app.executor, { file: csv("one.csv", `companyName,domain,countryCode\nX,x1-${tag}.example,US\n`), partnerMpnId: "0000000000" }).catch(
      (e: unknown) => e,
    );
    expect(unknownPartner).toBeInstanceOf(ImportRejected);
    expect(await customerCount(`x1-${tag}.example`)).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------

describe("tokens at rest (D-17, T-5)", () => {
  it("D-17, T-5: when every token this file was given is looked for in the graph's properties, then none is stored in clear", async () => {
    const unique = [...new Set(issuedTokens)];
    expect(unique.length).toBeGreaterThan(8);
    // Every property of every node (lists included), searched as text for each token.
    const rows = await app.cypher<{ props: Record<string, unknown> }>("MATCH (n) RETURN properties(n) AS props");
    expect(rows.length).toBeGreaterThan(0);
    const holders = rows.map((r) => JSON.stringify(r.props)).filter((text) => unique.some((token) => text.includes(token)));
    expect(holders).toEqual([]);
  });
});
