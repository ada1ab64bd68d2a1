import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashLinkToken } from "../../src/shared/auth/tokens.js";
import { newId } from "../../src/shared/ids.js";
import { startTestApp, uniqueTag, tokenGetter, type GqlResult, type TestApp } from "../support/app.js";
import { createChannel, latestMail, type Channel, holdersOf } from "../support/fixtures.js";

interface PartnerView {
  id: string;
  name: string;
  kind: string;
  mpnId: string;
  countryCode: string;
  enrollmentStatus: string;
}
interface EnrollData {
  enrollPartner: { partner: PartnerView; globalAdmin: { id: string; email: string; adminRole: string; agentRole: string } };
}
interface StatusData {
  verifyPrimaryContactEmail?: { id: string; enrollmentStatus: string };
  reviewEnrollment?: { id: string; enrollmentStatus: string };
}
interface PendingData {
  pendingEnrollments: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: PartnerView }[];
  };
}
interface MeData {
  me: { user: { id: string; email: string; adminRole: string; agentRole: string; mustChangePassword: boolean }; partner: PartnerView | null };
}
interface SupportContactView {
  email: string;
  phone: string | null;
  website: string | null;
}
interface ProfileData {
  partnerProfile: { legalName: string; mpnId: string; supportContact: SupportContactView } | null;
}

const PUBLIC_URL = "https://csp.test.example";
const OPERATOR = "operator@platform.example";
const GA_PASSWORD = "Enrol-Passw0rd-Test";

let app: TestApp;
const tag = uniqueTag();
/** Everything this file enrolls (or tries to), removed in afterAll by MPN ID and tenant domain. */
const usedMpnIds: string[] = [];
const usedDomains: string[] = [];
let sequence = 0;

const tokenOf = tokenGetter(() => app);

/** 10 digits starting with 71: no demo or other test file uses this block. */
function freshMpnId(): string {
  const id = `71${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
  usedMpnIds.push(id);
  return id;
}

/** A valid enrollment of its own (unique MPN ID, tenant domain and emails); `patch` changes parts of it. */
function enrollmentInput(patch: (input: Record<string, any>) => void = () => {}): Record<string, any> {
  sequence += 1;
  const domain = `enr${sequence}-${tag}.example`;
  usedDomains.push(domain);
  const input: Record<string, any> = {
    kind: "RESELLER",
    legalName: `Enrolled Reseller ${tag} ${sequence}`,
    mpnId: freshMpnId(),
    countryCode: "US",
    tenantDomain: domain,
    address: { line1: "1 Enrollment Way", city: "Seattle", postalCode: "98101", countryCode: "US" },
    primaryContact: { name: `Primary Contact ${sequence}`, email: `contact@${domain}`, phone: "+1 206 555 0100" },
    supportContact: { email: `support@${domain}`, phone: null, website: `https://support.${domain}/help` },
    globalAdmin: { displayName: `Global Admin ${sequence}`, email: `admin@${domain}`, password: GA_PASSWORD },
  };
  patch(input);
  return input;
}

function enroll(input: Record<string, any>): Promise<GqlResult<EnrollData>> {
  return app.op<EnrollData>("EnrollPartner", { input });
}

