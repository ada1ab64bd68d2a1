import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../src/shared/ids.js";
import { startTestApp, uniqueTag, tokenGetter, type GqlResult, type TestApp } from "../support/app.js";
import { createChannel, type Channel, holdersOf } from "../support/fixtures.js";

interface UserView {
  id: string;
  email: string;
  displayName: string;
  agentRole: string;
  adminRole: string;
  mustChangePassword: boolean;
}
interface AddUserData {
  addUser: { user: UserView; temporaryPassword: string };
}
interface ResetData {
  resetUserPassword: { user: { id: string; mustChangePassword: boolean }; temporaryPassword: string };
}
interface RolesData {
  updateUserRoles: { id: string; agentRole: string; adminRole: string };
}
interface UsersData {
  users: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { cursor: string; node: UserView }[] };
}
interface ChangePasswordData {
  changePassword: { token: string; user: { id: string; mustChangePassword: boolean } };
}

let app: TestApp;
let channel: Channel;
const tag = uniqueTag();
/** Every temporary password this file saw: none may be stored anywhere (T-5). */
const temporaryPasswords: string[] = [];

beforeAll(async () => {
  app = await startTestApp();
  channel = await createChannel(app, `ua${tag}`);
});
afterAll(async () => {
  if (channel) {
    // Users this file added carry no fixture tag: remove every member of the fixture partners first.
    await app.cypher(
      "MATCH (u:User)-[:MEMBER_OF]->(p:Partner) WHERE p.id IN $ids DETACH DELETE u",
      { ids: [channel.provider.id, channel.reseller.id] },
    );
    await channel.remove();
  }
  await app?.close();
});

const tokenOf = tokenGetter(() => app, () => channel.password);

const resellerGa = () => tokenOf(channel.resellerUsers.ga);
const resellerUma = () => tokenOf(channel.resellerUsers.uma);

async function userIdOf(email: string): Promise<string> {
  const [row] = await app.cypher<{ id: string }>("MATCH (u:User {email: $email}) RETURN u.id AS id", { email });
  return row.id;
}

function expectError(result: GqlResult<unknown>, code: string, field?: string): { message: string; extensions?: Record<string, unknown> } {
  expect(result.errors, JSON.stringify(result.errors)).toHaveLength(1);
  const [error] = result.errors!;
  expect(error.extensions?.code, error.message).toBe(code);
  if (field) {
    expect(error.message).toContain(field);
    expect(error.extensions?.field).toBe(field);
  }
  return error;
}

async function auditEvents(targetId: string, operation: string): Promise<{ actorEmail: string; partnerId: string; props: Record<string, unknown> }[]> {
  return app.cypher(
    `MATCH (e:AuditEvent) WHERE $id IN e.targetIds AND e.operation = $operation
     RETURN e.actorEmail AS actorEmail, e.partnerId AS partnerId, properties(e) AS props`,
    { id: targetId, operation },
  );
}


async function addUser(token: string, input: Record<string, unknown>): Promise<GqlResult<AddUserData>> {
  const result = await app.op<AddUserData>("AddUser", { input }, token);
  if (result.data?.addUser) temporaryPasswords.push(result.data.addUser.temporaryPassword);
  return result;
}

/** A new user of the reseller, added by its global admin; returns the id and the temporary password. */
async function newResellerUser(local: string, agentRole = "SALES_AGENT", adminRole = "NONE"): Promise<{ id: string; email: string; password: string }> {
  const email = `${local}@${channel.reseller.domain}`;
  const result = await addUser(await resellerGa(), { displayName: `${local} ${tag}`, email, agentRole, adminRole });
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return { id: result.data!.addUser.user.id, email, password: result.data!.addUser.temporaryPassword };
}

/** Signs in with a temporary password and changes it; returns a working token. */
async function activate(email: string, temporaryPassword: string): Promise<string> {
  const token = await app.signIn(email, temporaryPassword);
  const changed = await app.op<ChangePasswordData>(
    "ChangePassword",
    { currentPassword: temporaryPassword, newPassword: `Changed-${tag}-Passw0rd` },
    token,
  );
  expect(changed.errors, JSON.stringify(changed.errors)).toBeUndefined();
  return changed.data!.changePassword.token;
}

async function allUsers(token: string): Promise<{ nodes: UserView[]; raw: string }> {
  const result = await app.op<UsersData>("Users", { first: 100 }, token);
  expect(result.errors).toBeUndefined();
  return { nodes: result.data!.users.edges.map((e) => e.node), raw: JSON.stringify(result) };
}

