import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../src/shared/ids.js";
import { startTestApp, uniqueTag, tokenGetter, type TestApp } from "../support/app.js";
import { expectCode } from "../support/expect.js";
import { createChannel, type Channel } from "../support/fixtures.js";

interface ServiceRequestData {
  createServiceRequest: { id: string; title: string; severity: string; status: string };
}
interface ServiceHealthData {
  customer: { id: string; serviceHealth: { service: string; status: string }[] } | null;
}
interface SetStatusData {
  setServiceStatus: { service: string; productFamily: string; status: string; updatedAt: string };
}

const SET_STATUS = `mutation ($service: String!, $status: ServiceHealthState!) {
  setServiceStatus(service: $service, status: $status) { service productFamily status updatedAt }
}`;
// No demo customer subscribes to Dynamics 365 (DEMO.md), so changing its status here cannot
// disturb another file's service-health expectations while both run.
const DYNAMICS_SERVICE = "Dynamics 365 Sales";

let app: TestApp;
let channel: Channel;
let other: Channel;
/** The provider's subscriptions on the first shared customer, by product family. */
const subs: Record<string, string> = {};
/** A subscription of the second shared customer (visible, but not the first customer's). */
let secondCustomerSub: string;

const tokenOf = tokenGetter(() => app, () => channel.password);

beforeAll(async () => {
  app = await startTestApp();
  const tag = uniqueTag();
  channel = await createChannel(app, tag);
  other = await createChannel(app, `${tag}x`);
  const offers = new Map(
    (await app.cypher<{ name: string; id: string }>("MATCH (o:Offer) RETURN o.name AS name, o.id AS id")).map((o) => [o.name, o.id]),
  );
  const token = await tokenOf(channel.providerUsers.ga);
  const placed = await app.op<{ submitOrder: { subscriptions: { id: string; productFamily: string }[] } }>(
    "SubmitOrder",
    {
      input: {
        customerId: channel.sharedCustomers[0].id,
        resellerId: channel.reseller.id,
        lineItems: [
          { offerId: offers.get("Microsoft 365 E3"), quantity: 5 },
          { offerId: offers.get("Azure plan"), quantity: 1 },
          { offerId: offers.get("Dynamics 365 Sales Enterprise"), quantity: 2 },
        ],
      },
    },
    token,
  );
  if (!placed.data) throw new Error(JSON.stringify(placed.errors));
  for (const s of placed.data.submitOrder.subscriptions) subs[s.productFamily] = s.id;
  const second = await app.op<{ submitOrder: { subscriptions: { id: string }[] } }>(
    "SubmitOrder",
    {
      input: {
        customerId: channel.sharedCustomers[1].id,
        resellerId: channel.reseller.id,
        lineItems: [{ offerId: offers.get("Azure plan"), quantity: 1 }],
      },
    },
    token,
  );
  secondCustomerSub = second.data!.submitOrder.subscriptions[0].id;
  // D-26: on-behalf requests need an ACTIVE delegated admin relationship with a support role. The
  // fixture's reseller has the default one with each of its customers (as an accepted invitation
  // gives it); a provider gets none from its acceptances (D-25), so the provider asks the first
  // shared customer for the default set and the customer approves, as in Partner Center.
  await grantDelegatedAdmin(token, channel.sharedCustomers[0].id, null);
});

/** C4 + the customer's approval through the link (D-25): the caller's organisation's relationship becomes ACTIVE. */
async function grantDelegatedAdmin(token: string, customerId: string, input: { roles: string[]; durationDays: number } | null): Promise<void> {
  const asked = await app.lifecycle<{ requestDelegatedAdmin: { link: string } }>("RequestGranularDelegatedAdmin", { customerId, input }, token);
  if (!asked.data) throw new Error(JSON.stringify(asked.errors));
  const accepted = await app.op("AcceptRelationshipRequest", { token: new URL(asked.data.requestDelegatedAdmin.link).searchParams.get("token") });
  if (accepted.errors) throw new Error(JSON.stringify(accepted.errors));
}
afterAll(async () => {
  // Whatever happened, the shared service status is HEALTHY again.
  await app?.cypher("MATCH (s:ServiceStatus {service: $service}) SET s.status = 'HEALTHY'", { service: DYNAMICS_SERVICE });
  await channel?.remove();
  await other?.remove();
  await app?.close();
});