/** The body of a .eml with quoted-printable undone, for reading its sentences. */
function mailText(raw: string): string {
  return raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function expectError(result: GqlResult<unknown>, code: string, field?: string, rule?: string): { message: string; extensions?: Record<string, unknown> } {
  expect(result.errors, JSON.stringify(result.errors)).toHaveLength(1);
  const [error] = result.errors!;
  expect(error.extensions?.code, error.message).toBe(code);
  if (field) {
    expect(error.message).toContain(field);
    if (code === "BAD_USER_INPUT") expect(error.extensions?.field).toBe(field);
  }
  if (rule) expect(error.extensions?.rule).toBe(rule);
  return error;
}

async function partnersWithMpnId(mpnId: string): Promise<number> {
  const [row] = await app.cypher<{ n: number }>("MATCH (p:Partner {mpnId: $mpnId}) RETURN count(p) AS n", { mpnId });
  return Number(row.n);
}

async function auditEvents(targetId: string, operation: string): Promise<number> {
  const [row] = await app.cypher<{ n: number }>(
    "MATCH (e:AuditEvent) WHERE $id IN e.targetIds AND e.operation = $operation RETURN count(e) AS n",
    { id: targetId, operation },
  );
  return Number(row.n);
}


/** Every page of the operator's queue. */
async function pendingIds(): Promise<string[]> {
  const token = await tokenOf(OPERATOR);
  const ids: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 100; page += 1) {
    const result: GqlResult<PendingData> = await app.op<PendingData>("PendingEnrollments", { first: 50, after }, token);
    expect(result.errors).toBeUndefined();
    const connection = result.data!.pendingEnrollments;
    for (const edge of connection.edges) {
      expect(edge.node.enrollmentStatus).toBe("UNDER_REVIEW");
      ids.push(edge.node.id);
    }
    if (!connection.pageInfo.hasNextPage) break;
    after = connection.pageInfo.endCursor;
  }
  return ids;
}

beforeAll(async () => {
  app = await startTestApp({ PUBLIC_URL });
});
afterAll(async () => {
  if (app) {
    await app.cypher(
      `MATCH (p:Partner) WHERE p.mpnId IN $mpnIds OR p.tenantDomain IN $domains
       OPTIONAL MATCH (u:User)-[:MEMBER_OF]->(p)
       OPTIONAL MATCH (e:AuditEvent) WHERE e.partnerId = p.id OR p.id IN e.targetIds
       DETACH DELETE e, u, p`,
      { mpnIds: usedMpnIds, domains: usedDomains },
    );
    await app.close();
  }
});

// ---------------------------------------------------------------- validation

const WEBMAIL = [
  "gmail.com",
  "googlemail.com",
  "yahoo.com",
  "yahoo.co.uk",
  "ymail.com",
  "icloud.com",
  "me.com",
  "mac.com",
  "aol.com",
  "outlook.com",
  "hotmail.com",
  "live.com",
  "msn.com",
];

describe("enrollPartner: the primary contact's email (D-3)", () => {
  it.each(WEBMAIL)("D-3: when the primary contact's email is at %s, then BAD_USER_INPUT names input.primaryContact.email, rule D-3 and the webmail list", async (host) => {
    const input = enrollmentInput((i) => (i.primaryContact.email = `Jane.Doe@${host.toUpperCase()}`));
    const error = expectError(await enroll(input), "BAD_USER_INPUT", "input.primaryContact.email", "D-3");
    for (const listed of ["gmail.com", "googlemail.com", "yahoo.*", "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com", "outlook.com", "hotmail.com", "live.com", "msn.com"]) {
      expect(error.message).toContain(listed);
    }
    expect(await partnersWithMpnId(input.mpnId)).toBe(0);
  });

  it("D-3: when the primary contact has a work address at another domain than the tenant, then the enrollment is accepted", async () => {
    const input = enrollmentInput((i) => (i.primaryContact.email = `jane@mail-${tag}.example`));
    const result = await enroll(input);
    expect(result.errors).toBeUndefined();
    expect(result.data!.enrollPartner.partner).toMatchObject({ mpnId: input.mpnId, enrollmentStatus: "PENDING_EMAIL_VERIFICATION" });
    expect(latestMail(app.mailDir, `jane@mail-${tag}.example`)?.token).toBeTruthy();
  });

  it("D-3: when the global admin's email is at a webmail service, then BAD_USER_INPUT names input.globalAdmin.email", async () => {
    expectError(await enroll(enrollmentInput((i) => (i.globalAdmin.email = "boss@yahoo.de"))), "BAD_USER_INPUT", "input.globalAdmin.email", "D-3");
  });
});