// ---------------------------------------------------------------- addUser

describe("addUser (C6, D-6)", () => {
  it("D-6: when a global admin adds a user, then the temporary password is returned once, `Users` never shows it and only its scrypt hash is stored", async () => {
    const email = `new.sales@${channel.reseller.domain}`;
    const result = await addUser(await resellerGa(), { displayName: "  New Sales  ", email: email.toUpperCase(), agentRole: "SALES_AGENT", adminRole: "NONE" });
    expect(result.errors).toBeUndefined();
    const { user, temporaryPassword } = result.data!.addUser;
    expect(user).toEqual({
      id: expect.any(String),
      email,
      displayName: "New Sales",
      agentRole: "SALES_AGENT",
      adminRole: "NONE",
      mustChangePassword: true,
    });
    expect(temporaryPassword).toMatch(/^[A-Za-z0-9]{16}$/);

    const listed = await allUsers(await resellerGa());
    expect(listed.nodes.find((u) => u.id === user.id)).toMatchObject({ email, mustChangePassword: true });
    expect(listed.raw).not.toContain(temporaryPassword);

    const [stored] = await app.cypher<{ hash: string; member: boolean }>(
      "MATCH (u:User {id: $id}) RETURN u.passwordHash AS hash, EXISTS { (u)-[:MEMBER_OF]->(:Partner {id: $org}) } AS member",
      { id: user.id, org: channel.reseller.id },
    );
    expect(stored.hash).toMatch(/^scrypt\$/);
    expect(stored.member).toBe(true);
    expect(await holdersOf(app, temporaryPassword)).toBe(0);

    const events = await auditEvents(user.id, "addUser");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorEmail: channel.resellerUsers.ga, partnerId: channel.reseller.id });
    expect(JSON.stringify(events[0].props)).not.toContain(temporaryPassword);
  });

  it("D-6, T-6: when the new user signs in with the temporary password, then Customers is PASSWORD_CHANGE_REQUIRED until they change it, then it works", async () => {
    const created = await newResellerUser(`first.login.${tag}`);
    const token = await app.signIn(created.email, created.password);
    const me = await app.op<{ me: { user: UserView } }>("Me", {}, token);
    expect(me.data!.me.user).toMatchObject({ id: created.id, mustChangePassword: true });
    expectError(await app.op("Customers", { first: 5 }, token), "PASSWORD_CHANGE_REQUIRED");

    const fresh = await activate(created.email, created.password);
    const customers = await app.op<{ customers: { totalCount: number } }>("Customers", { first: 20 }, fresh);
    expect(customers.errors).toBeUndefined();
    expect(customers.data!.customers.totalCount).toBe(channel.sharedCustomers.length + 1);
    // The temporary password is spent.
    await expect(app.signIn(created.email, created.password)).rejects.toThrow();
  });

  it("D-6: when the email is already a user's (in another organisation, in another letter case), then CONFLICT names input.email", async () => {
    for (const email of [channel.providerUsers.aa, channel.resellerUsers.sa.toUpperCase(), "ga@contosodist.example"]) {
      const result = await addUser(await resellerGa(), { displayName: "Dup", email, agentRole: "NONE", adminRole: "NONE" });
      expectError(result, "CONFLICT", "input.email");
    }
  });

  it("D-6: when two adds of one new email race, then one user is created and the other request is CONFLICT naming input.email", async () => {
    const email = `race.${tag}@${channel.reseller.domain}`;
    const token = await resellerGa();
    const results = await Promise.all([0, 1].map(() => addUser(token, { displayName: "Race", email, agentRole: "NONE", adminRole: "NONE" })));
    expect(results.filter((r) => r.errors === undefined)).toHaveLength(1);
    expectError(results.find((r) => r.errors !== undefined)!, "CONFLICT", "input.email");
    const [row] = await app.cypher<{ n: number }>("MATCH (u:User {email: $email}) RETURN count(u) AS n", { email });
    expect(Number(row.n)).toBe(1);
  });

  it.each([
    ["input.email", { displayName: "X", email: "not-an-email" }],
    ["input.displayName", { displayName: "   ", email: "blank@x.example" }],
  ])("when %s is invalid, then BAD_USER_INPUT names it", async (field, input) => {
    const result = await addUser(await resellerGa(), { agentRole: "NONE", adminRole: "NONE", ...input });
    expectError(result, "BAD_USER_INPUT", field);
  });

  it("C6 (product decision): when a user management admin creates a global admin, then FORBIDDEN naming C6, and nothing is created", async () => {
    const email = `uma.made.ga.${tag}@${channel.reseller.domain}`;
    const result = await addUser(await resellerUma(), { displayName: "Would-be GA", email, agentRole: "ADMIN_AGENT", adminRole: "GLOBAL_ADMIN" });
    const error = expectError(result, "FORBIDDEN");
    expect(error.extensions?.capability).toBe("C6");
    expect(error.message).toContain("C6");
    expect(await app.cypher("MATCH (u:User {email: $email}) RETURN u", { email })).toHaveLength(0);
  });

  it("C6: when a user management admin adds an admin agent, then it works", async () => {
    const result = await addUser(await resellerUma(), {
      displayName: "UMA made",
      email: `uma.made.${tag}@${channel.reseller.domain}`,
      agentRole: "ADMIN_AGENT",
      adminRole: "USER_MANAGEMENT_ADMIN",
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.addUser.user).toMatchObject({ agentRole: "ADMIN_AGENT", adminRole: "USER_MANAGEMENT_ADMIN", mustChangePassword: true });
    expect(await auditEvents(result.data!.addUser.user.id, "addUser")).toHaveLength(1);
  });

  it.each(["aa", "sa", "ha", "none"])("C6: when a %s user adds a user, then FORBIDDEN", async (role) => {
    const result = await addUser(await tokenOf(channel.resellerUsers[role]), {
      displayName: "Nope",
      email: `nope.${role}.${tag}@${channel.reseller.domain}`,
      agentRole: "NONE",
      adminRole: "NONE",
    });
    expect(expectError(result, "FORBIDDEN").extensions?.capability).toBe("C6");
  });
});

