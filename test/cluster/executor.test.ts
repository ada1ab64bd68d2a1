import { randomUUID } from "node:crypto";
import type { SessionConfig } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONSISTENCY_TOKEN_LIMITS } from "../../src/shared/neo4j/consistency-token.js";
import { CONTRACT_OPERATIONS, startTestApp, type TestApp } from "../support/app.js";
import { expectJsonRefusal, post, type Raw } from "../support/http.js";
import { bookmarksOf, futureBookmark, otherDatabaseBookmark, signedToken } from "./bookmarks.js";

/**
 * Issue 15, parts 1-3, in one process on the real test Neo4j: every session the executor opens
 * has the process's bookmark manager and the access mode of its work; a write's response carries
 * X-Consistency-Token, a request sending it back starts its sessions with those bookmarks; a
 * malformed token is BAD_REQUEST; a token naming writes the database does not have is
 * CONSISTENCY_UNAVAILABLE. The sessions are observed by wrapping `driver.session` (what the
 * executor asks the driver for); every query still runs on Neo4j.
 */

interface Opened {
  mode: string | undefined;
  bookmarkManager: unknown;
  bookmarks: string[];
  disableAutoCommitRetries: boolean | undefined;
  /** x-request-id of the transactions run in it (from their metadata). */
  requestIds: Set<string>;
}

let app: TestApp;
let token: string;
const opened: Opened[] = [];
const tag = randomUUID().slice(0, 8);
let sequence = 0;
/** The request budget of this app: the wait for an unknown bookmark ends there. */
const BUDGET_MS = 3_000;

function record(app: TestApp): void {
  const driver = app.driver;
  const original = driver.session.bind(driver);
  driver.session = ((config: SessionConfig = {}) => {
    const session = original(config);
    const entry: Opened = {
      mode: config.defaultAccessMode,
      bookmarkManager: config.bookmarkManager,
      bookmarks: ([] as string[]).concat(config.bookmarks ?? []),
      disableAutoCommitRetries: config.disableAutoCommitRetries,
      requestIds: new Set(),
    };
    opened.push(entry);
    const note = (txConfig?: { metadata?: Record<string, unknown> }) => {
      const id = txConfig?.metadata?.requestId;
      if (typeof id === "string") entry.requestIds.add(id);
    };
    const run = session.run.bind(session);
    session.run = ((query: string, params?: Record<string, unknown>, txConfig?: { metadata?: Record<string, unknown> }) => {
      note(txConfig);
      return run(query, params, txConfig);
    }) as typeof session.run;
    const begin = session.beginTransaction.bind(session);
    session.beginTransaction = ((txConfig?: { metadata?: Record<string, unknown> }) => {
      note(txConfig);
      return begin(txConfig);
    }) as typeof session.beginTransaction;
    return session;
  }) as typeof driver.session;
}

/** The sessions opened for one request (by the x-request-id this test sent). */
const sessionsOf = (requestId: string) => opened.filter((s) => s.requestIds.has(requestId));

