import type { Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDriver } from "../../src/app/database.js";
import { ServiceUnavailableError } from "../../src/shared/errors.js";
import { CONTRACT_OPERATIONS, startTestApp, uniqueTag, type TestApp } from "../support/app.js";
import { TcpProxy } from "../support/tcp-proxy.js";

/**
 * Issue 10, point 4: while Neo4j cannot be reached, /readyz says 503 and every request that needs
 * the database answers SERVICE_UNAVAILABLE (HTTP 503, JSON) within about NEO4J_UNREACHABLE_MS
 * (2 s), instead of the 10-15 s of the driver's retries; once it is back, the same requests
 * succeed without restarting the API. The app reaches the real test Neo4j through a TCP proxy on
 * 127.0.0.1 that this file "kills" (stops listening, cuts every connection) and "restarts".
 *
 * Bounded by work, not by the clock: the proxy counts the driver's connection attempts, and a
 * request gives up after a handful. The phases that wait for failures have a 10 s test timeout:
 * with the code before this change (driver retries for 10 s after a 1 s first backoff, connection
 * acquisition up to 10 s) /readyz and every write took 14-15 s to fail, so they ran out of it;
 * with the 2 s budget they take about 2 s, five times less than the timeout.
 */

const settings = inject("neo4j");
const proxy = TcpProxy.forBoltUri(settings.uri);
const tag = uniqueTag();
const DOWN_PHASE_TIMEOUT_MS = 10_000;
/**
 * Connection attempts one statement may make while every one is refused: retries stop 2 s after
 * the first failure, backoffs are >= 25, 50, 100, 200, 400, 500 ms (half of 50 ms doubling, at
 * most 1 s): at most 8 attempts start within 2 s.
 */
const MAX_ATTEMPTS_PER_STATEMENT = 8;

let app: TestApp;
let direct: Driver;
let token: string;
let origin: string;
let sequence = 0;
const mpnIds: string[] = [];
const domains: string[] = [];

interface Answer {
  status: number;
  contentType: string | null;
  body: { data?: Record<string, any> | null; errors?: { message: string; extensions?: { code?: string } }[] };
}

async function op(operationName: string, variables: Record<string, unknown>, bearer?: string): Promise<Answer> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const response = await fetch(app.url, {
    method: "POST",
    headers,
    body: JSON.stringify({ query: CONTRACT_OPERATIONS, operationName, variables }),
  });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get("content-type"), body: JSON.parse(text) as Answer["body"] };
}

async function readyz(): Promise<{ status: number; body: { status: string } }> {
  const response = await fetch(`${origin}/readyz`);
  return { status: response.status, body: (await response.json()) as { status: string } };
}

/** A query that needs the database (the viewer, then the offers). */
const offers = () => op("Offers", {}, token);
/** A write after a read (the viewer is read first). */
const createLead = () =>
  op("CreateLead", { input: { companyName: `Outage ${tag} ${++sequence}`, contactEmail: `buyer@outage-${tag}.example`, source: "OWN_MARKETING" } }, token);