describe("enrollPartner: MPN ID, country, tenant and the other fields (D-1, D-2)", () => {
  it.each([
    ["letters", "12AB5678"],
    ["too short", "12345"],
    ["too long", "12345678901"],
    ["empty", ""],
  ])("D-2: when the MPN ID has %s (%j), then BAD_USER_INPUT names input.mpnId and the 6-10 digit format", async (_, mpnId) => {
    const error = expectError(await enroll(enrollmentInput((i) => (i.mpnId = mpnId))), "BAD_USER_INPUT", "input.mpnId", "MPN ID format");
    expect(error.message).toContain("6 to 10 digits");
  });

  it("D-2: when the MPN ID is the demo's 1000001 (Contoso Distribution), then CONFLICT names input.mpnId and the demo is unchanged", async () => {
    const error = expectError(await enroll(enrollmentInput((i) => (i.mpnId = "1000001"))), "CONFLICT");
    expect(error.message).toContain("input.mpnId");
    expect(error.extensions?.field).toBe("input.mpnId");
    const rows = await app.cypher<{ name: string; status: string; users: number }>(
      "MATCH (p:Partner {mpnId: '1000001'}) RETURN p.name AS name, p.enrollmentStatus AS status, COUNT { (p)<-[:MEMBER_OF]-() } AS users",
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: "Contoso Distribution", status: "ACTIVE" });
    expect(Number(rows[0].users)).toBe(6);
  });

  it.each(["ZZ", "USA", "U", "", "12"])("when countryCode is %j, then BAD_USER_INPUT names input.countryCode (ISO 3166-1 alpha-2)", async (countryCode) => {
    expectError(await enroll(enrollmentInput((i) => (i.countryCode = countryCode))), "BAD_USER_INPUT", "input.countryCode", "ISO 3166-1 alpha-2");
  });

  it("when the address countryCode is not ISO, then BAD_USER_INPUT names input.address.countryCode", async () => {
    expectError(await enroll(enrollmentInput((i) => (i.address.countryCode = "XX"))), "BAD_USER_INPUT", "input.address.countryCode", "ISO 3166-1 alpha-2");
  });

  it("D-2: when the address is in another country than the tenant's, then BAD_USER_INPUT names input.address.countryCode and says same country/region", async () => {
    const input = enrollmentInput((i) => (i.address.countryCode = "DE"));
    const error = expectError(await enroll(input), "BAD_USER_INPUT", "input.address.countryCode", "D-2");
    expect(error.message).toContain("same country/region");
    expect(await partnersWithMpnId(input.mpnId)).toBe(0);
  });

  it("D-2: when countryCode and the address's are the same in another letter case, then they are normalised and accepted", async () => {
    const input = enrollmentInput((i) => {
      i.countryCode = "gb";
      i.address.countryCode = "GB";
    });
    const result = await enroll(input);
    expect(result.errors).toBeUndefined();
    expect(result.data!.enrollPartner.partner.countryCode).toBe("GB");
  });

  it.each([
    ["not a domain", "not a domain", "domain format"],
    ["a webmail domain", "gmail.com", "D-1"],
  ])("D-1: when the tenant domain is %s, then BAD_USER_INPUT names input.tenantDomain", async (_, tenantDomain, rule) => {
    expectError(await enroll(enrollmentInput((i) => (i.tenantDomain = tenantDomain))), "BAD_USER_INPUT", "input.tenantDomain", rule);
  });

  it("when the tenant domain is already a partner's (adatum.example), then CONFLICT names input.tenantDomain", async () => {
    const input = enrollmentInput((i) => {
      i.tenantDomain = "adatum.example";
      i.globalAdmin.email = "newadmin@adatum.example";
    });
    const error = expectError(await enroll(input), "CONFLICT");
    expect(error.extensions?.field).toBe("input.tenantDomain");
    expect(error.message).toContain("input.tenantDomain");
  });

  it("D-1: when the global admin's email is not on the tenant domain, then BAD_USER_INPUT names input.globalAdmin.email", async () => {
    const input = enrollmentInput((i) => (i.globalAdmin.email = `admin@elsewhere-${tag}.example`));
    const error = expectError(await enroll(input), "BAD_USER_INPUT", "input.globalAdmin.email", "D-1");
    expect(error.message).toContain(input.tenantDomain);
  });

  it("when the global admin's email is already a user's (the operator's, on its own domain), then CONFLICT names input.globalAdmin.email", async () => {
    const input = enrollmentInput((i) => {
      i.tenantDomain = "platform.example";
      i.globalAdmin.email = OPERATOR;
    });
    const error = expectError(await enroll(input), "CONFLICT");
    expect(error.extensions?.field).toBe("input.globalAdmin.email");
    expect(await partnersWithMpnId(input.mpnId)).toBe(0);
  });

  it.each([
    ["too short", "Sh0rt!", "password length"],
    ["letters only", "onlylettersinthispassword", "password strength"],
  ])("when the global admin's password is %s, then BAD_USER_INPUT names input.globalAdmin.password", async (_, password, rule) => {
    expectError(await enroll(enrollmentInput((i) => (i.globalAdmin.password = password))), "BAD_USER_INPUT", "input.globalAdmin.password", rule);
  });

  it.each([
    ["input.legalName", "required", (i: Record<string, any>) => (i.legalName = "   ")],
    ["input.address.line1", "required", (i: Record<string, any>) => (i.address.line1 = "")],
    ["input.address.city", "required", (i: Record<string, any>) => (i.address.city = " ")],
    ["input.address.postalCode", "required", (i: Record<string, any>) => (i.address.postalCode = "")],
    ["input.primaryContact.name", "required", (i: Record<string, any>) => (i.primaryContact.name = "")],
    ["input.primaryContact.email", "email format", (i: Record<string, any>) => (i.primaryContact.email = "not-an-email")],
    ["input.primaryContact.phone", "phone format", (i: Record<string, any>) => (i.primaryContact.phone = "call me")],
    ["input.supportContact.email", "email format", (i: Record<string, any>) => (i.supportContact.email = "support at example")],
    ["input.supportContact.website", "https URL", (i: Record<string, any>) => (i.supportContact.website = "http://example.com")],
    ["input.supportContact.website", "https URL", (i: Record<string, any>) => (i.supportContact.website = "support page")],
    ["input.globalAdmin.displayName", "required", (i: Record<string, any>) => (i.globalAdmin.displayName = "")],
  ])("D-1: when %s breaks %s, then BAD_USER_INPUT names that field and nothing is created", async (field, rule, patch) => {
    const input = enrollmentInput(patch);
    expectError(await enroll(input), "BAD_USER_INPUT", field, rule);
    expect(await partnersWithMpnId(input.mpnId)).toBe(0);
  });

  it("when the support website is left out, then the enrollment is accepted (it is optional)", async () => {
    const result = await enroll(enrollmentInput((i) => (i.supportContact.website = null)));
    expect(result.errors).toBeUndefined();
  });
});