// ---------------------------------------------------------------- updateUserRoles

describe("updateUserRoles (C6, D-5, D-7)", () => {
  it("D-7: when a global admin changes a user's roles, then both are changed and one audit event is written", async () => {
    const target = await newResellerUser(`roles.${tag}`);
    const result = await app.op<RolesData>("UpdateUserRoles", { userId: target.id, agentRole: "HELPDESK_AGENT", adminRole: "USER_MANAGEMENT_ADMIN" }, await resellerGa());
    expect(result.errors).toBeUndefined();
    expect(result.data!.updateUserRoles).toEqual({ id: target.id, agentRole: "HELPDESK_AGENT", adminRole: "USER_MANAGEMENT_ADMIN" });
    expect(await auditEvents(target.id, "updateUserRoles")).toHaveLength(1);
  });

  it("T-4: when the user id is another organisation's (the fixture provider's, a demo user's) or unknown, then NOT_FOUND and nothing changes", async () => {
    const ids = [await userIdOf(channel.providerUsers.sa), await userIdOf("sa@adatum.example"), newId("User")];
    for (const userId of ids) {
      expectError(await app.op("UpdateUserRoles", { userId, agentRole: "ADMIN_AGENT", adminRole: "GLOBAL_ADMIN" }, await resellerGa()), "NOT_FOUND");
      expectError(await app.op("ResetUserPassword", { userId }, await resellerGa()), "NOT_FOUND");
      expectError(await app.op("RemoveUser", { userId }, await resellerGa()), "NOT_FOUND");
    }
    const [demo] = await app.cypher<{ agentRole: string; adminRole: string }>(
      "MATCH (u:User {email: 'sa@adatum.example'}) RETURN u.agentRole AS agentRole, u.adminRole AS adminRole",
    );
    expect(demo).toEqual({ agentRole: "SALES_AGENT", adminRole: "NONE" });
  });

  it("C6 (product decision): when a user management admin grants or removes GLOBAL_ADMIN, then FORBIDDEN naming C6", async () => {
    const target = await newResellerUser(`uma.target.${tag}`);
    const grant = await app.op("UpdateUserRoles", { userId: target.id, agentRole: "NONE", adminRole: "GLOBAL_ADMIN" }, await resellerUma());
    expect(expectError(grant, "FORBIDDEN").extensions?.capability).toBe("C6");
    const gaId = await userIdOf(channel.resellerUsers.ga);
    const demote = await app.op("UpdateUserRoles", { userId: gaId, agentRole: "ADMIN_AGENT", adminRole: "NONE" }, await resellerUma());
    expect(expectError(demote, "FORBIDDEN").extensions?.capability).toBe("C6");
    // Other roles are the user management admin's to change.
    const ok = await app.op<RolesData>("UpdateUserRoles", { userId: target.id, agentRole: "HELPDESK_AGENT", adminRole: "NONE" }, await resellerUma());
    expect(ok.errors).toBeUndefined();
  });
});