async function request(
  email: string,
  input: { customerId?: string | null; subscriptionId?: string | null; title?: string; description?: string; severity?: string },
  password?: string,
) {
  return app.op<ServiceRequestData>(
    "CreateServiceRequest",
    { input: { title: "Mailbox sync fails", description: "Since this morning.", severity: "HIGH", ...input } },
    await tokenOf(email, password),
  );
}

async function storedRequest(id: string) {
  const [row] = await app.cypher<{ openedBy: string[]; customers: string[]; about: string[]; sr: Record<string, unknown> }>(
    `MATCH (sr:ServiceRequest {id: $id})
     RETURN [(p)-[:OPENED]->(sr) | p.id] AS openedBy, [(sr)-[:FOR_CUSTOMER]->(c) | c.id] AS customers,
       [(sr)-[:ABOUT]->(s) | s.id] AS about, properties(sr) AS sr`,
    { id },
  );
  return row;
}

describe("createServiceRequest: C7, a ticket of the partner itself", () => {
  it("C7: when a global admin opens a ticket without a customer, then it is OPEN and opened by the organisation, for no customer", async () => {
    const result = await request(channel.resellerUsers.ga, { severity: "CRITICAL" });
    expect(result.errors).toBeUndefined();
    const created = result.data!.createServiceRequest;
    expect(created).toMatchObject({ title: "Mailbox sync fails", severity: "CRITICAL", status: "OPEN" });
    const stored = await storedRequest(created.id);
    expect(stored.openedBy).toEqual([channel.reseller.id]);
    expect(stored.customers).toEqual([]);
    expect(stored.about).toEqual([]);
    expect(stored.sr.description).toBe("Since this morning.");
  });

  it.each(["aa", "ha", "sa"])("C7: when an agent (%s) opens a ticket without a customer, then FORBIDDEN naming C7 (seed: admin agents can't)", async (role) => {
    const result = await request(channel.resellerUsers[role], {});
    expect(expectCode(result, "FORBIDDEN").extensions?.capability).toBe("C7");
  });

  it("when a subscription is given without a customer, then BAD_USER_INPUT naming input.subscriptionId", async () => {
    const result = await request(channel.providerUsers.ga, { subscriptionId: subs.AZURE });
    const error = expectCode(result, "BAD_USER_INPUT");
    expect(error.extensions?.field).toBe("input.subscriptionId");
  });
});

