import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { passwordCheckGauge } from "../../src/app/rate-limit.js";
import { hashPassword } from "../../src/shared/auth/password.js";
import { loadConfig } from "../../src/shared/config.js";
import { newId } from "../../src/shared/ids.js";
import { startTestApp, uniqueTag, type TestApp } from "../support/app.js";
import { deleteEnrolledPartners } from "../support/fixtures.js";

/**
 * Issue 10, point 3: brute force and request rate. Each test starts its own server (its own
 * counters) with small limits from the environment, and tells client addresses apart with
 * X-Forwarded-For behind TRUST_PROXY=loopback (the test client is 127.0.0.1, a trusted proxy).
 * The accounts are made here (Adatum users tagged with this file's tag), so no demo account used
 * by another test file is ever locked out. Every test is bounded by its number of requests.
 */

const tag = uniqueTag();
const PASSWORD = "Rate-limit-Passw0rd";
const WRONG = "Not-the-Passw0rd";
const emailOf = (who: string) => `rl-${who}-${tag}@adatum.example`;
const SIGN_IN = "mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { token } }";
const CHANGE_PASSWORD =
  "mutation ($currentPassword: String!, $newPassword: String!) { changePassword(currentPassword: $currentPassword, newPassword: $newPassword) { token } }";

interface Answer {
  status: number;
  retryAfter: string | null;
  contentType: string | null;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string; retryAfter?: number } }[] };
  code: string | undefined;
}

const apps: TestApp[] = [];

async function app(env: Record<string, string>): Promise<TestApp> {
  const started = await startTestApp({ TRUST_PROXY: "loopback", ...env });
  apps.push(started);
  return started;
}

async function post(target: TestApp, body: string | object, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(target.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const parsed = (await response.json()) as Answer["body"];
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    contentType: response.headers.get("content-type"),
    body: parsed,
    code: parsed.errors?.[0]?.extensions?.code,
  };
}

function signIn(target: TestApp, email: string, password: string, from: string): Promise<Answer> {
  return post(target, { query: SIGN_IN, variables: { email, password } }, { "x-forwarded-for": from });
}

function tokenOf(answer: Answer): string {
  expect(answer.body.errors, JSON.stringify(answer.body.errors)).toBeUndefined();
  return (answer.body.data!.signIn as { token: string }).token;
}

/** A RATE_LIMITED refusal as SERVICE.md describes it; returns its retryAfter (seconds). */
function expectRateLimited(answer: Answer, maxSeconds: number): number {
  expect(answer.code, JSON.stringify(answer.body)).toBe("RATE_LIMITED");
  expect(answer.status).toBe(429);
  expect(answer.contentType).toMatch(/json/);
  const retryAfter = answer.body.errors![0].extensions!.retryAfter!;
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
  expect(answer.retryAfter).toBe(String(retryAfter));
  return retryAfter;
}

beforeAll(async () => {
  const hash = await hashPassword(PASSWORD);
  const setup = await app({});
  await setup.cypher(
    `MATCH (p:Partner {mpnId: '2000001'})
     UNWIND $users AS u
     CREATE (:User {id: u.id, email: u.email, displayName: 'Rate limit ' + u.who, agentRole: 'SALES_AGENT', adminRole: 'NONE',
       passwordHash: $hash, mustChangePassword: false, fixture: $tag, createdAt: datetime()})-[:MEMBER_OF]->(p)`,
    { users: ["a", "b", "c", "d", "e", "f"].map((who) => ({ who, id: newId("User"), email: emailOf(who) })), hash, tag },
  );
});

afterAll(async () => {
  await apps[0]?.cypher("MATCH (u:User {fixture: $tag}) DETACH DELETE u", { tag });
  await Promise.all(apps.map((a) => a.close()));
});