// ---------------------------------------------------------------- the whole flow

describe("enrollment flow: enroll -> verify -> review (D-4, D-5)", () => {
  const input = enrollmentInput((i) => (i.legalName = `Flow Reseller ${tag}`));
  let partnerId = "";
  let adminId = "";
  let token = "";

  it("D-1, D-5: when a reseller enrolls, then it is PENDING_EMAIL_VERIFICATION and its global admin is ADMIN_AGENT + GLOBAL_ADMIN", async () => {
    const result = await enroll(input);
    expect(result.errors).toBeUndefined();
    const { partner, globalAdmin } = result.data!.enrollPartner;
    expect(partner).toMatchObject({
      name: input.legalName,
      kind: "RESELLER",
      mpnId: input.mpnId,
      countryCode: "US",
      enrollmentStatus: "PENDING_EMAIL_VERIFICATION",
    });
    expect(globalAdmin).toEqual({ id: expect.any(String), email: input.globalAdmin.email, adminRole: "GLOBAL_ADMIN", agentRole: "ADMIN_AGENT" });
    partnerId = partner.id;
    adminId = globalAdmin.id;

    const [node] = await app.cypher<{ labels: string[]; p: Record<string, unknown>; member: boolean; mustChange: boolean }>(
      `MATCH (p:Partner {id: $id}) MATCH (u:User {id: $adminId})
       RETURN labels(p) AS labels, properties(p) AS p, EXISTS { (u)-[:MEMBER_OF]->(p) } AS member, u.mustChangePassword AS mustChange`,
      { id: partnerId, adminId },
    );
    expect([...node.labels].sort()).toEqual(["Partner", "Reseller"]);
    expect(node.member).toBe(true);
    expect(node.mustChange).toBe(false);
    expect(node.p).toMatchObject({
      tenantDomain: input.tenantDomain,
      addressLine1: "1 Enrollment Way",
      addressCountryCode: "US",
      primaryContactEmail: input.primaryContact.email,
      supportEmail: input.supportContact.email,
      supportWebsite: input.supportContact.website,
    });
    expect(await auditEvents(partnerId, "enrollPartner")).toBe(1);
  });

  it("D-4: when the enrollment is made, then the primary contact gets a single verification link that says (a) they signed up and (b) the address is the organisation's", async () => {
    const mail = latestMail(app.mailDir, input.primaryContact.email);
    expect(mail).not.toBeNull();
    token = mail!.token!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const text = mailText(mail!.raw);
    expect(text).toContain(`${PUBLIC_URL}/verify-email?token=${token}`);
    expect(text).toContain("(a) that you signed up");
    expect(text).toContain(`(b) that this email address belongs to ${input.legalName}`);
    // T-5: only the hash is stored; neither the token nor the password is anywhere in the graph.
    const [row] = await app.cypher<{ hash: string }>("MATCH (p:Partner {id: $id}) RETURN p.verificationTokenHash AS hash", { id: partnerId });
    expect(row.hash).toBe(hashLinkToken(token));
    expect(await holdersOf(app, token)).toBe(0);
    expect(await holdersOf(app, GA_PASSWORD)).toBe(0);
  });

  it("D-4: when the global admin of the pending partner signs in, then `me` works and Customers is FORBIDDEN", async () => {
    const adminToken = await tokenOf(input.globalAdmin.email, GA_PASSWORD);
    const me = await app.op<MeData>("Me", {}, adminToken);
    expect(me.errors).toBeUndefined();
    expect(me.data!.me.user).toMatchObject({ id: adminId, adminRole: "GLOBAL_ADMIN", agentRole: "ADMIN_AGENT", mustChangePassword: false });
    expect(me.data!.me.partner).toMatchObject({ id: partnerId, enrollmentStatus: "PENDING_EMAIL_VERIFICATION" });
    const customers = await app.op("Customers", { first: 5 }, adminToken);
    const error = expectError(customers, "FORBIDDEN");
    expect(error.message).toContain("PENDING_EMAIL_VERIFICATION");
  });

  it("D-4: when the email is not verified yet, then the operator's queue does not list the enrollment", async () => {
    expect(await pendingIds()).not.toContain(partnerId);
  });

  it("D-4: when an unknown token is used, then NOT_FOUND", async () => {
    expectError(await app.op("VerifyPrimaryContactEmail", { token: "A".repeat(43) }), "NOT_FOUND");
  });

  it("D-4: when the primary contact follows the link, then the enrollment is UNDER_REVIEW and they are mailed that it is under review", async () => {
    const result = await app.op<StatusData>("VerifyPrimaryContactEmail", { token });
    expect(result.errors).toBeUndefined();
    expect(result.data!.verifyPrimaryContactEmail).toEqual({ id: partnerId, enrollmentStatus: "UNDER_REVIEW" });
    const mail = latestMail(app.mailDir, input.primaryContact.email)!;
    expect(mailText(mail.raw)).toContain("under review");
    expect(mail.token).toBeNull();
    const [row] = await app.cypher<{ hash: string | null }>("MATCH (p:Partner {id: $id}) RETURN p.verificationTokenHash AS hash", { id: partnerId });
    expect(row.hash).toBeNull();
    expect(await auditEvents(partnerId, "verifyPrimaryContactEmail")).toBe(1);
  });

  it("D-17: when the same link is used a second time, then CONFLICT and nothing changes", async () => {
    const error = expectError(await app.op("VerifyPrimaryContactEmail", { token }), "CONFLICT");
    expect(error.message).toContain("already used");
    expect(await auditEvents(partnerId, "verifyPrimaryContactEmail")).toBe(1);
  });

  it("D-4: when the operator lists pending enrollments, then the verified one is there", async () => {
    expect(await pendingIds()).toContain(partnerId);
  });

  it("T-7: when a partner's global admin asks for the review queue or reviews, then FORBIDDEN", async () => {
    const demoGa = await tokenOf("ga@contosodist.example");
    expectError(await app.op("PendingEnrollments", { first: 5 }, demoGa), "FORBIDDEN");
    expectError(await app.op("ReviewEnrollment", { partnerId, decision: "APPROVE" }, demoGa), "FORBIDDEN");
    expectError(await app.op("ReviewEnrollment", { partnerId, decision: "APPROVE" }, null), "UNAUTHENTICATED");
  });

  it("D-4: when the operator rejects without a reason, then BAD_USER_INPUT names reason", async () => {
    const operator = await tokenOf(OPERATOR);
    expectError(await app.op("ReviewEnrollment", { partnerId, decision: "REJECT" }, operator), "BAD_USER_INPUT", "reason", "required");
    expectError(await app.op("ReviewEnrollment", { partnerId, decision: "REJECT", reason: "  " }, operator), "BAD_USER_INPUT", "reason", "required");
  });

  it("D-4: when the operator approves, then the partner is ACTIVE, leaves the queue and the primary contact is mailed the outcome", async () => {
    const result = await app.op<StatusData>("ReviewEnrollment", { partnerId, decision: "APPROVE" }, await tokenOf(OPERATOR));
    expect(result.errors).toBeUndefined();
    expect(result.data!.reviewEnrollment).toEqual({ id: partnerId, enrollmentStatus: "ACTIVE" });
    expect(mailText(latestMail(app.mailDir, input.primaryContact.email)!.raw)).toContain("approved");
    expect(await pendingIds()).not.toContain(partnerId);
    expect(await auditEvents(partnerId, "reviewEnrollment")).toBe(1);
  });

  it("D-4: when an ACTIVE enrollment is reviewed again, then CONFLICT names its status", async () => {
    const error = expectError(await app.op("ReviewEnrollment", { partnerId, decision: "REJECT", reason: "late" }, await tokenOf(OPERATOR)), "CONFLICT");
    expect(error.message).toContain("ACTIVE");
    expect(await auditEvents(partnerId, "reviewEnrollment")).toBe(1);
  });

  it("D-4, D-13: when the approved partner's global admin lists customers, then it works and the list is empty", async () => {
    const adminToken = await tokenOf(input.globalAdmin.email, GA_PASSWORD);
    const result = await app.op<{ customers: { totalCount: number; edges: unknown[] } }>("Customers", { first: 5 }, adminToken);
    expect(result.errors).toBeUndefined();
    expect(result.data!.customers).toMatchObject({ totalCount: 0, edges: [] });
    const me = await app.op<MeData>("Me", {}, adminToken);
    expect(me.data!.me.partner!.enrollmentStatus).toBe("ACTIVE");
  });
});

