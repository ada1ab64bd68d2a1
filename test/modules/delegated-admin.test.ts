import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { days, ManualClock } from "../../src/shared/clock.js";
import { newId } from "../../src/shared/ids.js";
import { cypherFragment } from "../../src/shared/neo4j/queries.js";
import { startTestApp, tokenGetter, uniqueTag, type GqlResult, type TestApp } from "../support/app.js";
import { expectBadInput, expectCode } from "../support/expect.js";
import { createChannel, latestMail, type Channel } from "../support/fixtures.js";

/**
 * Granular delegated admin, GDAP (D-25, D-26, issue 13), through the API on the real Neo4j. The
 * domain's time is the app's clock, moved by hand (ManualClock): expiry and auto-extension are
 * computed when read, so moving the clock is all it takes, nothing is waited for or swept.
 */

interface Relationship {
  id: string;
  status: string;
  roles: string[];
  durationDays: number;
  autoExtend: boolean;
  activatedAt: string | null;
  endsAt: string | null;
  customer: { id: string; companyName: string } | null;
}
interface RequestPayload {
  requestDelegatedAdmin: {
    request: { id: string; kind: string; status: string; expiresAt: string };
    relationship: { id: string; status: string; roles: string[]; durationDays: number; autoExtend: boolean };
    link: string;
    emailDraft: string;
  };
}
interface ListPayload {
  delegatedAdminRelationships: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: Relationship }[];
  };
}

const clock = new ManualClock();
let app: TestApp;
let ch: Channel;
let other: Channel;
const tag = uniqueTag();
const tokenOf = tokenGetter(() => app, () => ch.password);

beforeAll(async () => {
  app = await startTestApp({ PUBLIC_URL: "https://gdap.test.example" }, { clock });
  ch = await createChannel(app, tag, { customers: 3 });
  other = await createChannel(app, `${tag}o`);
});
afterAll(async () => {
  await ch?.remove();
  await other?.remove();
  await app?.close();
});
afterEach(() => clock.reset());

function ok<T>(result: GqlResult<T>, step: string): T {
  expect(result.errors, `${step}: ${JSON.stringify(result.errors)}`).toBeUndefined();
  return result.data!;
}

async function requestAdmin(email: string, customerId: string, input?: { roles: string[]; durationDays: number; autoExtend?: boolean }) {
  return app.lifecycle<RequestPayload>("RequestGranularDelegatedAdmin", { customerId, input: input ?? null }, await tokenOf(email));
}

function tokenOfLink(link: string): string {
  return new URL(link).searchParams.get("token")!;
}

async function accept(token: string) {
  return app.op<{ acceptRelationshipRequest: { customer: { id: string } } }>("AcceptRelationshipRequest", { token });
}

async function list(email: string, variables: { where?: Record<string, unknown>; first?: number; after?: string | null } = {}, password?: string) {
  return app.lifecycle<ListPayload>("DelegatedAdminRelationships", { first: 50, ...variables }, await tokenOf(email, password));
}

async function relationship(email: string, id: string, password?: string): Promise<Relationship> {
  const page = ok(await list(email, {}, password), "list").delegatedAdminRelationships;
  const found = page.edges.find((e) => e.node.id === id)?.node;
  expect(found, `relationship ${id} in the list`).toBeDefined();
  return found!;
}

async function serviceRequest(email: string, customerId: string, password?: string) {
  return app.op<{ createServiceRequest: { id: string } }>(
    "CreateServiceRequest",
    { input: { customerId, title: "Mailbox sync fails", description: "Since this morning.", severity: "HIGH" } },
    await tokenOf(email, password),
  );
}

function expectDelegatedAdminRequired(result: GqlResult<unknown>): void {
  const error = expectCode(result, "FORBIDDEN", "D-26");
  expect(error.extensions?.reason).toBe("DELEGATED_ADMIN_REQUIRED");
}

