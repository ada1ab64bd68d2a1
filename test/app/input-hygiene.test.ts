import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, uniqueTag, type GqlResult, type TestApp } from "../support/app.js";
import { createChannel, deleteEnrolledPartners, latestMail, type Channel } from "../support/fixtures.js";

/**
 * Issue 10, point 8, through the running server: every free-text input of the contract
 * (test/contract/operations.graphql and inputs.graphql) refuses invisible, reordering and
 * line-breaking characters with BAD_USER_INPUT naming the field and the rule `characters`;
 * names are stored in NFC; multi-line fields keep line breaks; and no error message quotes an
 * input back whole. On f3574e0 every hostile name below was stored as sent (a description with a
 * CRLF was refused instead), and a 40,000-character email, MPN ID, country code or id came back
 * whole in the message. The rules themselves: test/shared/input-hygiene.test.ts.
 */

let app: TestApp;
let channel: Channel;
const tag = uniqueTag();
const enrollDomain = `hyg-${tag}.example`;
const customerDomain = `hygcust-${tag}.example`;
const namedCustomerDomain = `hygzoe-${tag}.example`;
let acceptToken: string;

type Caller = "anonymous" | "reseller" | "provider" | "operator";

async function tokenOf(caller: Caller): Promise<string | null> {
  if (caller === "anonymous") return null;
  if (caller === "operator") return app.signInOnce("operator@platform.example");
  return app.signInOnce(caller === "reseller" ? channel.resellerUsers.ga : channel.providerUsers.ga, channel.password);
}

/** A valid enrollment (refused before any write when one field is bad; removed in afterAll otherwise). */
function enrollment(patch: (input: Record<string, any>) => void): Record<string, unknown> {
  const input: Record<string, any> = {
    kind: "RESELLER",
    legalName: `Hygiene Reseller ${tag}`,
    mpnId: `72${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`,
    countryCode: "US",
    tenantDomain: enrollDomain,
    address: { line1: "1 Main Street", city: "Seattle", postalCode: "98101", countryCode: "US" },
    primaryContact: { name: "Pat Contact", email: `pat@${enrollDomain}`, phone: "+1 206 555 0100" },
    supportContact: { email: `support@${enrollDomain}`, phone: null, website: `https://support.${enrollDomain}/help` },
    globalAdmin: { displayName: "Gale Admin", email: `ga@${enrollDomain}`, password: "Hygiene-Passw0rd-Test" },
  };
  patch(input);
  return { input };
}

interface Input {
  /** The input's path, as extensions.field names it. */
  field: string;
  operation: string;
  caller: Caller;
  /** The operation's variables with `value` in the field. */
  variables: (value: string) => Record<string, unknown>;
}

let users = 0;
/** Every free-text input of the contract's operations. */
const FREE_TEXT: Input[] = [
  { field: "input.legalName", operation: "EnrollPartner", caller: "anonymous", variables: (v) => enrollment((i) => (i.legalName = v)) },
  { field: "input.address.line1", operation: "EnrollPartner", caller: "anonymous", variables: (v) => enrollment((i) => (i.address.line1 = v)) },
  { field: "input.address.city", operation: "EnrollPartner", caller: "anonymous", variables: (v) => enrollment((i) => (i.address.city = v)) },
  { field: "input.address.postalCode", operation: "EnrollPartner", caller: "anonymous", variables: (v) => enrollment((i) => (i.address.postalCode = v)) },
  { field: "input.primaryContact.name", operation: "EnrollPartner", caller: "anonymous", variables: (v) => enrollment((i) => (i.primaryContact.name = v)) },
  { field: "input.primaryContact.phone", operation: "EnrollPartner", caller: "anonymous", variables: (v) => enrollment((i) => (i.primaryContact.phone = v)) },
  { field: "input.supportContact.phone", operation: "EnrollPartner", caller: "anonymous", variables: (v) => enrollment((i) => (i.supportContact.phone = v)) },
  { field: "input.supportContact.website", operation: "EnrollPartner", caller: "anonymous", variables: (v) => enrollment((i) => (i.supportContact.website = v)) },
  { field: "input.globalAdmin.displayName", operation: "EnrollPartner", caller: "anonymous", variables: (v) => enrollment((i) => (i.globalAdmin.displayName = v)) },
  {
    field: "input.displayName",
    operation: "AddUser",
    caller: "reseller",
    variables: (v) => ({ input: { displayName: v, email: `hyg${++users}@${channel.reseller.domain}`, agentRole: "NONE", adminRole: "NONE" } }),
  },
  { field: "input.supportContact.phone", operation: "UpdateSupportContact", caller: "reseller", variables: (v) => ({ input: { email: `support@${channel.reseller.domain}`, phone: v } }) },
  { field: "input.supportContact.website", operation: "UpdateSupportContact", caller: "reseller", variables: (v) => ({ input: { email: `support@${channel.reseller.domain}`, website: v } }) },
  { field: "input.resellerMpnId", operation: "InviteReseller", caller: "provider", variables: (v) => ({ input: { resellerMpnId: v, email: `owner@${channel.reseller.domain}` } }) },
  { field: "customer.companyName", operation: "AcceptRelationshipRequest", caller: "anonymous", variables: (v) => ({ token: acceptToken, customer: { companyName: v, domain: customerDomain, countryCode: "US" } }) },
  { field: "input.title", operation: "CreateServiceRequest", caller: "reseller", variables: (v) => ({ input: { title: v, description: "Details.", severity: "NORMAL" } }) },
  { field: "input.description", operation: "CreateServiceRequest", caller: "reseller", variables: (v) => ({ input: { title: "A ticket", description: v, severity: "NORMAL" } }) },
  { field: "input.companyName", operation: "CreateLead", caller: "reseller", variables: (v) => ({ input: { companyName: v, contactEmail: "buyer@prospect.example", source: "OWN_MARKETING" } }) },
  { field: "reason", operation: "ReviewEnrollment", caller: "operator", variables: (v) => ({ partnerId: "ptn_aaaaaaaaaaaaaaaaaaaaaaaaaa", decision: "REJECT", reason: v }) },
  { field: "where.search", operation: "Customers", caller: "reseller", variables: (v) => ({ first: 1, where: { search: v } }) },
  { field: "search", operation: "ProviderDirectory", caller: "reseller", variables: (v) => ({ first: 1, search: v }) },
];

