import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTRACT_OPERATIONS, operationOf, startTestApp, uniqueTag, type TestApp } from "../support/app.js";
import { createChannel, type Channel } from "../support/fixtures.js";
import { apiProcesses, gqlAt, signInAt } from "../support/processes.js";

/**
 * Revocation is shared state (issue 15 part 4): a user's roles, membership and session version are
 * read from Neo4j with every request (auth/viewer), never kept by a process, so a change made
 * through one API process is refused by every other at its next request, with no wait. Two real
 * API processes (`src/main.ts` twice, as two machines or two WEB_CONCURRENCY workers would be) on
 * the test Neo4j: the change is made through A, and the very next request through B (sent as soon
 * as A answered, with no poll and no pause) is refused. Both processes have seen the token first,
 * so each holds it in its verified-token cache (src/shared/auth/jwt.ts) and has remembered the
 * caller's organisation (src/shared/auth/viewer.ts): neither cache decides.
 */

const processes = apiProcesses();
let app: TestApp;
let channel: Channel;
let a: string;
let b: string;

const op = (name: string) => operationOf(CONTRACT_OPERATIONS, name);

beforeAll(async () => {
  app = await startTestApp();
  channel = await createChannel(app, uniqueTag());
  [a, b] = await Promise.all([processes.start({}), processes.start({})]);
}, 180_000);

afterAll(async () => {
  await processes.stopAll();
  await channel?.remove();
  await app?.close();
});

async function userId(url: string, token: string): Promise<string> {
  const me = await gqlAt<{ me: { user: { id: string } } }>(url, op("Me"), {}, token, "Me");
  if (!me.data) throw new Error(`me failed: ${JSON.stringify(me.errors)}`);
  return me.data.me.user.id;
}

async function customers(url: string, token: string) {
  return gqlAt<{ customers: { totalCount: number } }>(url, op("Customers"), { first: 5 }, token, "Customers");
}

describe("a change made through one API process is refused by every process at once", () => {
  it("when a sales agent's roles are set to NONE through A, then the next Customers through B is FORBIDDEN (C1), and through A too", async () => {
    const admin = await signInAt(a, channel.resellerUsers.ga, channel.password);
    const agent = await signInAt(a, channel.resellerUsers.sa, channel.password);
    const id = await userId(a, agent);
    for (const url of [a, b]) expect((await customers(url, agent)).data?.customers.totalCount).toBeGreaterThan(0);

    const changed = await gqlAt(a, op("UpdateUserRoles"), { userId: id, agentRole: "NONE", adminRole: "NONE" }, admin, "UpdateUserRoles");
    expect(changed.errors).toBeUndefined();

    for (const url of [b, a]) {
      const refused = await customers(url, agent);
      expect(refused.data?.customers ?? null).toBeNull();
      expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    }
  });

  it("when a user's password is reset through A, then the next request with their older token through B is UNAUTHENTICATED", async () => {
    const admin = await signInAt(a, channel.resellerUsers.ga, channel.password);
    const helpdesk = await signInAt(b, channel.resellerUsers.ha, channel.password);
    const id = await userId(b, helpdesk);
    for (const url of [a, b]) expect((await customers(url, helpdesk)).errors).toBeUndefined();

    const reset = await gqlAt(a, op("ResetUserPassword"), { userId: id }, admin, "ResetUserPassword");
    expect(reset.errors).toBeUndefined();

    for (const url of [b, a]) {
      const refused = await customers(url, helpdesk);
      expect(refused.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    }
  });

  it("when a user is removed through A, then the next request with their token through B is UNAUTHENTICATED", async () => {
    const admin = await signInAt(a, channel.resellerUsers.ga, channel.password);
    const agent = await signInAt(b, channel.resellerUsers.aa, channel.password);
    const id = await userId(b, agent);
    for (const url of [a, b]) expect((await customers(url, agent)).errors).toBeUndefined();

    const removed = await gqlAt<{ removeUser: boolean }>(a, op("RemoveUser"), { userId: id }, admin, "RemoveUser");
    expect(removed.errors).toBeUndefined();

    for (const url of [b, a]) {
      const refused = await customers(url, agent);
      expect(refused.data?.customers ?? null).toBeNull();
      expect(refused.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    }
  });
});