/** The mail's text with quoted-printable soft breaks and escapes undone. */
function mailText(to: string): string {
  const raw = latestMail(app.mailDir, to)?.raw ?? "";
  return raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

async function auditCount(operation: string, targetId: string): Promise<number> {
  const [row] = await app.cypher<{ n: { toNumber(): number } }>(
    "MATCH (e:AuditEvent {operation: $operation}) WHERE $targetId IN e.targetIds RETURN count(e) AS n",
    { operation, targetId },
  );
  return row.n.toNumber();
}

describe("the GDAP story (D-25, D-26, issue 13)", () => {
  it("when a provider requests roles for 30 days, the customer approves, then a service request on behalf works; once the relationship expires (clock +31 days) the same request is refused with DELEGATED_ADMIN_REQUIRED", async () => {
    const customer = ch.sharedCustomers[0];
    // The provider has no relationship with its customer yet (a provider's acceptance gives none, D-25).
    expectDelegatedAdminRequired(await serviceRequest(ch.providerUsers.aa, customer.id));

    const asked = ok(
      await requestAdmin(ch.providerUsers.aa, customer.id, {
        roles: ["SERVICE_SUPPORT_ADMINISTRATOR", "USER_ADMINISTRATOR", "SERVICE_SUPPORT_ADMINISTRATOR"],
        durationDays: 30,
        autoExtend: false,
      }),
      "request",
    ).requestDelegatedAdmin;
    expect(asked.request).toMatchObject({ kind: "DELEGATED_ADMIN", status: "PENDING" });
    // Deduplicated, in DelegatedAdminRole's order.
    expect(asked.relationship).toMatchObject({ status: "PENDING_APPROVAL", roles: ["USER_ADMINISTRATOR", "SERVICE_SUPPORT_ADMINISTRATOR"], durationDays: 30, autoExtend: false });
    expect(asked.emailDraft).toContain("User Administrator, Service Support Administrator");
    expect(asked.emailDraft).toContain("30 days");
    expect(latestMail(app.mailDir, `admin@${customer.domain}`)?.token).toBe(tokenOfLink(asked.link));
    expect(await auditCount("requestDelegatedAdmin", asked.relationship.id)).toBe(1);
    // Still pending: no service requests yet.
    expectDelegatedAdminRequired(await serviceRequest(ch.providerUsers.aa, customer.id));

    const before = clock.now();
    ok(await accept(tokenOfLink(asked.link)), "accept");
    const active = await relationship(ch.providerUsers.aa, asked.relationship.id);
    expect(active.status).toBe("ACTIVE");
    const activatedAt = Date.parse(active.activatedAt!);
    expect(activatedAt).toBeGreaterThanOrEqual(before);
    expect(Date.parse(active.endsAt!)).toBe(activatedAt + days(30));
    expect(active.customer).toEqual({ id: customer.id, companyName: customer.name });
    // D-24: the provider's primary contact is told.
    const mail = mailText(`contact@${ch.provider.domain}`);
    expect(mail).toContain(`approved ${ch.provider.name}'s granular delegated admin request`);
    expect(mail).toContain("for 30 days");

    const worked = ok(await serviceRequest(ch.providerUsers.aa, customer.id), "service request while ACTIVE");
    expect(worked.createServiceRequest.id).toMatch(/^srq_/);

    clock.advance(days(31));
    const expired = await relationship(ch.providerUsers.aa, asked.relationship.id);
    expect(expired.status).toBe("EXPIRED");
    expect(expired.endsAt).toBe(active.endsAt);
    const refused = await serviceRequest(ch.providerUsers.aa, customer.id);
    expectDelegatedAdminRequired(refused);
    // Nothing was written for the expiry: the stored status is still ACTIVE (computed when read).
    const [stored] = await app.cypher<{ status: string }>("MATCH (g:DelegatedAdminRelationship {id: $id}) RETURN g.status AS status", { id: asked.relationship.id });
    expect(stored.status).toBe("ACTIVE");
  });
});

describe("requestDelegatedAdmin input (D-25, C4)", () => {
  it("when no input is given, then the default set is asked for: four roles, 730 days, auto-extend on (the old operation keeps working)", async () => {
    const asked = ok(await requestAdmin(ch.providerUsers.ga, ch.sharedCustomers[1].id), "request").requestDelegatedAdmin;
    expect(asked.relationship).toMatchObject({
      status: "PENDING_APPROVAL",
      roles: ["USER_ADMINISTRATOR", "LICENSE_ADMINISTRATOR", "HELPDESK_ADMINISTRATOR", "SERVICE_SUPPORT_ADMINISTRATOR"],
      durationDays: 730,
      autoExtend: true,
    });
    expect(asked.emailDraft).toContain("730 days");
    const old = await app.op<{ requestDelegatedAdmin: { request: { kind: string }; link: string } }>(
      "RequestDelegatedAdmin",
      { customerId: ch.sharedCustomers[1].id },
      await tokenOf(ch.providerUsers.ga),
    );
    expect(ok(old, "old operation").requestDelegatedAdmin.request.kind).toBe("DELEGATED_ADMIN");
  });

  it.each([
    [{ roles: [], durationDays: 30 }, "input.roles"],
    [{ roles: ["USER_ADMINISTRATOR"], durationDays: 0 }, "input.durationDays"],
    [{ roles: ["USER_ADMINISTRATOR"], durationDays: 731 }, "input.durationDays"],
    [{ roles: ["GLOBAL_ADMINISTRATOR"], durationDays: 30 }, "input.autoExtend"],
    [{ roles: ["GLOBAL_ADMINISTRATOR", "USER_ADMINISTRATOR"], durationDays: 30, autoExtend: true }, "input.autoExtend"],
  ])("when the input is %j, then BAD_USER_INPUT naming %s and D-25, and nothing is created", async (input, field) => {
    const count = async () =>
      Number(
        (await app.cypher<{ n: unknown }>("MATCH (:Partner {id: $p})-[:HOLDS_DELEGATED_ADMIN]->(g) RETURN count(g) AS n", { p: ch.provider.id }))[0].n,
      );
    const before = await count();
    expectBadInput(await requestAdmin(ch.providerUsers.ga, ch.sharedCustomers[2].id, input), field, "D-25");
    expect(await count()).toBe(before);
  });

  it("C4, T-2: when the customer is not the caller's, then NOT_FOUND; when the caller is a sales or helpdesk agent, then FORBIDDEN", async () => {
    expectCode(await requestAdmin(ch.providerUsers.ga, ch.resellerOnlyCustomer.id), "NOT_FOUND");
    expectCode(await requestAdmin(ch.providerUsers.sa, ch.sharedCustomers[2].id), "FORBIDDEN");
    expectCode(await requestAdmin(ch.providerUsers.ha, ch.sharedCustomers[2].id), "FORBIDDEN");
  });
});

describe("state as read (D-25: expiry and auto-extension computed at the request's time)", () => {
  it("when an auto-extending relationship passes its endsAt, then it reads ACTIVE with endsAt + 180 days, then + 360 days, and service requests keep working", async () => {
    const customer = ch.sharedCustomers[1];
    const asked = ok(await requestAdmin(ch.providerUsers.ga, customer.id, { roles: ["HELPDESK_ADMINISTRATOR"], durationDays: 10 }), "request").requestDelegatedAdmin;
    expect(asked.relationship.autoExtend).toBe(true);
    ok(await accept(tokenOfLink(asked.link)), "accept");
    const first = await relationship(ch.providerUsers.ga, asked.relationship.id);
    const endsAt = Date.parse(first.endsAt!);

    clock.advance(days(11));
    const extended = await relationship(ch.providerUsers.ga, asked.relationship.id);
    expect(extended.status).toBe("ACTIVE");
    expect(Date.parse(extended.endsAt!)).toBe(endsAt + days(180));
    ok(await serviceRequest(ch.providerUsers.ga, customer.id), "service request after the first extension");

    clock.advance(days(180));
    const twice = await relationship(ch.providerUsers.ga, asked.relationship.id);
    expect(twice.status).toBe("ACTIVE");
    expect(Date.parse(twice.endsAt!)).toBe(endsAt + days(360));
  });

  it("when a GLOBAL_ADMINISTRATOR relationship (autoExtend false) passes its endsAt, then it reads EXPIRED: it never auto-extends", async () => {
    const customer = ch.sharedCustomers[2];
    const asked = ok(
      await requestAdmin(ch.providerUsers.ga, customer.id, { roles: ["GLOBAL_ADMINISTRATOR"], durationDays: 5, autoExtend: false }),
      "request",
    ).requestDelegatedAdmin;
    ok(await accept(tokenOfLink(asked.link)), "accept");
    ok(await serviceRequest(ch.providerUsers.ga, customer.id), "GLOBAL_ADMINISTRATOR is a support role (D-26)");
    clock.advance(days(6));
    expect((await relationship(ch.providerUsers.ga, asked.relationship.id)).status).toBe("EXPIRED");
    expectDelegatedAdminRequired(await serviceRequest(ch.providerUsers.ga, customer.id));
  });

  it("when a stored GLOBAL_ADMINISTRATOR relationship says autoExtend (data written by hand), then the read still never extends it", async () => {
    const id = newId("DelegatedAdminRelationship");
    await app.cypher(
      `MATCH (p:Partner {id: $p}), (c:Customer {id: $c})
       CREATE (p)-[held:HOLDS_DELEGATED_ADMIN]->(g:DelegatedAdminRelationship {id: $id, status: 'ACTIVE', roles: ['GLOBAL_ADMINISTRATOR'], durationDays: 1,
         autoExtend: true, createdAt: datetime() - duration({days: 3}), activatedAt: datetime() - duration({days: 3}), endsAt: datetime() - duration({days: 2})})-[:FOR_CUSTOMER]->(c)
       SET held.listKey = ${cypherFragment("delegated-admin-list-key", "p", "g")}`,
      { p: other.provider.id, c: other.sharedCustomers[0].id, id },
    );
    const read = await relationship(other.providerUsers.ga, id, other.password);
    expect(read).toMatchObject({ status: "EXPIRED", autoExtend: true });
  });

  it("when a request's link expires before the customer approves, then its relationship reads EXPIRED and the link is refused", async () => {
    const asked = ok(await requestAdmin(ch.providerUsers.ga, ch.sharedCustomers[0].id, { roles: ["DIRECTORY_READER"], durationDays: 7 }), "request")
      .requestDelegatedAdmin;
    clock.advance(days(15));
    expect((await relationship(ch.providerUsers.ga, asked.relationship.id)).status).toBe("EXPIRED");
    expectCode(await accept(tokenOfLink(asked.link)), "CONFLICT", "expired");
    clock.reset();
    expect((await relationship(ch.providerUsers.ga, asked.relationship.id)).status).toBe("PENDING_APPROVAL");
  });

  it("D-17: when the request is revoked, then its pending relationship is TERMINATED and the link is refused", async () => {
    const asked = ok(await requestAdmin(ch.providerUsers.ga, ch.sharedCustomers[0].id, { roles: ["BILLING_ADMINISTRATOR"], durationDays: 7 }), "request")
      .requestDelegatedAdmin;
    ok(await app.op("RevokeRelationshipRequest", { id: asked.request.id }, await tokenOf(ch.providerUsers.ga)), "revoke");
    const terminated = await relationship(ch.providerUsers.ga, asked.relationship.id);
    expect(terminated.status).toBe("TERMINATED");
    expectCode(await accept(tokenOfLink(asked.link)), "CONFLICT", "revoked");
  });
});

describe("terminateDelegatedAdmin (C4, D-25)", () => {
  it("when the reseller terminates its ACTIVE default relationship, then it is TERMINATED with endedAt, audited, service requests are refused, and terminating again is CONFLICT", async () => {
    const solo = ch.resellerOnlyCustomer;
    ok(await serviceRequest(ch.resellerUsers.ha, solo.id), "the fixture reseller's default relationship allows service requests");
    const mine = ok(await list(ch.resellerUsers.ga, { where: { customerId: solo.id, status: "ACTIVE" } }), "list").delegatedAdminRelationships;
    expect(mine.totalCount).toBe(1);
    const id = mine.edges[0].node.id;

    expectCode(await app.lifecycle("TerminateDelegatedAdmin", { id }, await tokenOf(ch.resellerUsers.sa)), "FORBIDDEN");
    expectCode(await app.lifecycle("TerminateDelegatedAdmin", { id }, await tokenOf(other.resellerUsers.ga, other.password)), "NOT_FOUND");
    expectCode(await app.lifecycle("TerminateDelegatedAdmin", { id: newId("DelegatedAdminRelationship") }, await tokenOf(ch.resellerUsers.ga)), "NOT_FOUND");

    const before = clock.now();
    const ended = ok(
      await app.lifecycle<{ terminateDelegatedAdmin: { id: string; status: string; endedAt: string } }>("TerminateDelegatedAdmin", { id }, await tokenOf(ch.resellerUsers.aa)),
      "terminate",
    ).terminateDelegatedAdmin;
    expect(ended).toMatchObject({ id, status: "TERMINATED" });
    expect(Date.parse(ended.endedAt)).toBeGreaterThanOrEqual(before);
    expect(await auditCount("terminateDelegatedAdmin", id)).toBe(1);
    expectDelegatedAdminRequired(await serviceRequest(ch.resellerUsers.ha, solo.id));
    expectCode(await app.lifecycle("TerminateDelegatedAdmin", { id }, await tokenOf(ch.resellerUsers.ga)), "CONFLICT", "TERMINATED");
  });

  it("when a PENDING_APPROVAL relationship is terminated, then its link is revoked; an EXPIRED one cannot be terminated", async () => {
    const asked = ok(await requestAdmin(ch.resellerUsers.ga, ch.sharedCustomers[0].id, { roles: ["USER_ADMINISTRATOR"], durationDays: 3 }), "request")
      .requestDelegatedAdmin;
    ok(await app.lifecycle("TerminateDelegatedAdmin", { id: asked.relationship.id }, await tokenOf(ch.resellerUsers.ga)), "terminate pending");
    expectCode(await accept(tokenOfLink(asked.link)), "CONFLICT", "revoked");

    const second = ok(
      await requestAdmin(ch.resellerUsers.ga, ch.sharedCustomers[0].id, { roles: ["USER_ADMINISTRATOR"], durationDays: 3, autoExtend: false }),
      "request",
    )
      .requestDelegatedAdmin;
    ok(await accept(tokenOfLink(second.link)), "accept");
    clock.advance(days(4));
    expectCode(await app.lifecycle("TerminateDelegatedAdmin", { id: second.relationship.id }, await tokenOf(ch.resellerUsers.ga)), "CONFLICT", "EXPIRED");
  });
});

describe("delegatedAdminRelationships and Customer.delegatedAdminRelationships (C4 or C1, T-1, T-2)", () => {
  it("when a reseller lists its relationships, then it sees only its own, newest first, keyset-paged with totalCount, filtered by customer and by the status as read now", async () => {
    const all = ok(await list(ch.resellerUsers.ha), "list (C1 suffices)").delegatedAdminRelationships;
    expect(all.totalCount).toBe(all.edges.length);
    // The fixture's three default relationships and more; none of the provider's.
    const providerIds = new Set(ok(await list(ch.providerUsers.ga), "provider list").delegatedAdminRelationships.edges.map((e) => e.node.id));
    expect(all.edges.some((e) => providerIds.has(e.node.id))).toBe(false);
    for (const customer of [...ch.sharedCustomers, ch.resellerOnlyCustomer]) {
      expect(all.edges.some((e) => e.node.customer?.id === customer.id)).toBe(true);
    }

    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: ListPayload["delegatedAdminRelationships"] = ok(await list(ch.resellerUsers.ga, { first: 2, after }), "page").delegatedAdminRelationships;
      expect(page.totalCount).toBe(all.totalCount);
      seen.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.edges.map((e) => e.node.id));

    const shared0 = ok(await list(ch.resellerUsers.ga, { where: { customerId: ch.sharedCustomers[0].id } }), "by customer").delegatedAdminRelationships;
    expect(shared0.edges.every((e) => e.node.customer?.id === ch.sharedCustomers[0].id)).toBe(true);
    expect(shared0.totalCount).toBeGreaterThanOrEqual(1);

    // Status filters use the status as read at the clock's time.
    const activeNow = ok(await list(ch.resellerUsers.ga, { where: { status: "ACTIVE" } }), "ACTIVE").delegatedAdminRelationships;
    expect(activeNow.edges.every((e) => e.node.status === "ACTIVE")).toBe(true);
    const asked = ok(await requestAdmin(ch.resellerUsers.ga, ch.sharedCustomers[1].id, { roles: ["LICENSE_ADMINISTRATOR"], durationDays: 2, autoExtend: false }), "request")
      .requestDelegatedAdmin;
    ok(await accept(tokenOfLink(asked.link)), "accept");
    clock.advance(days(3));
    const expired = ok(await list(ch.resellerUsers.ga, { where: { status: "EXPIRED" } }), "EXPIRED").delegatedAdminRelationships;
    expect(expired.edges.map((e) => e.node.id)).toContain(asked.relationship.id);
    const activeLater = ok(await list(ch.resellerUsers.ga, { where: { status: "ACTIVE" } }), "ACTIVE later").delegatedAdminRelationships;
    expect(activeLater.edges.map((e) => e.node.id)).not.toContain(asked.relationship.id);
    expect(activeLater.edges.every((e) => e.node.status === "ACTIVE")).toBe(true);
    expect(activeLater.totalCount).toBe(activeLater.edges.length);
    // What was ACTIVE and is not any more has passed its endsAt without auto-extension (EXPIRED now).
    const gone = activeNow.edges.filter((e) => !activeLater.edges.some((l) => l.node.id === e.node.id)).map((e) => e.node.id);
    expect(gone.every((id) => expired.edges.some((e) => e.node.id === id))).toBe(true);

    // T-1: another organisation sees none of them.
    const theirs = ok(await list(other.resellerUsers.ga, {}, other.password), "other").delegatedAdminRelationships;
    expect(theirs.edges.some((e) => all.edges.some((mine) => mine.node.id === e.node.id))).toBe(false);

    // C4 or C1 only: a user management admin has neither.
    expectCode(await list(ch.resellerUsers.uma), "FORBIDDEN");
  });

  it("when a customer is read with its delegatedAdminRelationships, then they are the caller's organisation's only, and a list of customers reads them in one extra statement whatever its size", async () => {
    const QUERY = `query ($id: ID!) { customer(id: $id) { id delegatedAdminRelationships { id status roles durationDays autoExtend activatedAt endsAt } } }`;
    const customer = ch.sharedCustomers[0];
    const resellerView = ok(await app.gql<{ customer: { delegatedAdminRelationships: Relationship[] } }>(QUERY, { variables: { id: customer.id }, token: await tokenOf(ch.resellerUsers.sa) }), "reseller");
    const resellerIds = ok(await list(ch.resellerUsers.ga, { where: { customerId: customer.id } }), "list").delegatedAdminRelationships.edges.map((e) => e.node.id);
    expect(resellerView.customer.delegatedAdminRelationships.map((r) => r.id)).toEqual(resellerIds);
    const providerView = ok(await app.gql<{ customer: { delegatedAdminRelationships: Relationship[] } }>(QUERY, { variables: { id: customer.id }, token: await tokenOf(ch.providerUsers.ga) }), "provider");
    expect(providerView.customer.delegatedAdminRelationships.some((r) => resellerIds.includes(r.id))).toBe(false);

    const LIST = `query ($first: Int) { customers(first: $first) { edges { node { id delegatedAdminRelationships { id status } } } } }`;
    const token = await tokenOf(ch.resellerUsers.ga);
    await app.gql(LIST, { variables: { first: 1 }, token });
    const one = await app.gql(LIST, { variables: { first: 1 }, token });
    const three = await app.gql<{ customers: { edges: { node: { delegatedAdminRelationships: unknown[] } }[] } }>(LIST, { variables: { first: 3 }, token });
    expect(three.errors).toBeUndefined();
    expect(three.data!.customers.edges).toHaveLength(3);
    expect(three.queryCount).toBe(one.queryCount);
  });

  it("T-2: when the reseller relationship with a customer is gone, then its relationships still list (TERMINATED by D-20) with customer null, a customerId filter naming it lists nothing (T-4), and the customer's own field is out of reach", async () => {
    const customer = ch.sharedCustomers[2];
    const before = ok(await list(ch.resellerUsers.ga, { where: { customerId: customer.id } }), "before").delegatedAdminRelationships;
    expect(before.totalCount).toBeGreaterThanOrEqual(1);
    // What D-20 (endCustomerRelationship, another slice) leaves: the edge gone, the relationships TERMINATED.
    await app.cypher(
      `MATCH (r:Partner {id: $r})-[e:RESELLER_OF_RECORD]->(c:Customer {id: $c}) DELETE e
       WITH r, c MATCH (r)-[:HOLDS_DELEGATED_ADMIN]->(g)-[:FOR_CUSTOMER]->(c) SET g.status = 'TERMINATED', g.terminatedAt = datetime()`,
      { r: ch.reseller.id, c: customer.id },
    );
    // Unfiltered, the organisation's own record stays: TERMINATED, customer null.
    const ids = new Set(before.edges.map((e) => e.node.id));
    const all = ok(await list(ch.resellerUsers.ga, { first: 100 }), "after").delegatedAdminRelationships;
    const kept = all.edges.filter((e) => ids.has(e.node.id));
    expect(kept).toHaveLength(ids.size);
    expect(kept.every((e) => e.node.customer === null && e.node.status === "TERMINATED")).toBe(true);
    // Filtered by that customer, which is out of scope now: nothing, as for an id that does not exist (T-4).
    const filtered = ok(await list(ch.resellerUsers.ga, { where: { customerId: customer.id } }), "filtered").delegatedAdminRelationships;
    expect(filtered.totalCount).toBe(0);
    expect(filtered.edges).toEqual([]);
    const read = await app.gql<{ customer: unknown }>(`query ($id: ID!) { customer(id: $id) { id delegatedAdminRelationships { id } } }`, {
      variables: { id: customer.id },
      token: await tokenOf(ch.resellerUsers.ga),
    });
    expect(read.data?.customer ?? null).toBeNull();
    expectDelegatedAdminRequiredOrNotFound(await serviceRequest(ch.resellerUsers.ha, customer.id));
  });
});