// ---------------------------------------------------------------- resetUserPassword

describe("resetUserPassword (C6, D-6)", () => {
  it("D-6: when a global admin resets a password, then a new temporary password is returned once, the old one stops working and the user must change it", async () => {
    const created = await newResellerUser(`reset.${tag}`);
    const working = await activate(created.email, created.password);
    // Token times are whole seconds: a reset in the second the token was issued would not end it.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const result = await app.op<ResetData>("ResetUserPassword", { userId: created.id }, await resellerGa());
    expect(result.errors).toBeUndefined();
    const { user, temporaryPassword } = result.data!.resetUserPassword;
    temporaryPasswords.push(temporaryPassword);
    expect(user).toEqual({ id: created.id, mustChangePassword: true });
    expect(temporaryPassword).not.toBe(created.password);

    await expect(app.signIn(created.email, `Changed-${tag}-Passw0rd`)).rejects.toThrow();
    // The sessions of the old password end.
    expectError(await app.op("Me", {}, working), "UNAUTHENTICATED");
    const token = await app.signIn(created.email, temporaryPassword);
    expectError(await app.op("Customers", { first: 1 }, token), "PASSWORD_CHANGE_REQUIRED");
    expect(await holdersOf(app, temporaryPassword)).toBe(0);
    const events = await auditEvents(created.id, "resetUserPassword");
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events[0].props)).not.toContain(temporaryPassword);
  });

  it("C6 (product decision): when a user management admin resets a global admin's password, then FORBIDDEN (it would let them sign in as the global admin)", async () => {
    const gaId = await userIdOf(channel.resellerUsers.ga);
    expect(expectError(await app.op("ResetUserPassword", { userId: gaId }, await resellerUma()), "FORBIDDEN").extensions?.capability).toBe("C6");
  });
});

// ---------------------------------------------------------------- removeUser and the last global admin