describe("createServiceRequest: C3, on behalf of a customer", () => {
  it("C3: when an admin agent opens a request for a customer about its Office 365 subscription, then it is stored for the customer and the subscription", async () => {
    const result = await request(channel.providerUsers.aa, { customerId: channel.sharedCustomers[0].id, subscriptionId: subs.OFFICE_365 });
    expect(result.errors).toBeUndefined();
    const stored = await storedRequest(result.data!.createServiceRequest.id);
    expect(stored).toMatchObject({ openedBy: [channel.provider.id], customers: [channel.sharedCustomers[0].id], about: [subs.OFFICE_365] });
    expect(stored.sr.status).toBe("OPEN");
  });

  it("C3: when a helpdesk agent opens a request about an Office 365 subscription, then FORBIDDEN saying an admin agent is needed, and nothing is stored", async () => {
    const before = await app.cypher<{ n: unknown }>("MATCH (:Partner {id: $id})-[:OPENED]->(sr) RETURN count(sr) AS n", { id: channel.reseller.id });
    const result = await request(channel.resellerUsers.ha, { customerId: channel.sharedCustomers[0].id, subscriptionId: subs.OFFICE_365 });
    const error = expectCode(result, "FORBIDDEN");
    expect(error.message).toContain("admin agent");
    expect(error.extensions?.capability).toBe("C3");
    const after = await app.cypher<{ n: unknown }>("MATCH (:Partner {id: $id})-[:OPENED]->(sr) RETURN count(sr) AS n", { id: channel.reseller.id });
    expect(Number(after[0].n)).toBe(Number(before[0].n));
  });

  it("C3: when a helpdesk agent opens a request about an Azure subscription, or about the customer alone, then it is allowed", async () => {
    const about = await request(channel.resellerUsers.ha, { customerId: channel.sharedCustomers[0].id, subscriptionId: subs.AZURE });
    expect(about.errors).toBeUndefined();
    const plain = await request(channel.resellerUsers.ha, { customerId: channel.sharedCustomers[0].id });
    expect(plain.errors).toBeUndefined();
  });

  it.each(["sa", "uma", "none"])("C3: when a user without C3 (%s) opens a request on behalf, then FORBIDDEN naming C3", async (role) => {
    const result = await request(channel.providerUsers[role], { customerId: channel.sharedCustomers[0].id });
    expect(expectCode(result, "FORBIDDEN").extensions?.capability).toBe("C3");
  });

  it("T-2: when the provider opens a request for a customer only its reseller is of record for, then NOT_FOUND", async () => {
    const result = await request(channel.providerUsers.aa, { customerId: channel.resellerOnlyCustomer.id });
    expect(expectCode(result, "NOT_FOUND").message).toContain(channel.resellerOnlyCustomer.id);
  });

  it("T-4: when another organisation opens a request for our customer, then NOT_FOUND", async () => {
    const result = await request(other.providerUsers.ga, { customerId: channel.sharedCustomers[0].id }, other.password);
    expectCode(result, "NOT_FOUND");
  });

  it("when the subscription belongs to another customer, or does not exist, then NOT_FOUND naming it", async () => {
    const wrong = await request(channel.providerUsers.aa, { customerId: channel.sharedCustomers[0].id, subscriptionId: secondCustomerSub });
    expect(expectCode(wrong, "NOT_FOUND").message).toContain(secondCustomerSub);
    const missing = newId("Subscription");
    const none = await request(channel.providerUsers.aa, { customerId: channel.sharedCustomers[0].id, subscriptionId: missing });
    expect(expectCode(none, "NOT_FOUND").message).toContain(missing);
  });

  it("T-4: when the other channel's helpdesk agent asks about our Office 365 subscription for its own customer, then NOT_FOUND, not FORBIDDEN", async () => {
    const result = await request(
      other.resellerUsers.ha,
      { customerId: other.sharedCustomers[0].id, subscriptionId: subs.OFFICE_365 },
      other.password,
    );
    expectCode(result, "NOT_FOUND");
  });

  it("D-26: when the provider has no delegated admin relationship with the customer, then FORBIDDEN with reason DELEGATED_ADMIN_REQUIRED naming D-26, and nothing is stored", async () => {
    const count = async () =>
      Number((await app.cypher<{ n: unknown }>("MATCH (:Partner {id: $id})-[:OPENED]->(sr) RETURN count(sr) AS n", { id: channel.provider.id }))[0].n);
    const before = await count();
    const result = await request(channel.providerUsers.aa, { customerId: channel.sharedCustomers[1].id, subscriptionId: secondCustomerSub });
    const error = expectCode(result, "FORBIDDEN", "D-26");
    expect(error.extensions).toMatchObject({ reason: "DELEGATED_ADMIN_REQUIRED", capability: "C3" });
    expect(await count()).toBe(before);
  });

  it("D-26: when the provider's only relationship has no support role, then it is still refused; one with HELPDESK_ADMINISTRATOR allows it", async () => {
    const token = await tokenOf(channel.providerUsers.ga);
    await grantDelegatedAdmin(token, channel.sharedCustomers[1].id, { roles: ["USER_ADMINISTRATOR", "LICENSE_ADMINISTRATOR"], durationDays: 30 });
    expect(expectCode(await request(channel.providerUsers.aa, { customerId: channel.sharedCustomers[1].id }), "FORBIDDEN").extensions?.reason).toBe(
      "DELEGATED_ADMIN_REQUIRED",
    );
    await grantDelegatedAdmin(token, channel.sharedCustomers[1].id, { roles: ["HELPDESK_ADMINISTRATOR"], durationDays: 30 });
    expect((await request(channel.providerUsers.aa, { customerId: channel.sharedCustomers[1].id })).errors).toBeUndefined();
  });

  it.each([
    ["title", { title: "   " }, "input.title"],
    ["title", { title: "x".repeat(201) }, "input.title"],
    ["description", { description: "" }, "input.description"],
    ["description", { description: "x".repeat(5001) }, "input.description"],
  ])("when the %s is empty or too long, then BAD_USER_INPUT naming it", async (_what, input, field) => {
    const result = await request(channel.providerUsers.aa, { customerId: channel.sharedCustomers[0].id, ...input });
    expect(expectCode(result, "BAD_USER_INPUT").extensions?.field).toBe(field);
  });

  it("when a description has 5,000 characters (the maximum), then it is accepted", async () => {
    const result = await request(channel.providerUsers.aa, { customerId: channel.sharedCustomers[0].id, description: "y".repeat(5000) });
    expect(result.errors).toBeUndefined();
  });
});