function expectDelegatedAdminRequiredOrNotFound(result: GqlResult<unknown>): void {
  // Out of scope reads as missing (T-4), before D-26 is even asked.
  expectCode(result, "NOT_FOUND");
}

describe("one clock for what the lifecycle writes and what it compares (src/shared/clock.ts)", () => {
  it("when the clock has moved 400 days on, then a new request's link expires 14 days after that time (D-17), not after the system's", async () => {
    clock.advance(days(400));
    const asked = ok(await requestAdmin(ch.resellerUsers.ga, ch.sharedCustomers[1].id, { roles: ["DIRECTORY_READER"], durationDays: 10, autoExtend: false }), "request")
      .requestDelegatedAdmin;
    expect(Date.parse(asked.request.expiresAt)).toBeGreaterThan(clock.now() + days(13));
    clock.advance(days(13));
    const approved = ok(await accept(tokenOfLink(asked.link)), "accept within 14 days of the moved clock");
    expect(approved.acceptRelationshipRequest.customer.id).toBe(ch.sharedCustomers[1].id);
    const active = await relationship(ch.resellerUsers.ga, asked.relationship.id);
    expect(active.status).toBe("ACTIVE");
    expect(Date.parse(active.activatedAt!)).toBeGreaterThan(clock.now() - days(1));
  });
});