describe("enrollment: reject path, early review, expiry and races (D-4)", () => {
  it("D-4: when a provider's enrollment is rejected with a reason, then it is REJECTED, the contact is mailed the reason and its admin can use `me` only", async () => {
    const input = enrollmentInput((i) => {
      i.kind = "PROVIDER";
      i.legalName = `Rejected Provider ${tag}`;
    });
    const enrolled = await enroll(input);
    expect(enrolled.errors).toBeUndefined();
    const partnerId = enrolled.data!.enrollPartner.partner.id;
    const [labels] = await app.cypher<{ labels: string[] }>("MATCH (p:Partner {id: $id}) RETURN labels(p) AS labels", { id: partnerId });
    expect([...labels.labels].sort()).toEqual(["Partner", "Provider"]);

    const operator = await tokenOf(OPERATOR);
    // Not verified yet: no decision is possible.
    const early = expectError(await app.op("ReviewEnrollment", { partnerId, decision: "APPROVE" }, operator), "CONFLICT");
    expect(early.message).toContain("PENDING_EMAIL_VERIFICATION");

    const token = latestMail(app.mailDir, input.primaryContact.email)!.token!;
    expect((await app.op("VerifyPrimaryContactEmail", { token })).errors).toBeUndefined();
    const reason = `MPN ID not found in Partner Membership Center ${tag}`;
    const result = await app.op<StatusData>("ReviewEnrollment", { partnerId, decision: "REJECT", reason }, operator);
    expect(result.errors).toBeUndefined();
    expect(result.data!.reviewEnrollment).toEqual({ id: partnerId, enrollmentStatus: "REJECTED" });
    const text = mailText(latestMail(app.mailDir, input.primaryContact.email)!.raw);
    expect(text).toContain("rejected");
    expect(text).toContain(reason);

    const adminToken = await tokenOf(input.globalAdmin.email, GA_PASSWORD);
    const me = await app.op<MeData>("Me", {}, adminToken);
    expect(me.data!.me.partner!.enrollmentStatus).toBe("REJECTED");
    expectError(await app.op("Customers", { first: 5 }, adminToken), "FORBIDDEN");
    const again = expectError(await app.op("ReviewEnrollment", { partnerId, decision: "APPROVE" }, operator), "CONFLICT");
    expect(again.message).toContain("REJECTED");
    expect(await auditEvents(partnerId, "reviewEnrollment")).toBe(1);
  });

  it("when the operator reviews an unknown partner id, then NOT_FOUND", async () => {
    expectError(await app.op("ReviewEnrollment", { partnerId: newId("Partner"), decision: "APPROVE" }, await tokenOf(OPERATOR)), "NOT_FOUND");
  });

  it("D-17: when the verification link has expired, then CONFLICT and the enrollment stays PENDING_EMAIL_VERIFICATION", async () => {
    const input = enrollmentInput();
    const partnerId = (await enroll(input)).data!.enrollPartner.partner.id;
    const [expiry] = await app.cypher<{ days: number }>(
      "MATCH (p:Partner {id: $id}) RETURN duration.inDays(datetime(), p.verificationExpiresAt).days AS days",
      { id: partnerId },
    );
    expect([6, 7]).toContain(Number(expiry.days));
    await app.cypher("MATCH (p:Partner {id: $id}) SET p.verificationExpiresAt = datetime() - duration({minutes: 1})", { id: partnerId });
    const token = latestMail(app.mailDir, input.primaryContact.email)!.token!;
    const error = expectError(await app.op("VerifyPrimaryContactEmail", { token }), "CONFLICT");
    expect(error.message).toContain("expired");
    const [row] = await app.cypher<{ status: string }>("MATCH (p:Partner {id: $id}) RETURN p.enrollmentStatus AS status", { id: partnerId });
    expect(row.status).toBe("PENDING_EMAIL_VERIFICATION");
  });

  it("D-17: when one link is used twice at the same time, then exactly one use succeeds and the other is CONFLICT", async () => {
    const input = enrollmentInput();
    const partnerId = (await enroll(input)).data!.enrollPartner.partner.id;
    const token = latestMail(app.mailDir, input.primaryContact.email)!.token!;
    const results = await Promise.all([0, 1, 2].map(() => app.op<StatusData>("VerifyPrimaryContactEmail", { token })));
    expect(results.filter((r) => r.errors === undefined)).toHaveLength(1);
    expect(results.filter((r) => r.errors?.[0]?.extensions?.code === "CONFLICT"), JSON.stringify(results.map((r) => r.errors))).toHaveLength(2);
    expect(await auditEvents(partnerId, "verifyPrimaryContactEmail")).toBe(1);
  });

  it("D-2: when two enrollments with the same MPN ID race, then one is created and the other is CONFLICT naming input.mpnId", async () => {
    const first = enrollmentInput();
    const second = enrollmentInput((i) => (i.mpnId = first.mpnId));
    const results = await Promise.all([enroll(first), enroll(second)]);
    expect(results.filter((r) => r.errors === undefined)).toHaveLength(1);
    const failed = results.find((r) => r.errors !== undefined)!;
    expect(failed.errors![0].extensions?.code).toBe("CONFLICT");
    expect(failed.errors![0].extensions?.field).toBe("input.mpnId");
    expect(await partnersWithMpnId(first.mpnId)).toBe(1);
  });
});

