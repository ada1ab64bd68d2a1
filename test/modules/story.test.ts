import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, uniqueTag, type GqlResult, type TestApp } from "../support/app.js";
import { createChannel, latestMail, type Channel } from "../support/fixtures.js";

/**
 * The end-to-end story of issue #4, through the contract's operations only, reading every link
 * from the mail the server wrote: a new reseller enrolls, verifies its address, is approved,
 * signs in, changes its password, adds a helpdesk agent, is invited by a provider and authorizes
 * it, invites a customer together with the provider, the customer accepts, the provider orders
 * for it, and both organisations' shared-customers lists show the customer.
 */

let app: TestApp;
let provider: Channel;
const tag = uniqueTag();
const domain = `story-${tag}.example`;
const customerDomain = `story-customer-${tag}.example`;
const mpnId = String(7_000_000 + Math.floor(Math.random() * 2_000_000));

function ok<T>(result: GqlResult<T>, step: string): T {
  expect(result.errors, `${step}: ${JSON.stringify(result.errors)}`).toBeUndefined();
  return result.data!;
}

function tokenFromMail(to: string): string {
  const mail = latestMail(app.mailDir, to);
  expect(mail?.token, `a mail with a link to ${to}`).toBeTruthy();
  return mail!.token!;
}

beforeAll(async () => {
  app = await startTestApp({ PUBLIC_URL: "https://story.test.example" });
  provider = await createChannel(app, tag, { customers: 1 });
});

afterAll(async () => {
  await app?.cypher(
    `MATCH (n) WHERE (n:Partner AND n.mpnId = $mpnId) OR (n:Customer AND n.domain = $customerDomain) OR (n:User AND n.email ENDS WITH $at)
     OPTIONAL MATCH (n)-[*1..2]-(m) WHERE m:Subscription OR m:Order OR m:RelationshipRequest OR m:AuditEvent OR m:ServiceRequest
     DETACH DELETE m, n`,
    { mpnId, customerDomain, at: `@${domain}` },
  );
  await provider?.remove();
  await app?.close();
});