/** One of each kind of character that must not get into a name (the full list: test/shared/input-hygiene.test.ts). */
const HOSTILE: [string, string][] = [
  ["U+202E RIGHT-TO-LEFT OVERRIDE", "Con\u202Etoso"],
  ["U+2066 LEFT-TO-RIGHT ISOLATE", "Con\u2066toso"],
  ["U+200B ZERO WIDTH SPACE", "Con\u200Btoso"],
  ["U+200D ZWJ between Latin letters", "Con\u200Dtoso"],
  ["U+2060 WORD JOINER", "Con\u2060toso"],
  ["U+FEFF BOM at the start", "\uFEFFContoso"],
  ["U+00AD SOFT HYPHEN", "Con\u00ADtoso"],
  ["U+2028 LINE SEPARATOR", "Con\u2028toso"],
  ["U+0085 NEXT LINE", "Con\u0085toso"],
  ["U+3164 HANGUL FILLER", "Con\u3164toso"],
];

beforeAll(async () => {
  app = await startTestApp();
  channel = await createChannel(app, tag);
  // A customer link for a domain new to the graph: acceptance checks customer.companyName inside
  // its transaction, and a refusal rolls back, so the same link serves every case.
  const request = await app.op("RequestResellerRelationship", { customerEmail: `admin@${customerDomain}` }, await tokenOf("reseller"));
  expect(request.errors).toBeUndefined();
  acceptToken = latestMail(app.mailDir, `admin@${customerDomain}`)!.token!;
});

afterAll(async () => {
  if (!app) return;
  await deleteEnrolledPartners(app, { tenantDomain: enrollDomain });
  await app.cypher("MATCH (c:Customer) WHERE c.domain IN $domains DETACH DELETE c", { domains: [customerDomain, namedCustomerDomain] });
  if (channel) {
    await app.cypher("MATCH (u:User) WHERE u.email ENDS WITH $suffix AND u.fixture IS NULL DETACH DELETE u", { suffix: `@${channel.reseller.domain}` });
    await channel.remove();
  }
  await app.close();
});

function firstError(result: GqlResult) {
  expect(result.errors, JSON.stringify(result.data)).toBeDefined();
  return result.errors![0];
}