// ---------------------------------------------------------------- updatePartnerProfile (C9)

describe("updatePartnerProfile (C9, T-1)", () => {
  let channel: Channel;
  beforeAll(async () => {
    channel = await createChannel(app, `ep${tag}`);
  });
  afterAll(async () => {
    await channel?.remove();
  });

  const update = (supportContact: Record<string, unknown>, email: string) =>
    tokenOf(email, channel.password).then((token) => app.op<{ updatePartnerProfile: { supportContact: SupportContactView } }>("UpdateSupportContact", { input: supportContact }, token));

  it("C9: when a global admin updates the support contact, then it is returned, `partnerProfile` shows it, the other organisation is unchanged and one audit event is written", async () => {
    const contact = { email: `Help@${channel.reseller.domain}`, phone: "+1 503 555 0199", website: `https://help.${channel.reseller.domain}` };
    const result = await update(contact, channel.resellerUsers.ga);
    expect(result.errors).toBeUndefined();
    expect(result.data!.updatePartnerProfile.supportContact).toEqual({ ...contact, email: contact.email.toLowerCase() });
    const profile = await app.op<ProfileData>("PartnerProfile", {}, await tokenOf(channel.resellerUsers.ga, channel.password));
    expect(profile.data!.partnerProfile).toMatchObject({ mpnId: channel.reseller.mpnId, supportContact: { ...contact, email: contact.email.toLowerCase() } });
    const other = await app.op<ProfileData>("PartnerProfile", {}, await tokenOf(channel.providerUsers.ga, channel.password));
    expect(other.data!.partnerProfile!.supportContact).toEqual({ email: `support@${channel.provider.domain}`, phone: null, website: null });
    expect(await auditEvents(channel.reseller.id, "updatePartnerProfile")).toBe(1);
  });

  it("C9: when the support contact is sent without phone and website, then both are cleared (the contact is replaced as a whole)", async () => {
    const result = await update({ email: `support@${channel.reseller.domain}` }, channel.resellerUsers.ga);
    expect(result.errors).toBeUndefined();
    expect(result.data!.updatePartnerProfile.supportContact).toEqual({ email: `support@${channel.reseller.domain}`, phone: null, website: null });
  });

  it.each([
    ["input.supportContact.email", { email: "nope" }],
    ["input.supportContact.website", { email: "a@b.example", website: "ftp://files.example" }],
    ["input.supportContact.phone", { email: "a@b.example", phone: "ring ring" }],
  ])("when %s is invalid, then BAD_USER_INPUT names it", async (field, contact) => {
    expectError(await update(contact, channel.resellerUsers.ga), "BAD_USER_INPUT", field);
  });

  it.each(["uma", "aa", "sa", "ha", "none"])("C9: when a %s user updates the profile, then FORBIDDEN (only a global admin may)", async (role) => {
    const result = await update({ email: `x@${channel.reseller.domain}` }, channel.resellerUsers[role]);
    const error = expectError(result, "FORBIDDEN");
    expect(error.extensions?.capability).toBe("C9");
  });
});