/** An anonymous write whose first statement is its transaction (no viewer to read). */
function enrollPartner() {
  sequence += 1;
  const domain = `outage${sequence}-${tag}.example`;
  const mpnId = `72${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
  domains.push(domain);
  mpnIds.push(mpnId);
  return op("EnrollPartner", {
    input: {
      kind: "RESELLER",
      legalName: `Outage Reseller ${tag} ${sequence}`,
      mpnId,
      countryCode: "US",
      tenantDomain: domain,
      address: { line1: "1 Outage Way", city: "Seattle", postalCode: "98101", countryCode: "US" },
      primaryContact: { name: "Primary Contact", email: `contact@${domain}`, phone: null },
      supportContact: { email: `support@${domain}`, phone: null, website: null },
      globalAdmin: { displayName: "Global Admin", email: `admin@${domain}`, password: "Outage-Passw0rd-Test" },
    },
  });
}

function expectUnavailable(answer: Answer) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(503);
  expect(answer.contentType).toMatch(/^application\/(graphql-response\+)?json/);
  expect(answer.body.data ?? null).toBeNull();
  expect(answer.body.errors).toHaveLength(1);
  const [error] = answer.body.errors!;
  expect(error.extensions?.code).toBe("SERVICE_UNAVAILABLE");
  // Nothing of the driver's text (addresses, "Connection acquisition", Bolt) reaches the client.
  expect(error.message).not.toMatch(/127\.0\.0\.1|bolt|acquisition|ECONN|Neo4jError/i);
}

async function expectServing() {
  const [ready, read, lead, enrolled] = await Promise.all([readyz(), offers(), createLead(), enrollPartner()]);
  expect(ready).toEqual({ status: 200, body: { status: "ready" } });
  expect(read.status, JSON.stringify(read.body)).toBe(200);
  expect(read.body.errors).toBeUndefined();
  expect(read.body.data?.offers.length).toBeGreaterThan(0);
  expect(lead.body.errors).toBeUndefined();
  expect(lead.body.data?.createLead).toMatchObject({ companyName: `Outage ${tag} ${sequence - 1}`, status: "NEW" });
  expect(enrolled.body.errors).toBeUndefined();
  expect(enrolled.body.data?.enrollPartner.partner).toMatchObject({ enrollmentStatus: "PENDING_EMAIL_VERIFICATION" });
}

beforeAll(async () => {
  await proxy.start();
  // The proxy counts every connection of the app's driver: the event sequencer's background pass
  // (issue 14) would add its own attempts to a request's. Off here; what counts is the request's.
  app = await startTestApp({ EVENT_SEQUENCER_MS: "off" }, { neo4jUri: proxy.uri });
  origin = new URL(app.url).origin;
  direct = createDriver(settings, { unreachableMs: 2_000 });
  token = await app.signIn("ga@adatum.example");
});

afterAll(async () => {
  await proxy.restart().catch(() => undefined);
  if (direct) {
    await direct.executeQuery(
      `MATCH (l:Lead) WHERE l.companyName STARTS WITH $prefix
       OPTIONAL MATCH (e:AuditEvent) WHERE l.id IN e.targetIds
       DETACH DELETE e, l`,
      { prefix: `Outage ${tag} ` },
      { database: settings.database },
    );
    await direct.executeQuery(
      `MATCH (p:Partner) WHERE p.mpnId IN $mpnIds OR p.tenantDomain IN $domains
       OPTIONAL MATCH (u:User)-[:MEMBER_OF]->(p)
       OPTIONAL MATCH (e:AuditEvent) WHERE e.partnerId = p.id OR p.id IN e.targetIds
       DETACH DELETE e, u, p`,
      { mpnIds, domains },
      { database: settings.database },
    );
    await direct.close();
  }
  await app?.close();
  await proxy.kill();
});

describe("when Neo4j is killed and restarted under a running API (issue 10, point 4)", () => {
  it("when Neo4j answers, then /readyz is 200 and a query, a write after a read and an anonymous write succeed", async () => {
    await expectServing();
  });

  it(
    "when Neo4j is killed, then /readyz is 503 and the query and both writes answer SERVICE_UNAVAILABLE (HTTP 503, JSON), within the budget",
    async () => {
      await proxy.kill();
      const [ready, health, read, lead, enrolled] = await Promise.all([
        readyz(),
        fetch(`${origin}/healthz`),
        offers(),
        createLead(),
        enrollPartner(),
      ]);
      expect(ready).toEqual({ status: 503, body: { status: "neo4j unavailable" } });
      expect(health.status).toBe(200);
      expectUnavailable(read);
      expectUnavailable(lead);
      expectUnavailable(enrolled);
    },
    DOWN_PHASE_TIMEOUT_MS,
  );

  it("when Neo4j is back on the same address, then the same requests succeed without restarting the API", async () => {
    await proxy.restart();
    await expectServing();
  });

  it(
    "when every connection is refused, then a write gives up after a few attempts, before anything ran",
    async () => {
      proxy.refuse();
      const before = proxy.accepted;
      const executor = app.executor.forRequest({ operation: "outage-test" });
      const write = executor.write("leads/create", {
        viewerPartnerId: "ptn_nothing-matches",
        id: "led_never",
        now: 0,
        companyName: "never",
        contactEmail: "never@outage.example",
        source: "OWN_MARKETING",
      });
      await expect(write).rejects.toBeInstanceOf(ServiceUnavailableError);
      const attempts = proxy.accepted - before;
      expect(attempts).toBeGreaterThanOrEqual(2);
      expect(attempts).toBeLessThanOrEqual(MAX_ATTEMPTS_PER_STATEMENT);
    },
    DOWN_PHASE_TIMEOUT_MS,
  );

  it(
    "when a request has found Neo4j unreachable for longer than its 2 s, then its next statement is tried once",
    async () => {
      const executor = app.executor.forRequest({ operation: "outage-test" });
      await expect(executor.read("offers/list", {})).rejects.toBeInstanceOf(ServiceUnavailableError);
      // Waiting is not measured: it only makes sure the request's 2 s are over.
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const before = proxy.accepted;
      await expect(executor.read("offers/list", {})).rejects.toBeInstanceOf(ServiceUnavailableError);
      expect(proxy.accepted - before).toBe(1);
    },
    DOWN_PHASE_TIMEOUT_MS,
  );

  it(
    "when every connection is refused, then a request answers SERVICE_UNAVAILABLE after a few attempts and /readyz after one",
    async () => {
      let before = proxy.accepted;
      expectUnavailable(await offers());
      expect(proxy.accepted - before).toBeGreaterThanOrEqual(2);
      expect(proxy.accepted - before).toBeLessThanOrEqual(MAX_ATTEMPTS_PER_STATEMENT);
      before = proxy.accepted;
      expect(await readyz()).toEqual({ status: 503, body: { status: "neo4j unavailable" } });
      expect(proxy.accepted - before).toBe(1);
    },
    DOWN_PHASE_TIMEOUT_MS,
  );

  it(
    "when Neo4j accepts connections but never answers, then /readyz is 503 and a request answers SERVICE_UNAVAILABLE after one wait for a connection",
    async () => {
      proxy.hang();
      const before = proxy.accepted;
      const [ready, read] = await Promise.all([readyz(), offers()]);
      expect(ready).toEqual({ status: 503, body: { status: "neo4j unavailable" } });
      // The pool's acquisition timeout (2 s, the driver's one error without a code) is the whole
      // of the request's budget for an unreachable Neo4j: no second attempt.
      expectUnavailable(read);
      expect(proxy.accepted - before).toBeLessThanOrEqual(2);
    },
    DOWN_PHASE_TIMEOUT_MS,
  );

  it("when connections are served again, then requests succeed at once", async () => {
    proxy.serve();
    await expectServing();
  });
});