describe("free text refuses invisible and reordering characters (issue 10, point 8)", () => {
  it.each(FREE_TEXT)(
    "when $operation gets them in $field, then each is BAD_USER_INPUT naming $field with rule `characters`",
    async (input) => {
      const token = await tokenOf(input.caller);
      const wrong: string[] = [];
      for (const [what, value] of HOSTILE) {
        const result = await app.op(input.operation, input.variables(value), token);
        const error = result.errors?.[0];
        const ok = error?.extensions?.code === "BAD_USER_INPUT" && error.extensions.field === input.field && error.extensions.rule === "characters";
        if (!ok) wrong.push(`${what}: ${error ? `${error.extensions?.code} ${String(error.extensions?.field)} ${String(error.extensions?.rule)}` : "accepted"}`);
      }
      expect(wrong).toEqual([]);
    },
  );

  it("when the refusal names the character, then the message says which and where, and quotes nothing invisible", async () => {
    const result = await app.op("CreateLead", { input: { companyName: "Invoice\u202Efdp.exe", contactEmail: "a@b.example", source: "OWN_MARKETING" } }, await tokenOf("reseller"));
    expect(firstError(result).message).toBe(
      "input.companyName: must not contain a bidirectional-text control (U+202E, character 8): only visible characters on one line are accepted.",
    );
  });

  it("when an email holds a zero-width space, then it is BAD_USER_INPUT naming the email field", async () => {
    const result = await app.op("CreateLead", { input: { companyName: "Fine Name", contactEmail: "buyer\u200B@prospect.example", source: "OWN_MARKETING" } }, await tokenOf("reseller"));
    expect(firstError(result).extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.contactEmail" });
  });
});

describe("names that must stay valid, stored in NFC", () => {
  it("when a lead's name is typed decomposed (e + U+0308), then it is stored and answered composed (NFC)", async () => {
    const result = await app.op<{ createLead: { companyName: string } }>(
      "CreateLead",
      { input: { companyName: `Zoe\u0308 Mu\u0308ller 株式会社 ${tag}`, contactEmail: "buyer@zoe.example", source: "OWN_MARKETING" } },
      await tokenOf("reseller"),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.createLead.companyName).toBe(`Zoë Müller 株式会社 ${tag}`);
  });

  it.each([
    ["Chinese", "作为云解决方案提供商计划中的间接经销商"],
    ["Persian with ZWNJ", "می\u200Cخواهم"],
    ["an emoji ZWJ sequence", "👩🏽\u200D💻 Dev"],
    ["German and Japanese", "Müller 株式会社"],
  ])("when a user's display name is %s, then it is accepted unchanged", async (_what, displayName) => {
    const result = await app.op<{ addUser: { user: { displayName: string } } }>(
      "AddUser",
      { input: { displayName, email: `hyg${++users}@${channel.reseller.domain}`, agentRole: "NONE", adminRole: "NONE" } },
      await tokenOf("reseller"),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.addUser.user.displayName).toBe(displayName);
  });

  it("when a customer is named in NFC and searched for decomposed and in capitals, then the search finds it", async () => {
    const request = await app.op("RequestResellerRelationship", { customerEmail: `admin@${namedCustomerDomain}` }, await tokenOf("reseller"));
    expect(request.errors).toBeUndefined();
    const token = latestMail(app.mailDir, `admin@${namedCustomerDomain}`)!.token!;
    const accepted = await app.op("AcceptRelationshipRequest", { token, customer: { companyName: `Zoë Hygiene ${tag}`, domain: namedCustomerDomain, countryCode: "US" } });
    expect(accepted.errors).toBeUndefined();
    const found = await app.op<{ customers: { totalCount: number; edges: { node: { companyName: string } }[] } }>(
      "Customers",
      { first: 5, where: { search: `ZOE\u0308 HYGIENE ${tag.toUpperCase()}` } },
      await tokenOf("reseller"),
    );
    expect(found.errors).toBeUndefined();
    expect(found.data!.customers.edges.map((e) => e.node.companyName)).toEqual([`Zoë Hygiene ${tag}`]);
  });

  it("when a service request's description spans lines (CRLF), then it is accepted and stored with LF", async () => {
    const result = await app.op<{ createServiceRequest: { id: string } }>(
      "CreateServiceRequest",
      { input: { title: `Multi-line ${tag}`, description: "Steps:\r\n1. Sign in\r\n2. Open the portal", severity: "NORMAL" } },
      await tokenOf("reseller"),
    );
    expect(result.errors).toBeUndefined();
    const [row] = await app.cypher<{ description: string }>("MATCH (s:ServiceRequest {id: $id}) RETURN s.description AS description", {
      id: result.data!.createServiceRequest.id,
    });
    expect(row.description).toBe("Steps:\n1. Sign in\n2. Open the portal");
  });
});

describe("error messages quote at most 40 characters of an input", () => {
  const HUGE = 40_000;
  const huge = (c: string) => c.repeat(HUGE);
  const cases: [string, Caller, string, () => Record<string, unknown>, string][] = [
    ["AddUser input.email", "reseller", "AddUser", () => ({ input: { displayName: "X", email: huge("x"), agentRole: "NONE", adminRole: "NONE" } }), "BAD_USER_INPUT"],
    ["EnrollPartner input.mpnId", "anonymous", "EnrollPartner", () => enrollment((i) => (i.mpnId = huge("9"))), "BAD_USER_INPUT"],
    ["EnrollPartner input.countryCode", "anonymous", "EnrollPartner", () => enrollment((i) => (i.countryCode = huge("X"))), "BAD_USER_INPUT"],
    ["EnrollPartner input.tenantDomain", "anonymous", "EnrollPartner", () => enrollment((i) => (i.tenantDomain = huge("d"))), "BAD_USER_INPUT"],
    ["ProviderDirectory countryCode", "reseller", "ProviderDirectory", () => ({ countryCode: huge("X") }), "BAD_USER_INPUT"],
    ["Customers where.countryCode", "reseller", "Customers", () => ({ where: { countryCode: huge("X") } }), "BAD_USER_INPUT"],
    // A website may be 2,000 characters (longer is refused by length, quoting nothing): 1,914 here.
    ["UpdateSupportContact website", "reseller", "UpdateSupportContact", () => ({ input: { email: `support@${channel.reseller.domain}`, website: `ftp://${"w".repeat(1_900)}.example` } }), "BAD_USER_INPUT"],
    ["CreateLead input.contactEmail", "reseller", "CreateLead", () => ({ input: { companyName: "X", contactEmail: huge("x"), source: "OWN_MARKETING" } }), "BAD_USER_INPUT"],
    ["RequestResellerRelationship customerEmail", "reseller", "RequestResellerRelationship", () => ({ customerEmail: huge("x") }), "BAD_USER_INPUT"],
    ["SubmitOrder input.resellerId", "provider", "SubmitOrder", () => ({ input: { customerId: "cus_x", resellerId: huge("r"), lineItems: [{ offerId: "off_x", quantity: 1 }] } }), "NOT_FOUND"],
    ["CreateServiceRequest input.customerId", "reseller", "CreateServiceRequest", () => ({ input: { customerId: huge("c"), title: "T", description: "D", severity: "NORMAL" } }), "NOT_FOUND"],
    ["UpdateUserRoles userId", "reseller", "UpdateUserRoles", () => ({ userId: huge("u"), agentRole: "NONE", adminRole: "NONE" }), "NOT_FOUND"],
    ["RevokeRelationshipRequest id", "reseller", "RevokeRelationshipRequest", () => ({ id: huge("q") }), "NOT_FOUND"],
    ["InviteCustomerWithProvider providerId", "reseller", "InviteCustomerWithProvider", () => ({ providerId: huge("p"), customerEmail: `admin@${customerDomain}` }), "NOT_FOUND"],
    ["ReviewEnrollment partnerId", "operator", "ReviewEnrollment", () => ({ partnerId: huge("p"), decision: "APPROVE" }), "NOT_FOUND"],
  ];

  // Messages graphql-js and Apollo write themselves, cut in formatError (cutQuotedValues).
  const graphqlCases: [string, string, Record<string, unknown>, string | undefined, string, number][] = [
    ["a variable of the wrong type (Int)", "query ($first: Int) { users(first: $first) { totalCount } }", { first: huge("x") }, undefined, "BAD_USER_INPUT", HUGE],
    ["an unknown enum value in a variable", "query ($s: RelationshipRequestStatus) { relationshipRequests(status: $s) { totalCount } }", { s: huge("x") }, undefined, "BAD_USER_INPUT", HUGE],
    // A literal stays under the query-text limit (32 KB).
    ["a literal of the wrong type", `{ users(first: "${"x".repeat(20_000)}") { totalCount } }`, {}, undefined, "GRAPHQL_VALIDATION_FAILED", 20_000],
    ["an unknown operation name", "query A { me { user { id } } }", {}, huge("x"), "", HUGE],
  ];

  it.each(graphqlCases)("when GraphQL itself refuses %s, then its message quotes 40 characters of the value", async (_what, query, variables, operationName, code, length) => {
    const result = await app.gql(query, { variables, operationName, token: await tokenOf("reseller") });
    const error = firstError(result);
    if (code) expect(error.extensions?.code, error.message.slice(0, 200)).toBe(code);
    expect(error.message.length, error.message.slice(0, 200)).toBeLessThan(400);
    expect(error.message).not.toMatch(/(.)\1{40}/);
    expect(error.message).toContain(`"… (${length.toLocaleString("en-US")} characters)`);
  });

  it.each(cases)("when %s is huge, then the answer quotes 40 characters of it and says how long it was", async (_what, caller, operation, variables, code) => {
    const result = await app.op(operation, variables(), await tokenOf(caller));
    const error = firstError(result);
    expect(error.extensions?.code, error.message.slice(0, 200)).toBe(code);
    expect(error.message.length, error.message.slice(0, 200)).toBeLessThan(400);
    expect(error.message).not.toMatch(/(.)\1{40}/);
    expect(error.message).toMatch(/"… \((40,000|1,914) characters\)/);
  });
});