describe("the channel story, end to end (issue #4)", () => {
  it("when a new reseller joins and sells with a provider, then the customer is on both organisations' shared lists", async () => {
    // 1. Enrollment (D-1..D-5).
    const enrolled = ok(
      await app.op<{ enrollPartner: { partner: { id: string; enrollmentStatus: string }; globalAdmin: { email: string; adminRole: string; agentRole: string } } }>(
        "EnrollPartner",
        {
          input: {
            kind: "RESELLER",
            legalName: `Story Reseller ${tag}`,
            mpnId,
            countryCode: "US",
            tenantDomain: domain,
            address: { line1: "1 Story Street", city: "Boston", postalCode: "02108", countryCode: "US" },
            primaryContact: { name: "Pat Primary", email: `pat@${domain}` },
            supportContact: { email: `help@${domain}` },
            globalAdmin: { displayName: "Gale Admin", email: `gale@${domain}`, password: "First-Passw0rd-Story" },
          },
        },
      ),
      "enrollPartner",
    ).enrollPartner;
    expect(enrolled.partner.enrollmentStatus).toBe("PENDING_EMAIL_VERIFICATION");
    expect(enrolled.globalAdmin).toMatchObject({ adminRole: "GLOBAL_ADMIN", agentRole: "ADMIN_AGENT" });

    const verified = ok(
      await app.op<{ verifyPrimaryContactEmail: { enrollmentStatus: string } }>("VerifyPrimaryContactEmail", { token: tokenFromMail(`pat@${domain}`) }),
      "verify",
    );
    expect(verified.verifyPrimaryContactEmail.enrollmentStatus).toBe("UNDER_REVIEW");

    const operator = await app.signIn("operator@platform.example");
    const approved = ok(
      await app.op<{ reviewEnrollment: { enrollmentStatus: string } }>("ReviewEnrollment", { partnerId: enrolled.partner.id, decision: "APPROVE" }, operator),
      "review",
    );
    expect(approved.reviewEnrollment.enrollmentStatus).toBe("ACTIVE");

    // 2. Sign in, change the password, add a helpdesk agent (D-6, C6).
    const first = await app.signIn(`gale@${domain}`, "First-Passw0rd-Story");
    const changed = ok(
      await app.op<{ changePassword: { token: string } }>("ChangePassword", { currentPassword: "First-Passw0rd-Story", newPassword: "Second-Passw0rd-Story" }, first),
      "changePassword",
    );
    const gale = changed.changePassword.token;
    const added = ok(
      await app.op<{ addUser: { user: { mustChangePassword: boolean }; temporaryPassword: string } }>(
        "AddUser",
        { input: { displayName: "Hal Helpdesk", email: `hal@${domain}`, agentRole: "HELPDESK_AGENT", adminRole: "NONE" } },
        gale,
      ),
      "addUser",
    );
    expect(added.addUser.user.mustChangePassword).toBe(true);
    const hal = await app.signIn(`hal@${domain}`, added.addUser.temporaryPassword);
    expect((await app.op("Customers", { first: 5 }, hal)).errors?.[0]?.extensions?.code).toBe("PASSWORD_CHANGE_REQUIRED");

    // 3. The provider invites the reseller; the reseller's global admin authorizes it (D-9).
    const providerGa = await app.signIn(provider.providerUsers.ga, provider.password);
    ok(await app.op("InviteReseller", { input: { resellerMpnId: mpnId, email: `gale@${domain}` } }, providerGa), "inviteReseller");
    const authorized = ok(
      await app.op<{ authorizeIndirectProvider: { provider: { id: string } } }>("AuthorizeIndirectProvider", { token: tokenFromMail(`gale@${domain}`) }, gale),
      "authorizeIndirectProvider",
    );
    expect(authorized.authorizeIndirectProvider.provider.id).toBe(provider.provider.id);

    // 4. The reseller invites a new customer together with the provider; the customer accepts (D-16, D-18).
    const invited = ok(
      await app.op<{ inviteCustomerWithProvider: { link: string; emailDraft: string } }>(
        "InviteCustomerWithProvider",
        { providerId: provider.provider.id, customerEmail: `it@${customerDomain}` },
        gale,
      ),
      "inviteCustomerWithProvider",
    ).inviteCustomerWithProvider;
    expect(invited.link.startsWith("https://story.test.example/")).toBe(true);
    const accepted = ok(
      await app.op<{ acceptRelationshipRequest: { customer: { id: string; domain: string } } }>("AcceptRelationshipRequest", {
        token: tokenFromMail(`it@${customerDomain}`),
        customer: { companyName: `Story Customer ${tag}`, domain: customerDomain, countryCode: "US" },
      }),
      "acceptRelationshipRequest",
    );
    const customerId = accepted.acceptRelationshipRequest.customer.id;

    // 5. The provider orders for the shared customer, with the reseller on record (D-12, D-19).
    const offers = ok(await app.op<{ offers: { id: string; name: string }[] }>("Offers", {}, providerGa), "offers").offers;
    const e3 = offers.find((o) => o.name === "Microsoft 365 E3")!;
    const order = ok(
      await app.op<{ submitOrder: { order: { status: string }; subscriptions: { offerName: string; quantity: number }[] } }>(
        "SubmitOrder",
        { input: { customerId, resellerId: enrolled.partner.id, lineItems: [{ offerId: e3.id, quantity: 10 }] } },
        providerGa,
      ),
      "submitOrder",
    ).submitOrder;
    expect(order.subscriptions).toEqual([expect.objectContaining({ offerName: "Microsoft 365 E3", quantity: 10 })]);
    const [onRecord] = await app.cypher<{ partnerIdOnRecord: string }>(
      "MATCH (o:Order)-[:FOR_CUSTOMER]->(:Customer {id: $customerId}) RETURN o.partnerIdOnRecord AS partnerIdOnRecord",
      { customerId },
    );
    expect(onRecord.partnerIdOnRecord).toBe(mpnId);

    // 6. Both shared-customers lists show the customer (D-11).
    const resellerView = ok(
      await app.op<{ me: { partner: { indirectProviders: { id: string; sharedCustomers: { edges: { node: { id: string } }[] } }[] } } }>("IndirectProviders", {}, gale),
      "IndirectProviders",
    );
    const viaProvider = resellerView.me.partner.indirectProviders.find((p) => p.id === provider.provider.id)!;
    expect(viaProvider.sharedCustomers.edges.map((e) => e.node.id)).toEqual([customerId]);

    const providerView = ok(
      await app.op<{ me: { partner: { indirectResellers: { edges: { node: { id: string; sharedCustomers: { edges: { node: { id: string } }[] } } }[] } } } }>(
        "IndirectResellers",
        { first: 50 },
        providerGa,
      ),
      "IndirectResellers",
    );
    const story = providerView.me.partner.indirectResellers.edges.find((e) => e.node.id === enrolled.partner.id)!;
    expect(story.node.sharedCustomers.edges.map((e) => e.node.id)).toEqual([customerId]);

    // And the customer, seen by the reseller, is served through the provider, which can order (D-12).
    const seen = ok(
      await app.op<{ customer: { channelPaths: { provider: { id: string }; providerCanOrder: boolean }[]; subscriptions: { quantity: number }[] } }>(
        "Customer",
        { id: customerId },
        gale,
      ),
      "Customer",
    );
    expect(seen.customer.channelPaths).toEqual([expect.objectContaining({ provider: expect.objectContaining({ id: provider.provider.id }), providerCanOrder: true })]);
    expect(seen.customer.subscriptions.map((s) => s.quantity)).toEqual([10]);
  });
});
