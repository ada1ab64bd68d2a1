import { setTimeout as sleep } from "node:timers/promises";
import { SignJWT, UnsecuredJWT } from "jose";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { hashPassword } from "../../src/shared/auth/password.js";
import { newId } from "../../src/shared/ids.js";
import { startTestApp, uniqueTag, type GqlResult, type TestApp } from "../support/app.js";

/** A known secret, so this file can forge tokens that differ from real ones in one respect only. */
const JWT_SECRET = "users-test-secret-0123456789-abcdefghijklmnop";
const SECRET = new TextEncoder().encode(JWT_SECRET);
const OTHER_SECRET = new TextEncoder().encode("another-secret-entirely-0123456789-abcdefghij");
const demoPassword = inject("demoPassword");

interface UserFields {
  id: string;
  email: string;
  displayName: string;
  agentRole: string;
  adminRole: string;
  mustChangePassword: boolean;
}
interface SignInData {
  signIn: { token: string; user: UserFields };
}
interface MeData {
  me: {
    user: UserFields;
    partner: { id: string; name: string; kind: string; mpnId: string; countryCode: string; enrollmentStatus: string } | null;
  };
}
interface ChangePasswordData {
  changePassword: { token: string; user: { id: string; mustChangePassword: boolean } };
}
interface CustomersData {
  customers: { totalCount: number; edges: { node: { companyName: string } }[] };
}
interface RawResponse {
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
}

let app: TestApp;
const createdUserIds: string[] = [];
/** Every response body this file received, checked at the end for secrets (T-5). */
const responses: string[] = [];

beforeAll(async () => {
  app = await startTestApp({ JWT_SECRET });
});
afterAll(async () => {
  if (app && createdUserIds.length > 0) {
    await app.cypher("MATCH (u:User) WHERE u.id IN $ids DETACH DELETE u", { ids: createdUserIds });
  }
  await app?.close();
});

async function op<T>(operationName: string, variables: Record<string, unknown> = {}, token: string | null = null): Promise<GqlResult<T>> {
  const result = await app.op<T>(operationName, variables, token);
  responses.push(JSON.stringify({ data: result.data, errors: result.errors }));
  return result;
}

function signIn(email: string, password: string) {
  return op<SignInData>("SignIn", { email, password });
}