describe("service health (C2) and setServiceStatus (operator)", () => {
  it("C2: when the operator sets a service to INCIDENT, then a customer's serviceHealth shows it, and HEALTHY again after the restore", async () => {
    const operator = await app.signIn("operator@platform.example");
    const set = await app.gql<SetStatusData>(SET_STATUS, { variables: { service: DYNAMICS_SERVICE, status: "INCIDENT" }, token: operator });
    try {
      expect(set.errors).toBeUndefined();
      expect(set.data!.setServiceStatus).toMatchObject({ service: DYNAMICS_SERVICE, productFamily: "DYNAMICS_365", status: "INCIDENT" });
      const health = await app.op<ServiceHealthData>("ServiceHealth", { customerId: channel.sharedCustomers[0].id }, await tokenOf(channel.providerUsers.ha));
      expect(health.errors).toBeUndefined();
      const statuses = Object.fromEntries(health.data!.customer!.serviceHealth.map((s) => [s.service, s.status]));
      expect(statuses[DYNAMICS_SERVICE]).toBe("INCIDENT");
      expect(statuses["Exchange Online"]).toBe("HEALTHY");
    } finally {
      const restore = await app.gql<SetStatusData>(SET_STATUS, { variables: { service: DYNAMICS_SERVICE, status: "HEALTHY" }, token: operator });
      expect(restore.data?.setServiceStatus.status).toBe("HEALTHY");
    }
    const again = await app.op<ServiceHealthData>("ServiceHealth", { customerId: channel.sharedCustomers[0].id }, await tokenOf(channel.resellerUsers.ga));
    expect(again.data!.customer!.serviceHealth.every((s) => s.status === "HEALTHY")).toBe(true);
  });

  it("when the operator names a service that does not exist, then NOT_FOUND", async () => {
    const operator = await app.signIn("operator@platform.example");
    const result = await app.gql(SET_STATUS, { variables: { service: "Windows 95 Online", status: "ADVISORY" }, token: operator });
    expectCode(result, "NOT_FOUND");
  });

  it("when a partner's global admin sets a service status, then FORBIDDEN (operator only)", async () => {
    const result = await app.gql(SET_STATUS, { variables: { service: DYNAMICS_SERVICE, status: "INCIDENT" }, token: await tokenOf(channel.providerUsers.ga) });
    expectCode(result, "FORBIDDEN");
    const [row] = await app.cypher<{ status: string }>("MATCH (s:ServiceStatus {service: $service}) RETURN s.status AS status", { service: DYNAMICS_SERVICE });
    expect(row.status).toBe("HEALTHY");
  });
});