function operation(name: string, variables: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Raw> {
  return post(app.url, JSON.stringify({ query: CONTRACT_OPERATIONS, operationName: name, variables }), { authorization: `Bearer ${token}`, ...headers });
}

const createLead = (headers: Record<string, string> = {}) =>
  operation("CreateLead", { input: { companyName: `Consistency ${tag} ${++sequence}`, contactEmail: `buyer@consistency-${tag}.example`, source: "OWN_MARKETING" } }, headers);
const leads = (headers: Record<string, string> = {}) => operation("Leads", { first: 100 }, headers);

beforeAll(async () => {
  // Without the event sequencer's background pass: its sessions are not a request's.
  app = await startTestApp({ EVENT_SEQUENCER_MS: "off", REQUEST_BUDGET_MS: String(BUDGET_MS) });
  record(app);
  token = await app.signIn("ga@adatum.example");
});

afterAll(async () => {
  await app?.cypher(
    `MATCH (l:Lead) WHERE l.companyName STARTS WITH $prefix
     OPTIONAL MATCH (e:AuditEvent) WHERE l.id IN e.targetIds
     DETACH DELETE e, l`,
    { prefix: `Consistency ${tag} ` },
  );
  await app?.close();
});

describe("executor sessions (issue 15, parts 1 and 3)", () => {
  it("when a query runs, then every session it opens is READ, with the process's bookmark manager and no driver retry", async () => {
    const requestId = `cons-read-${tag}`;
    const result = await leads({ "x-request-id": requestId });
    expect(result.json?.errors, result.text).toBeUndefined();
    const sessions = sessionsOf(requestId);
    expect(sessions.length).toBeGreaterThan(0);
    for (const session of sessions) {
      expect(session.mode).toBe("READ");
      expect(session.bookmarkManager).toBe(app.executor.bookmarkManager);
      expect(session.disableAutoCommitRetries).toBe(true);
    }
    // A read-only request hands out no token.
    expect(result.headers.get("x-consistency-token")).toBeNull();
  });

  it("when a mutation runs, then its viewer read is READ and its write WRITE, each with the bookmark manager, and the write's bookmark is in the manager", async () => {
    const requestId = `cons-write-${tag}`;
    const result = await createLead({ "x-request-id": requestId });
    expect(result.json?.errors, result.text).toBeUndefined();
    const sessions = sessionsOf(requestId);
    expect(sessions.map((s) => s.mode)).toEqual(["READ", "WRITE"]);
    for (const session of sessions) expect(session.bookmarkManager).toBe(app.executor.bookmarkManager);
    const tokenHeader = result.headers.get("x-consistency-token");
    expect(tokenHeader).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const written = bookmarksOf(tokenHeader!);
    expect(written.length).toBeGreaterThan(0);
    // Part 1: the next session of this process starts from this write (or a later one).
    const held = [...(await app.executor.bookmarkManager.getBookmarks())];
    expect(held.length).toBeGreaterThan(0);
    expect(held).not.toContain("");
  });

  it("when the ping of /readyz runs, then its session is READ and sends no bookmarks (it reads no data)", async () => {
    const before = opened.length;
    const response = await fetch(new URL("/readyz", app.url));
    expect(response.status).toBe(200);
    const pings = opened.slice(before).filter((s) => s.requestIds.size === 0);
    expect(pings.length).toBeGreaterThan(0);
    for (const ping of pings) {
      expect(ping.mode).toBe("READ");
      expect(ping.bookmarkManager).toBeUndefined();
    }
  });

  it("when a write statement runs in a READ session, then Neo4j refuses it (so a wrong access mode cannot pass the tests)", async () => {
    const session = app.driver.session({ database: app.executor["options"].database, defaultAccessMode: "READ" });
    try {
      await expect(session.run("CREATE (n:ConsistencyModeProbe) DELETE n")).rejects.toMatchObject({ code: "Neo.ClientError.Statement.AccessMode" });
    } finally {
      await session.close();
    }
  });
});

describe("X-Consistency-Token in one process (issue 15, part 2)", () => {
  it("when a request sends back a write's token, then its sessions start with those bookmarks and it sees the write, with no extra statement", async () => {
    const wrote = await createLead();
    const companyName = `Consistency ${tag} ${sequence}`;
    const consistency = wrote.headers.get("x-consistency-token")!;
    const plain = await leads();
    const requestId = `cons-carry-${tag}`;
    const carried = await leads({ "x-consistency-token": consistency, "x-request-id": requestId });
    expect(carried.json?.errors, carried.text).toBeUndefined();
    const names = (carried.json?.data as { leads: { edges: { node: { companyName: string } }[] } }).leads.edges.map((e) => e.node.companyName);
    expect(names).toContain(companyName);
    for (const session of sessionsOf(requestId)) expect(session.bookmarks).toEqual(bookmarksOf(consistency));
    // This process committed that write: its manager already asks for it, so no catch-up read.
    expect(carried.headers.get("x-cypher-queries")).toBe(plain.headers.get("x-cypher-queries"));
  });

  it("when a later write commits, then its response carries newer bookmarks", async () => {
    const first = bookmarksOf((await createLead()).headers.get("x-consistency-token")!);
    const second = bookmarksOf((await createLead()).headers.get("x-consistency-token")!);
    expect(second).not.toEqual(first);
  });

  const altered = () => {
    const good = signedToken(["FB:whatever"]);
    return `${good.slice(0, -2)}${good.endsWith("AA") ? "AB" : "AA"}`;
  };
  it.each([
    ["garbage", () => "not-a-token", "format"],
    ["two tokens (a repeated header)", () => `${signedToken(["FB:a"])}, ${signedToken(["FB:b"])}`, "format"],
    ["altered (its MAC)", altered, "signature"],
    ["signed with another deployment's key", () => signedToken(["FB:whatever"], Buffer.alloc(32, 7)), "signature"],
    ["over 4 KiB", () => "x".repeat(CONSISTENCY_TOKEN_LIMITS.maxChars + 1), "size"],
  ])("when the token is %s, then 400 BAD_REQUEST naming the header and the rule, before any statement", async (_name, make, rule) => {
    const header = make();
    const requestId = `cons-bad-${rule}-${randomUUID().slice(0, 6)}`;
    const result = await leads({ "x-consistency-token": header, "x-request-id": requestId });
    expectJsonRefusal(result, 400, "BAD_REQUEST");
    const error = result.json!.errors![0]!;
    expect(error.message).toMatch(/^X-Consistency-Token: /);
    expect(error.extensions).toMatchObject({ header: "X-Consistency-Token", rule });
    expect(sessionsOf(requestId)).toEqual([]);
  });

  it("when a signed token names a bookmark of another database (another store id), then Neo4j ignores it and the read is served", async () => {
    const result = await leads({ "x-consistency-token": signedToken([otherDatabaseBookmark()]) });
    expect(result.status, result.text).toBe(200);
    expect(result.json?.errors, result.text).toBeUndefined();
  });

  it("when a signed token names a transaction this database has not reached, then 503 CONSISTENCY_UNAVAILABLE at the request's budget, with nothing of Neo4j's text", async () => {
    const real = bookmarksOf((await createLead()).headers.get("x-consistency-token")!)[0]!;
    const requestId = `cons-future-${tag}`;
    const result = await leads({ "x-consistency-token": signedToken([futureBookmark(real)]), "x-request-id": requestId });
    expectJsonRefusal(result, 503, "CONSISTENCY_UNAVAILABLE");
    expect(result.json!.errors![0]!.extensions).toMatchObject({ header: "X-Consistency-Token" });
    expect(result.json!.errors![0]!.message).not.toMatch(/Neo4j|bookmark|version/i);
    // One catch-up read, READ, with the token's bookmark; nothing else ran.
    const sessions = sessionsOf(requestId);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ mode: "READ", bookmarks: [futureBookmark(real)] });
  });

  it("when a signed token's bookmark is one Neo4j cannot read, then 503 CONSISTENCY_UNAVAILABLE at once (Neo.ClientError.Transaction.InvalidBookmark)", async () => {
    const result = await leads({ "x-consistency-token": signedToken(["FB:not-a-bookmark"]) });
    expectJsonRefusal(result, 503, "CONSISTENCY_UNAVAILABLE");
  });

  it("when the token's writes were caught up with once, then the next request with it sends no catch-up read", async () => {
    const foreign = signedToken([otherDatabaseBookmark()]);
    const first = await leads({ "x-consistency-token": foreign });
    const second = await leads({ "x-consistency-token": foreign });
    expect(first.json?.errors).toBeUndefined();
    expect(Number(second.headers.get("x-cypher-queries"))).toBe(Number(first.headers.get("x-cypher-queries")) - 1);
  });
});