/** POST with a hand-made Authorization header (the helpers only send `Bearer <token>`). */
async function raw(query: string, authorization: string, variables: Record<string, unknown> = {}): Promise<RawResponse> {
  const response = await fetch(app.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  responses.push(text);
  return { status: response.status, body: JSON.parse(text) as RawResponse["body"] };
}

const codes = (result: { errors?: { extensions?: { code?: string } }[] }) => result.errors?.map((e) => e.extensions?.code);

/**
 * A user of Adatum IT made directly in the graph (cypher/MODEL.md), as `addUser` would, so these
 * tests do not depend on the user-admin mutations.
 */
async function createAdatumUser(options: { agentRole: string; adminRole?: string; mustChangePassword: boolean; password: string }) {
  const tag = uniqueTag();
  const user = {
    id: newId("User"),
    email: `users-test-${tag}@adatum.example`,
    displayName: `Users Test ${tag}`,
    agentRole: options.agentRole,
    adminRole: options.adminRole ?? "NONE",
    mustChangePassword: options.mustChangePassword,
    passwordHash: await hashPassword(options.password),
  };
  createdUserIds.push(user.id);
  const rows = await app.cypher<{ id: string }>(
    `MATCH (p:Partner {mpnId: '2000001'})
     CREATE (u:User)-[:MEMBER_OF]->(p)
     SET u = $user, u.createdAt = datetime({epochMillis: timestamp()})
     RETURN u.id AS id`,
    { user },
  );
  expect(rows).toHaveLength(1);
  return user;
}

const SIGN_IN_TOKEN_ONLY = "mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { token } }";
const ME = "query { me { user { id email } } }";

describe("signIn and me (C15)", () => {
  const demoUsers = [
    { email: "ga@adatum.example", agentRole: "ADMIN_AGENT", adminRole: "GLOBAL_ADMIN", partner: { name: "Adatum IT", kind: "RESELLER", mpnId: "2000001", countryCode: "US" } },
    { email: "uma@adatum.example", agentRole: "NONE", adminRole: "USER_MANAGEMENT_ADMIN", partner: { name: "Adatum IT", kind: "RESELLER", mpnId: "2000001", countryCode: "US" } },
    { email: "ha@contosodist.example", agentRole: "HELPDESK_AGENT", adminRole: "NONE", partner: { name: "Contoso Distribution", kind: "PROVIDER", mpnId: "1000001", countryCode: "US" } },
    { email: "none@contosodist.example", agentRole: "NONE", adminRole: "NONE", partner: { name: "Contoso Distribution", kind: "PROVIDER", mpnId: "1000001", countryCode: "US" } },
    { email: "ga@fabrikamsupply.example", agentRole: "ADMIN_AGENT", adminRole: "GLOBAL_ADMIN", partner: { name: "Fabrikam Supply", kind: "PROVIDER", mpnId: "1000002", countryCode: "DE" } },
    { email: "ha@tailspin.example", agentRole: "HELPDESK_AGENT", adminRole: "NONE", partner: { name: "Tailspin Solutions", kind: "RESELLER", mpnId: "2000004", countryCode: "GB" } },
  ];

  it.each(demoUsers)("when $email signs in, then a token and the user with its DEMO.md roles come back, and `me` shows its ACTIVE partner", async (demo) => {
    const result = await signIn(demo.email, demoPassword);
    expect(result.errors).toBeUndefined();
    const { token, user } = result.data!.signIn;
    expect(token.split(".")).toHaveLength(3);
    expect(user).toMatchObject({ email: demo.email, agentRole: demo.agentRole, adminRole: demo.adminRole, mustChangePassword: false });
    expect(user.id).toMatch(/^usr_[a-z2-7]{26}$/);

    const me = await op<MeData>("Me", {}, token);
    expect(me.errors).toBeUndefined();
    expect(me.data!.me.user).toEqual(user);
    expect(me.data!.me.partner).toMatchObject({ ...demo.partner, enrollmentStatus: "ACTIVE" });
    expect(me.data!.me.partner!.id).toMatch(/^ptn_[a-z2-7]{26}$/);
  });

  it("when the operator signs in, then `me` has no partner (T-7)", async () => {
    const result = await signIn("operator@platform.example", demoPassword);
    expect(result.errors).toBeUndefined();
    expect(result.data!.signIn.user).toMatchObject({ agentRole: "NONE", adminRole: "NONE", mustChangePassword: false });
    const me = await op<MeData>("Me", {}, result.data!.signIn.token);
    expect(me.errors).toBeUndefined();
    expect(me.data!.me.user.email).toBe("operator@platform.example");
    expect(me.data!.me.partner).toBeNull();
  });

  it("when `me` is asked anonymously, then it is UNAUTHENTICATED", async () => {
    const me = await op<MeData>("Me");
    expect(me.data).toBeNull();
    expect(codes(me)).toEqual(["UNAUTHENTICATED"]);
  });

  it("when the password is wrong or the email unknown, then the two answers are identical (no account enumeration)", async () => {
    const wrongPassword = await signIn("ga@adatum.example", `${demoPassword}-wrong`);
    const unknownEmail = await signIn(`nobody-${uniqueTag()}@adatum.example`, demoPassword);
    expect(wrongPassword.data).toBeNull();
    expect(codes(wrongPassword)).toEqual(["UNAUTHENTICATED"]);
    // Same status, same message, same code, same path and locations: nothing tells them apart.
    expect({ ...unknownEmail, queryCount: 0 }).toEqual({ ...wrongPassword, queryCount: 0 });
    expect(unknownEmail.queryCount).toBe(wrongPassword.queryCount);
  });

  it("when the email differs only in case or surrounding spaces, then sign-in works and the stored lower-case email comes back", async () => {
    for (const email of ["GA@Adatum.Example", "  ga@ADATUM.example  "]) {
      const result = await signIn(email, demoPassword);
      expect(result.errors, email).toBeUndefined();
      expect(result.data!.signIn.user.email).toBe("ga@adatum.example");
    }
  });

  it("when the password differs only in case, then sign-in fails (passwords are case-sensitive)", async () => {
    const result = await signIn("ga@adatum.example", demoPassword.toUpperCase());
    expect(codes(result)).toEqual(["UNAUTHENTICATED"]);
  });
});

describe("bad tokens refuse the whole request (SERVICE.md)", () => {
  let userId: string;

  beforeAll(async () => {
    const result = await signIn("ga@adatum.example", demoPassword);
    userId = result.data!.signIn.user.id;
  });

  /** Claims exactly like the server's, so each variant below is wrong in one way only. */
  function forge(secret: Uint8Array, times: { iat: number; exp: number }, claims: { sub?: string; aud?: string } = {}) {
    // sv: the session version, 0 until the user's password is changed or reset.
    return new SignJWT({ sv: 0 })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(claims.sub ?? userId)
      .setIssuer("csp-channel-api")
      .setAudience(claims.aud ?? "csp-channel-api")
      .setIssuedAt(times.iat)
      .setExpirationTime(times.exp)
      .sign(secret);
  }
  const now = () => Math.floor(Date.now() / 1000);

  it("when a forged token is made with the server's secret and valid times, then it is accepted (the forging below is sound)", async () => {
    const token = await forge(SECRET, { iat: now() - 60, exp: now() + 3600 });
    const result = await raw(ME, `Bearer ${token}`);
    expect(result.status).toBe(200);
    expect(result.body.errors).toBeUndefined();
  });

  const badHeaders: [string, () => Promise<string>][] = [
    ["garbage", async () => "Bearer not-a-token"],
    ["a token signed with another secret", async () => `Bearer ${await forge(OTHER_SECRET, { iat: now() - 60, exp: now() + 3600 })}`],
    ["an expired token", async () => `Bearer ${await forge(SECRET, { iat: now() - 9 * 3600, exp: now() - 3600 })}`],
    ["a token for another audience", async () => `Bearer ${await forge(SECRET, { iat: now() - 60, exp: now() + 3600 }, { aud: "someone-else" })}`],
    ["an unsigned token (alg none)", async () => `Bearer ${new UnsecuredJWT({}).setSubject(userId).setIssuer("csp-channel-api").setAudience("csp-channel-api").setIssuedAt().setExpirationTime("1h").encode()}`],
    ["a token for a user that does not exist", async () => `Bearer ${await forge(SECRET, { iat: now() - 60, exp: now() + 3600 }, { sub: newId("User") })}`],
    ["a Basic header", async () => "Basic xyz"],
    ["an empty Bearer", async () => "Bearer "],
  ];

  it.each(badHeaders)("when the header carries %s, then `me` is HTTP 401 UNAUTHENTICATED with no data", async (_what, header) => {
    const result = await raw(ME, await header());
    expect(result.status).toBe(401);
    expect(result.body.data).toBeUndefined();
    expect(codes(result.body)).toEqual(["UNAUTHENTICATED"]);
    expect(result.body.errors![0].message).not.toMatch(/Context creation failed/);
  });

  it.each(badHeaders)("when the header carries %s, then even signIn is refused with 401 (a bad token is not anonymity)", async (_what, header) => {
    const result = await raw(SIGN_IN_TOKEN_ONLY, await header(), { email: "ga@adatum.example", password: demoPassword });
    expect(result.status).toBe(401);
    expect(result.body.data).toBeUndefined();
    expect(codes(result.body)).toEqual(["UNAUTHENTICATED"]);
  });

  it("when the token has expired, then the message says so", async () => {
    const result = await raw(ME, `Bearer ${await forge(SECRET, { iat: now() - 9 * 3600, exp: now() - 3600 })}`);
    expect(result.body.errors![0].message).toMatch(/expired/i);
  });
});

describe("temporary password (T-6)", () => {
  it("when a user must change its password, then only `me` and changePassword work until it does, and the change signs out older tokens", async () => {
    const temporary = "Temp-pass-1234567";
    const chosen = "Chosen-pass-7654321";
    const user = await createAdatumUser({ agentRole: "HELPDESK_AGENT", mustChangePassword: true, password: temporary });

    const first = await signIn(user.email, temporary);
    expect(first.errors).toBeUndefined();
    expect(first.data!.signIn.user).toMatchObject({ id: user.id, mustChangePassword: true });
    const oldToken = first.data!.signIn.token;
    const signedInAt = Date.now();

    const me = await op<MeData>("Me", {}, oldToken);
    expect(me.errors).toBeUndefined();
    expect(me.data!.me.user).toMatchObject({ id: user.id, mustChangePassword: true });
    expect(me.data!.me.partner?.name).toBe("Adatum IT");

    for (const operation of ["Customers", "ChannelStats", "ProviderDirectory", "Offers"]) {
      const refused = await op(operation, {}, oldToken);
      expect(refused.data, operation).toBeNull();
      expect(codes(refused), operation).toEqual(["PASSWORD_CHANGE_REQUIRED"]);
    }

    const wrongCurrent = await op<ChangePasswordData>("ChangePassword", { currentPassword: "Not-the-password-1", newPassword: chosen }, oldToken);
    expect(codes(wrongCurrent)).toEqual(["BAD_USER_INPUT"]);
    expect(wrongCurrent.errors![0].extensions?.field).toBe("currentPassword");
    expect(wrongCurrent.errors![0].message).toContain("currentPassword");

    for (const newPassword of ["Short-1", "OnlyLettersAndNoDigits", temporary]) {
      const refused = await op<ChangePasswordData>("ChangePassword", { currentPassword: temporary, newPassword }, oldToken);
      expect(codes(refused), newPassword).toEqual(["BAD_USER_INPUT"]);
      expect(refused.errors![0].extensions?.field, newPassword).toBe("newPassword");
      expect(refused.errors![0].message, newPassword).toContain("newPassword");
    }

    // Tokens carry their issue time in whole seconds and a token is refused only when issued in a
    // second before the change; a change within the sign-in's own second would leave the old
    // token valid. Waiting past the next second boundary makes the check below deterministic.
    const nextSecond = (Math.floor(signedInAt / 1000) + 1) * 1000;
    await sleep(Math.max(0, nextSecond - Date.now()) + 50);

    const changed = await op<ChangePasswordData>("ChangePassword", { currentPassword: temporary, newPassword: chosen }, oldToken);
    expect(changed.errors).toBeUndefined();
    expect(changed.data!.changePassword.user).toEqual({ id: user.id, mustChangePassword: false });
    const newToken = changed.data!.changePassword.token;
    expect(newToken).not.toBe(oldToken);

    const customers = await op<CustomersData>("Customers", { first: 20 }, newToken);
    expect(customers.errors).toBeUndefined();
    expect(customers.data!.customers.totalCount).toBeGreaterThan(0);
    const meAfter = await op<MeData>("Me", {}, newToken);
    expect(meAfter.data!.me.user.mustChangePassword).toBe(false);

    const stale = await raw(ME, `Bearer ${oldToken}`);
    expect(stale.status).toBe(401);
    expect(codes(stale.body)).toEqual(["UNAUTHENTICATED"]);

    const withOld = await signIn(user.email, temporary);
    expect(codes(withOld)).toEqual(["UNAUTHENTICATED"]);
    const withNew = await signIn(user.email, chosen);
    expect(withNew.errors).toBeUndefined();
    expect(withNew.data!.signIn.user.mustChangePassword).toBe(false);
  });

  it("when changePassword is called anonymously, then it is UNAUTHENTICATED", async () => {
    const result = await op<ChangePasswordData>("ChangePassword", { currentPassword: "whatever-123", newPassword: "Whatever-else-123" });
    expect(result.data).toBeNull();
    expect(codes(result)).toEqual(["UNAUTHENTICATED"]);
  });
});

describe("the viewer is read from the graph on every request", () => {
  it("when a user is removed, then its still-unexpired token is UNAUTHENTICATED at the next request", async () => {
    const password = "Removed-user-123";
    const user = await createAdatumUser({ agentRole: "HELPDESK_AGENT", mustChangePassword: false, password });
    const token = (await signIn(user.email, password)).data!.signIn.token;
    expect((await op<MeData>("Me", {}, token)).errors).toBeUndefined();

    await app.cypher("MATCH (u:User {id: $id}) DETACH DELETE u", { id: user.id });

    const after = await raw(ME, `Bearer ${token}`);
    expect(after.status).toBe(401);
    expect(after.body.data).toBeUndefined();
    expect(codes(after.body)).toEqual(["UNAUTHENTICATED"]);
  });

  it("when a role is changed in the graph, then the next request already uses it", async () => {
    const password = "Role-change-user-123";
    const user = await createAdatumUser({ agentRole: "HELPDESK_AGENT", mustChangePassword: false, password });
    const token = (await signIn(user.email, password)).data!.signIn.token;

    const before = await op<CustomersData>("Customers", { first: 5 }, token);
    expect(before.errors).toBeUndefined();
    expect(before.data!.customers.totalCount).toBeGreaterThan(0);

    await app.cypher("MATCH (u:User {id: $id}) SET u.agentRole = 'NONE'", { id: user.id });
    const demoted = await op<CustomersData>("Customers", { first: 5 }, token);
    expect(demoted.data).toBeNull();
    expect(codes(demoted)).toEqual(["FORBIDDEN"]);
    expect((await op<MeData>("Me", {}, token)).data!.me.user.agentRole).toBe("NONE");

    await app.cypher("MATCH (u:User {id: $id}) SET u.agentRole = 'SALES_AGENT'", { id: user.id });
    const promoted = await op<CustomersData>("Customers", { first: 5 }, token);
    expect(promoted.errors).toBeUndefined();
  });
});

describe("secrets never leave the server (T-5)", () => {
  it("when the User type is introspected, then it has no password or password hash field", async () => {
    const result = await app.gql<{ __type: { fields: { name: string }[] } }>('{ __type(name: "User") { fields { name } } }');
    expect(result.errors).toBeUndefined();
    const fields = result.data!.__type.fields.map((f) => f.name);
    expect(fields).toContain("email");
    expect(fields).not.toContain("passwordHash");
    expect(fields).not.toContain("password");
  });

  it("when the whole schema is introspected, then no type has a field named like a hash", async () => {
    const result = await app.gql<{ __schema: { types: { name: string; fields: { name: string }[] | null }[] } }>(
      "{ __schema { types { name fields { name } } } }",
    );
    expect(result.errors).toBeUndefined();
    const hashFields = result.data!.__schema.types.flatMap((t) => (t.fields ?? []).map((f) => `${t.name}.${f.name}`)).filter((f) => /hash/i.test(f));
    expect(hashFields).toEqual([]);
  });

  it("when a client asks signIn for passwordHash, then the query is refused by validation", async () => {
    const result = await app.gql(
      "mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { user { passwordHash } } }",
      { variables: { email: "ga@adatum.example", password: demoPassword } },
    );
    responses.push(JSON.stringify(result));
    expect(result.data).toBeNull();
    expect(codes(result)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
  });

  it("when every response of this file is looked at, then none carries a password hash", async () => {
    // The user list (C6) returns user nodes wholesale, the likeliest place for a hash to slip out.
    const token = (await signIn("ga@adatum.example", demoPassword)).data!.signIn.token;
    const users = await op<{ users: { totalCount: number } }>("Users", { first: 100 }, token);
    expect(users.errors).toBeUndefined();
    expect(users.data!.users.totalCount).toBeGreaterThanOrEqual(6);
    await op("Me", {}, token);
    for (const text of responses) {
      expect(text).not.toContain("scrypt$");
      expect(text).not.toMatch(/"passwordHash"\s*:/);
    }
  });
});