describe("sign-in lockout per account (issue 10, point 3)", () => {
  it("when an account gets 10 wrong passwords, then the 11th attempt and the correct password are refused with RATE_LIMITED before any password check, from any address, and another account still signs in", async () => {
    const api = await app({});
    const wrong = await Promise.all(Array.from({ length: 10 }, () => signIn(api, emailOf("a"), WRONG, "203.0.113.1")));
    expect(wrong.map((a) => a.code)).toEqual(Array(10).fill("UNAUTHENTICATED"));

    passwordCheckGauge.reset();
    const eleventh = await signIn(api, emailOf("a"), WRONG, "203.0.113.1");
    const retryAfter = expectRateLimited(eleventh, 900);
    expect(eleventh.body.errors![0].message).toContain("for this email");
    expectRateLimited(await signIn(api, emailOf("a"), PASSWORD, "203.0.113.1"), 900);
    // The lockout is the account's, whatever the address, and the email's case does not matter.
    expectRateLimited(await signIn(api, `  ${emailOf("a").toUpperCase()} `, PASSWORD, "198.51.100.9"), 900);
    expect(passwordCheckGauge.started, "a locked-out attempt runs no password check").toBe(0);
    expect(retryAfter).toBeGreaterThan(800);

    // Another account, from another address (and from the same one: 10 failures are below its limit).
    tokenOf(await signIn(api, emailOf("b"), PASSWORD, "198.51.100.7"));
    tokenOf(await signIn(api, emailOf("b"), PASSWORD, "203.0.113.1"));
  });

  it("when 20 wrong passwords for one account arrive at once, then exactly 10 are checked and the other 10 are refused (no overshoot)", async () => {
    const api = await app({ PASSWORD_CHECK_QUEUE: "50" });
    passwordCheckGauge.reset();
    const answers = await Promise.all(Array.from({ length: 20 }, () => signIn(api, emailOf("c"), WRONG, "203.0.113.2")));
    const codes = answers.map((a) => a.code);
    expect(codes.filter((c) => c === "UNAUTHENTICATED")).toHaveLength(10);
    expect(codes.filter((c) => c === "RATE_LIMITED")).toHaveLength(10);
    expect(passwordCheckGauge.started).toBe(10);
  });

  it("when an unknown email gets as many wrong passwords, then it is locked out the same way (no account enumeration)", async () => {
    const api = await app({ SIGNIN_MAX_FAILURES: "3" });
    const unknown = `nobody-${tag}@adatum.example`;
    for (const email of [emailOf("d"), unknown]) {
      for (let i = 0; i < 3; i++) expect((await signIn(api, email, WRONG, "203.0.113.3")).code).toBe("UNAUTHENTICATED");
    }
    const [known, nobody] = [await signIn(api, emailOf("d"), WRONG, "203.0.113.3"), await signIn(api, unknown, WRONG, "203.0.113.3")];
    expectRateLimited(known, 900);
    expectRateLimited(nobody, 900);
    const shape = (a: Answer) => ({ ...a, retryAfter: null, body: JSON.stringify(a.body).replace(/\d+/g, "N") });
    expect(shape(nobody)).toEqual(shape(known));
  });

  it("when the window passes (Retry-After), then the correct password works again and clears the account's count", async () => {
    const api = await app({ SIGNIN_MAX_FAILURES: "3", SIGNIN_WINDOW_SECONDS: "5" });
    const wrong = await Promise.all([1, 2, 3].map(() => signIn(api, emailOf("e"), WRONG, "203.0.113.4")));
    expect(wrong.map((a) => a.code)).toEqual(["UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED"]);
    const refused = await signIn(api, emailOf("e"), PASSWORD, "203.0.113.4");
    const retryAfter = expectRateLimited(refused, 5);
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 100));
    tokenOf(await signIn(api, emailOf("e"), PASSWORD, "203.0.113.4"));
    // A success clears the account's failures: three more wrong ones are answered again.
    const again = await Promise.all([1, 2, 3].map(() => signIn(api, emailOf("e"), WRONG, "203.0.113.4")));
    expect(again.map((a) => a.code)).toEqual(["UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED"]);
  });

  it("when a signed-in caller guesses the current password in changePassword, then the guesses count against the account and sign-in is locked out too", async () => {
    const api = await app({ SIGNIN_MAX_FAILURES: "3" });
    const token = tokenOf(await signIn(api, emailOf("f"), PASSWORD, "203.0.113.5"));
    const change = (currentPassword: string) =>
      post(api, { query: CHANGE_PASSWORD, variables: { currentPassword, newPassword: "Another-Passw0rd-1" } }, {
        authorization: `Bearer ${token}`,
        "x-forwarded-for": "192.0.2.50",
      });
    for (let i = 0; i < 3; i++) expect((await change(WRONG)).code).toBe("BAD_USER_INPUT");
    expectRateLimited(await change(WRONG), 900);
    expectRateLimited(await change(PASSWORD), 900);
    expectRateLimited(await signIn(api, emailOf("f"), PASSWORD, "203.0.113.5"), 900);
  });
});