describe("removeUser and the last global admin (C6, D-5)", () => {
  it("D-6: when a global admin removes a user, then true, the user is gone from `Users` and can no longer sign in", async () => {
    const created = await newResellerUser(`remove.${tag}`);
    const result = await app.op<{ removeUser: boolean }>("RemoveUser", { userId: created.id }, await resellerGa());
    expect(result.errors).toBeUndefined();
    expect(result.data!.removeUser).toBe(true);
    expect((await allUsers(await resellerGa())).nodes.map((u) => u.id)).not.toContain(created.id);
    await expect(app.signIn(created.email, created.password)).rejects.toThrow();
    expect(await auditEvents(created.id, "removeUser")).toHaveLength(1);
    expectError(await app.op("RemoveUser", { userId: created.id }, await resellerGa()), "NOT_FOUND");
  });

  it("when the organisation's only global admin demotes or removes themselves, then CONFLICT and they stay global admin", async () => {
    const gaId = await userIdOf(channel.resellerUsers.ga);
    const demote = expectError(await app.op("UpdateUserRoles", { userId: gaId, agentRole: "ADMIN_AGENT", adminRole: "NONE" }, await resellerGa()), "CONFLICT");
    expect(demote.message).toContain("last global admin");
    const remove = expectError(await app.op("RemoveUser", { userId: gaId }, await resellerGa()), "CONFLICT");
    expect(remove.message).toContain("last global admin");
    const [row] = await app.cypher<{ adminRole: string }>("MATCH (u:User {id: $id}) RETURN u.adminRole AS adminRole", { id: gaId });
    expect(row.adminRole).toBe("GLOBAL_ADMIN");
    expect(await auditEvents(gaId, "updateUserRoles")).toHaveLength(0);
    expect(await auditEvents(gaId, "removeUser")).toHaveLength(0);
  });

  it("D-5: when a global admin without an agent role grants themselves ADMIN_AGENT, then it works", async () => {
    const second = await newResellerUser(`second.ga.${tag}`, "NONE", "GLOBAL_ADMIN");
    const token = await activate(second.email, second.password);
    const result = await app.op<RolesData>("UpdateUserRoles", { userId: second.id, agentRole: "ADMIN_AGENT", adminRole: "GLOBAL_ADMIN" }, token);
    expect(result.errors).toBeUndefined();
    expect(result.data!.updateUserRoles).toEqual({ id: second.id, agentRole: "ADMIN_AGENT", adminRole: "GLOBAL_ADMIN" });
    // Removing yourself is allowed while another global admin remains.
    const removed = await app.op<{ removeUser: boolean }>("RemoveUser", { userId: second.id }, token);
    expect(removed.errors).toBeUndefined();
    expect(removed.data!.removeUser).toBe(true);
    expectError(await app.op("Me", {}, token), "UNAUTHENTICATED");
  });

  /** The fixture reseller's global admins, counted in the graph. */
  async function resellerGlobalAdmins(): Promise<number> {
    const [row] = await app.cypher<{ n: number }>(
      "MATCH (u:User {adminRole: 'GLOBAL_ADMIN'})-[:MEMBER_OF]->(:Partner {id: $id}) RETURN count(u) AS n",
      { id: channel.reseller.id },
    );
    return Number(row.n);
  }

  /** Back to one global admin (the fixture's), so the next test starts from a known state. */
  async function restoreFixtureGa(fixtureGa: string, racers: string[]): Promise<void> {
    await app.cypher("MATCH (u:User {id: $id}) SET u.adminRole = 'GLOBAL_ADMIN'", { id: fixtureGa });
    await app.cypher("MATCH (u:User) WHERE u.id IN $ids DETACH DELETE u", { ids: racers });
  }

  it("when two global admins demote each other at the same time, then exactly one demotion succeeds and a global admin remains", async () => {
    const a = await newResellerUser(`race.a.${tag}`, "ADMIN_AGENT", "GLOBAL_ADMIN");
    const b = await newResellerUser(`race.b.${tag}`, "ADMIN_AGENT", "GLOBAL_ADMIN");
    const [tokenA, tokenB] = await Promise.all([activate(a.email, a.password), activate(b.email, b.password)]);
    // The fixture's own global admin steps aside first, so a and b are the only two.
    const fixtureGa = await userIdOf(channel.resellerUsers.ga);
    expect((await app.op("UpdateUserRoles", { userId: fixtureGa, agentRole: "ADMIN_AGENT", adminRole: "NONE" }, tokenA)).errors).toBeUndefined();
    try {
      const results = await Promise.all([
        app.op("UpdateUserRoles", { userId: b.id, agentRole: "ADMIN_AGENT", adminRole: "NONE" }, tokenA),
        app.op("UpdateUserRoles", { userId: a.id, agentRole: "ADMIN_AGENT", adminRole: "NONE" }, tokenB),
      ]);
      expect(results.filter((r) => r.errors === undefined)).toHaveLength(1);
      const failed = results.find((r) => r.errors !== undefined)!;
      // The loser either lost its own global admin role first (FORBIDDEN) or found the other to be the last one (CONFLICT).
      expect(["FORBIDDEN", "CONFLICT"]).toContain(failed.errors![0].extensions?.code);
      expect(await resellerGlobalAdmins()).toBe(1);
    } finally {
      await restoreFixtureGa(fixtureGa, [a.id, b.id]);
    }
  });

  it("when two global admins remove each other at the same time, then exactly one removal succeeds and a global admin remains", async () => {
    // The fixture's GA is not involved: it is demoted in the graph for the race and restored after.
    const a = await newResellerUser(`rm.a.${tag}`, "ADMIN_AGENT", "GLOBAL_ADMIN");
    const b = await newResellerUser(`rm.b.${tag}`, "ADMIN_AGENT", "GLOBAL_ADMIN");
    const [tokenA, tokenB] = await Promise.all([activate(a.email, a.password), activate(b.email, b.password)]);
    const fixtureGa = await userIdOf(channel.resellerUsers.ga);
    await app.cypher("MATCH (u:User {id: $id}) SET u.adminRole = 'NONE'", { id: fixtureGa });
    try {
      const results = await Promise.all([
        app.op("RemoveUser", { userId: b.id }, tokenA),
        app.op("RemoveUser", { userId: a.id }, tokenB),
      ]);
      expect(results.filter((r) => r.errors === undefined)).toHaveLength(1);
      expect(await resellerGlobalAdmins()).toBe(1);
    } finally {
      await restoreFixtureGa(fixtureGa, [a.id, b.id]);
    }
  });
});

describe("secrets (T-5)", () => {
  it("when every temporary password of this file is searched in the graph, then none is stored anywhere (nodes, edges, audit events)", async () => {
    expect(temporaryPasswords.length).toBeGreaterThan(5);
    for (const password of temporaryPasswords) expect(await holdersOf(app, password)).toBe(0);
  });
});
