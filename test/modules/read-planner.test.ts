import { afterAll, beforeAll, describe, expect, it } from "vitest";
import neo4j from "neo4j-driver";
import { hashPassword } from "../../src/shared/auth/password.js";
import { rememberPartner } from "../../src/shared/auth/viewer.js";
import { newId } from "../../src/shared/ids.js";
import { startTestApp, uniqueTag, type TestApp } from "../support/app.js";

/**
 * The read of a request planned before execution and sent with the viewer query (the read planner): one
 * statement instead of two, and never an answer the resolver would not have given. Runs on the
 * demo channel, read only, plus one throwaway user.
 */

interface CustomersData {
  customers: { totalCount: number; edges: { node: { id: string; companyName: string; partners: { id: string }[] } }[] };
}

const tag = uniqueTag();
let app: TestApp;
let adatumUserId: string;
let contosoId: string;
let adatumId: string;

beforeAll(async () => {
  app = await startTestApp();
  const [row] = await app.cypher<{ userId: string; adatumId: string }>(
    "MATCH (u:User {email: 'ga@adatum.example'})-[:MEMBER_OF]->(p:Partner) RETURN u.id AS userId, p.id AS adatumId",
  );
  adatumUserId = row!.userId;
  adatumId = row!.adatumId;
  const [contoso] = await app.cypher<{ id: string }>("MATCH (u:User {email: 'ga@contosodist.example'})-[:MEMBER_OF]->(p) RETURN p.id AS id");
  contosoId = contoso!.id;
});

afterAll(async () => {
  await app?.cypher("MATCH (n) WHERE n.testTag = $tag DETACH DELETE n", { tag });
  await app?.close();
});

describe("the request's read with the viewer query", () => {
  it("when a caller asks for its customers again, then the read goes with the viewer query (1 statement) and the answer is the same", async () => {
    const token = await app.signInOnce("ga@adatum.example");
    const first = await app.op<CustomersData>("Customers", { first: 20 }, token);
    const again = await app.op<CustomersData>("Customers", { first: 20 }, token);
    expect(first.errors).toBeUndefined();
    expect(again.queryCount).toBe(1);
    expect(again.data).toEqual(first.data);
    expect(again.data!.customers.totalCount).toBeGreaterThan(0);
  });

  it("when the organisation remembered for the caller is another one, then the caller still gets only its own customers, and the wasted read costs one statement", async () => {
    const token = await app.signInOnce("ga@adatum.example");
    const own = await app.op<CustomersData>("Customers", { first: 50 }, token);
    const contosoToken = await app.signInOnce("ga@contosodist.example");
    const contosos = await app.op<CustomersData>("Customers", { first: 50 }, contosoToken);
    expect(contosos.data!.customers.edges.map((e) => e.node.id)).not.toEqual(own.data!.customers.edges.map((e) => e.node.id));

    rememberPartner(adatumUserId, contosoId);
    const misled = await app.op<CustomersData>("Customers", { first: 50 }, token);
    expect(misled.errors).toBeUndefined();
    expect(misled.data).toEqual(own.data);
    expect(misled.queryCount).toBe(2);
    for (const { node } of misled.data!.customers.edges) expect(node.partners.map((p) => p.id)).toContain(adatumId);

    // The viewer read from the graph corrected what is remembered.
    const next = await app.op<CustomersData>("Customers", { first: 50 }, token);
    expect(next.queryCount).toBe(1);
    expect(next.data).toEqual(own.data);
  });

  it("when a role without C1 asks for customers, then it is refused and no customer comes back, though the read was planned", async () => {
    const token = await app.signInOnce("uma@adatum.example");
    for (let i = 0; i < 2; i++) {
      const response = await fetch(app.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: "query { customers(first: 20) { totalCount edges { node { id companyName } } } }" }),
      });
      const body = (await response.json()) as { data: unknown; errors?: { extensions: { code: string } }[] };
      expect(body.errors?.[0]?.extensions.code).toBe("FORBIDDEN");
      expect(body.data).toBeNull();
      expect(JSON.stringify(body)).not.toMatch(/companyName|totalCount/);
    }
  });

  it("when the caller's session ended since its last request, then the request is refused with 401 and no data", async () => {
    const email = `prefetch-${tag}@adatum.example`;
    const password = `Prefetch-Passw0rd-${tag}`;
    await app.cypher(
      `MATCH (p:Partner {id: $adatumId})
       CREATE (u:User {id: $id, email: $email, displayName: 'Prefetch Test', agentRole: 'ADMIN_AGENT', adminRole: 'NONE',
                       passwordHash: $hash, mustChangePassword: false, createdAt: datetime(), testTag: $tag})-[:MEMBER_OF]->(p)`,
      { adatumId, id: newId("User"), email, hash: await hashPassword(password), tag },
    );
    const token = await app.signIn(email, password);
    const before = await app.op<CustomersData>("Customers", { first: 5 }, token);
    expect(before.errors).toBeUndefined();

    // What a password change elsewhere does: every older token is over.
    await app.cypher("MATCH (u:User {email: $email}) SET u.sessionVersion = coalesce(u.sessionVersion, 0) + 1", { email });
    const after = await app.op<CustomersData>("Customers", { first: 5 }, token);
    expect(after.status).toBe(401);
    expect(after.data).toBeNull();
    expect(after.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("when rows are primed for a read, then only the same query with the same parameters (in any order) gets them, once; a primed failure is thrown instead of running again", async () => {
    const executor = app.executor.forRequest();
    const params = {
      viewerPartnerId: adatumId,
      id: "cus_none",
      withPartners: true,
      withSubscriptions: false,
      withChannelPaths: false,
      withDelegatedAdmin: false,
      now: neo4j.int(0),
    };
    const rows = [{ marker: "primed" }];
    executor.primePlannedRead("customers/detail", params, rows);
    expect(await executor.read("customers/detail", { ...params, viewerPartnerId: contosoId })).toEqual([]);
    expect(executor.queryCount).toBe(1);
    const reordered = Object.fromEntries(Object.entries(params).reverse());
    expect(await executor.read("customers/detail", reordered)).toBe(rows);
    expect(executor.queryCount).toBe(1);
    expect(await executor.read("customers/detail", params)).toEqual([]);
    expect(executor.queryCount).toBe(2);

    const timedOut = new Error("timed out");
    executor.primePlannedReadFailure("customers/detail", params, timedOut);
    await expect(executor.read("customers/detail", params)).rejects.toBe(timedOut);
    expect(executor.queryCount).toBe(2);
  });
});