describe("sign-in lockout per address (issue 10, point 3)", () => {
  it("when one address fails on many accounts, then that address is locked out, the correct password of another account included, and other addresses are not", async () => {
    const api = await app({ SIGNIN_MAX_FAILURES_PER_ADDRESS: "5" });
    for (let i = 0; i < 5; i++) {
      expect((await signIn(api, `spray-${i}-${tag}@adatum.example`, WRONG, "203.0.113.6")).code).toBe("UNAUTHENTICATED");
    }
    const sixth = await signIn(api, `spray-5-${tag}@adatum.example`, WRONG, "203.0.113.6");
    expectRateLimited(sixth, 900);
    expect(sixth.body.errors![0].message).toContain("from this address");
    expectRateLimited(await signIn(api, emailOf("b"), PASSWORD, "203.0.113.6"), 900);
    tokenOf(await signIn(api, emailOf("b"), PASSWORD, "203.0.113.7"));
  });
});

describe("request rate per caller (issue 10, point 3)", () => {
  it("when a caller exceeds its request rate, then it gets a 429 JSON GraphQL error with Retry-After before its body is read, and other callers are served", async () => {
    const api = await app({ RATE_LIMIT_PER_MINUTE: "5" });
    const typename = { query: "{ __typename }" };
    for (let i = 0; i < 5; i++) expect((await post(api, typename, { "x-forwarded-for": "203.0.113.8" })).status).toBe(200);
    const over = await post(api, typename, { "x-forwarded-for": "203.0.113.8" });
    expectRateLimited(over, 60);
    expect(over.body).toEqual({
      errors: [{ message: expect.stringContaining("at most 5 a minute"), extensions: { code: "RATE_LIMITED", retryAfter: expect.any(Number) } }],
    });
    // Refused before the body is parsed: malformed JSON gets the same 429, not a parse error.
    expectRateLimited(await post(api, "{not json", { "x-forwarded-for": "203.0.113.8" }), 60);

    // Another address is served; a signed-in user is counted as itself, wherever it calls from.
    expect((await post(api, typename, { "x-forwarded-for": "203.0.113.9" })).status).toBe(200);
    const token = tokenOf(await signIn(api, emailOf("b"), PASSWORD, "203.0.113.10"));
    const asUser = { authorization: `Bearer ${token}`, "x-forwarded-for": "203.0.113.8" };
    for (let i = 0; i < 5; i++) expect((await post(api, typename, asUser)).status).toBe(200);
    expectRateLimited(await post(api, typename, asUser), 60);
    // ...and a bad token counts against its address.
    expectRateLimited(await post(api, typename, { authorization: "Bearer not-a-token", "x-forwarded-for": "203.0.113.8" }), 60);
  });
});

describe("concurrent password checks (issue 10, point 3)", () => {
  it("when 40 sign-ins arrive at once, then at most 2 password checks run at a time and the overflow of the queue is RATE_LIMITED", async () => {
    const api = await app({ PASSWORD_CHECK_CONCURRENCY: "2", PASSWORD_CHECK_QUEUE: "2", SIGNIN_MAX_FAILURES_PER_ADDRESS: "1000" });
    passwordCheckGauge.reset();
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => signIn(api, `flood-${i}-${tag}@adatum.example`, WRONG, `198.51.100.${i + 1}`)),
    );
    const limited = answers.filter((a) => a.code === "RATE_LIMITED");
    const checked = answers.filter((a) => a.code === "UNAUTHENTICATED");
    expect(limited.length + checked.length).toBe(40);
    expect(passwordCheckGauge.maxActive).toBe(2);
    expect(limited.length).toBeGreaterThan(0);
    expect(passwordCheckGauge.refused).toBe(limited.length);
    expect(passwordCheckGauge.started).toBe(checked.length);
    for (const answer of limited) {
      expect(answer.body.errors![0].message).toContain("at once");
      expectRateLimited(answer, 1);
    }
  });
});

describe("concurrent password hashing for anonymous callers (issue 10, point 3)", () => {
  it("when 30 enrollments (each hashing a new password) arrive at once, then at most 2 hashes run at a time and the overflow is RATE_LIMITED", async () => {
    const api = await app({ PASSWORD_CHECK_CONCURRENCY: "2", PASSWORD_CHECK_QUEUE: "2" });
    // One valid enrollment sent 30 times: the password is hashed before the MPN ID's uniqueness is
    // checked, so every copy does the hashing; at most one is created (removed below).
    const mpnId = `74${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
    const domain = `rl-${tag}.example`;
    const input = {
      kind: "RESELLER",
      legalName: `Rate Limit Reseller ${tag}`,
      mpnId,
      countryCode: "US",
      tenantDomain: domain,
      address: { line1: "1 Limit Way", city: "Seattle", postalCode: "98101", countryCode: "US" },
      primaryContact: { name: "Primary Contact", email: `contact@${domain}`, phone: "+1 206 555 0100" },
      supportContact: { email: `support@${domain}`, phone: null, website: `https://support.${domain}/help` },
      globalAdmin: { displayName: "Global Admin", email: `admin@${domain}`, password: PASSWORD },
    };
    const enroll = "mutation ($input: EnrollPartnerInput!) { enrollPartner(input: $input) { partner { id } } }";
    passwordCheckGauge.reset();
    try {
      const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => post(api, { query: enroll, variables: { input } }, { "x-forwarded-for": `198.51.100.${i + 1}` })));
      const limited = answers.filter((a) => a.code === "RATE_LIMITED");
      expect(answers.filter((a) => a.code === undefined).length, JSON.stringify(answers.map((a) => a.body.errors?.[0]))).toBeLessThanOrEqual(1);
      expect(answers.every((a) => a.code === undefined || a.code === "RATE_LIMITED" || a.code === "CONFLICT")).toBe(true);
      expect(passwordCheckGauge.maxActive).toBe(2);
      expect(limited.length).toBeGreaterThan(0);
      expect(passwordCheckGauge.refused).toBe(limited.length);
      for (const answer of limited) expectRateLimited(answer, 1);
    } finally {
      await deleteEnrolledPartners(api, { mpnId });
    }
  });
});

describe("rate limit settings (issue 10, point 3)", () => {
  it("when nothing is set, then a caller gets 600 requests a minute and sign-in locks after 10 failures per account or 100 per address in 15 minutes, and X-Forwarded-For is not trusted", () => {
    const config = loadConfig({ JWT_SECRET: "x".repeat(32) });
    expect(config.rateLimit).toMatchObject({
      enabled: true,
      requestsPerMinute: 600,
      signInMaxFailures: 10,
      signInMaxFailuresPerAddress: 100,
      signInWindowSeconds: 900,
      passwordCheckQueue: 10,
    });
    expect(config.rateLimit.passwordCheckConcurrency).toBeGreaterThanOrEqual(1);
    expect(config.trustProxy).toBe(false);
  });

  it("when TRUST_PROXY and RATE_LIMIT are set, then they become Express's trust proxy value and the switch", () => {
    const secret = { JWT_SECRET: "x".repeat(32) };
    expect(loadConfig({ ...secret, TRUST_PROXY: "1" }).trustProxy).toBe(1);
    expect(loadConfig({ ...secret, TRUST_PROXY: "true" }).trustProxy).toBe(true);
    expect(loadConfig({ ...secret, TRUST_PROXY: "loopback, 10.0.0.0/8" }).trustProxy).toBe("loopback, 10.0.0.0/8");
    expect(loadConfig({ ...secret, RATE_LIMIT: "off" }).rateLimit.enabled).toBe(false);
    expect(() => loadConfig({ ...secret, SIGNIN_MAX_FAILURES: "0" })).toThrow(/SIGNIN_MAX_FAILURES/);
  });
});
