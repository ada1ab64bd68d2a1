import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app.js";
import { expectJsonRefusal, post, send } from "../support/http.js";

const sha256Hex = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * Issue 10, points 6 and 7: what the HTTP surface answers to malformed requests and persisted
 * queries, and what it tells about itself.
 */

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(async () => {
  await app?.close();
});

describe("malformed HTTP requests are JSON GraphQL errors (development mode, where Express showed stacks)", () => {
  it("when the body is not JSON, then 400 BAD_REQUEST", async () => {
    expectJsonRefusal(await post(app.url, '{"query": "{ __typename }"'), 400, "BAD_REQUEST");
  });

  it("when the charset is not UTF-8, then 415 BAD_REQUEST", async () => {
    expectJsonRefusal(await post(app.url, '{"query":"{ __typename }"}', { "content-type": "application/json; charset=latin1" }), 415, "BAD_REQUEST");
  });

  it("when the content encoding is unknown, then 415 BAD_REQUEST", async () => {
    expectJsonRefusal(await post(app.url, '{"query":"{ __typename }"}', { "content-encoding": "x-unknown" }), 415, "BAD_REQUEST");
  });

  it("when the body is gzip that does not inflate, then a 4xx BAD_REQUEST", async () => {
    const result = await post(app.url, new Uint8Array([1, 2, 3, 4, 5]), { "content-encoding": "gzip" });
    expect(result.status).toBeGreaterThanOrEqual(400);
    expect(result.status).toBeLessThan(500);
    expectJsonRefusal(result, result.status, "BAD_REQUEST");
  });

  it("when the body is larger than the limit, then 413 BAD_REQUEST", async () => {
    expectJsonRefusal(await post(app.url, JSON.stringify({ query: `# ${"y".repeat(70_000)}\n{ __typename }` })), 413, "BAD_REQUEST");
  });

  it("when a path is not served, then 404 NOT_FOUND as JSON", async () => {
    expectJsonRefusal(await send(app.url.replace("/graphql", "/nothing-here")), 404, "NOT_FOUND");
  });

  it("when a subscription is sent and the schema has none, then 400 GRAPHQL_VALIDATION_FAILED (not INTERNAL_SERVER_ERROR)", async () => {
    expectJsonRefusal(await post(app.url, JSON.stringify({ query: "subscription { x }" })), 400, "GRAPHQL_VALIDATION_FAILED");
  });
});

describe("persisted queries", () => {
  const query = "query PersistedProbe { __typename }";
  const hash = sha256Hex(query);

  it("when the hash does not match the text, then 400 PERSISTED_QUERY_HASH_MISMATCH (not INTERNAL_SERVER_ERROR)", async () => {
    const result = await post(app.url, JSON.stringify({ query, extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } } }));
    expectJsonRefusal(result, 400, "PERSISTED_QUERY_HASH_MISMATCH");
  });

  it("when the extension is malformed, then 400 BAD_REQUEST", async () => {
    expectJsonRefusal(await post(app.url, JSON.stringify({ extensions: { persistedQuery: { version: 2, sha256Hash: hash } } })), 400, "BAD_REQUEST");
    expectJsonRefusal(await post(app.url, JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: "nope" } } })), 400, "BAD_REQUEST");
  });

  it("when a client sends a hash first, then the text with it, then the hash alone (Apollo Client's flow), then the last one runs the stored text, over POST and GET", async () => {
    const unknown = sha256Hex(`${query} # ${Math.random()}`);
    const first = await post(app.url, JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: unknown } } }));
    expect(first.json?.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    const registered = await post(app.url, JSON.stringify({ query, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }));
    expect(registered.json).toEqual({ data: { __typename: "Query" } });
    const byHash = await post(app.url, JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }));
    expect(byHash.json).toEqual({ data: { __typename: "Query" } });
    const extensions = encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }));
    const get = await send(`${app.url}?extensions=${extensions}`, { headers: { "apollo-require-preflight": "true" } });
    expect(get.json).toEqual({ data: { __typename: "Query" } });
  });
});

describe("headers", () => {
  it("when a GraphQL answer is sent, then it is no-store, nosniff, and names no framework", async () => {
    const result = await post(app.url, JSON.stringify({ query: "{ __typename }" }));
    expect(result.status).toBe(200);
    expect(result.headers.get("cache-control")).toBe("no-store");
    expect(result.headers.get("x-content-type-options")).toBe("nosniff");
    expect(result.headers.get("x-powered-by")).toBeNull();
    // Plain http: no HSTS, which would pin a development browser to https.
    expect(result.headers.get("strict-transport-security")).toBeNull();
  });
});

describe("production", () => {
  let prod: TestApp;

  beforeAll(async () => {
    prod = await startTestApp({ NODE_ENV: "production", JWT_SECRET: "production-secret-for-the-test-0123456789", TRUST_PROXY: "loopback" });
  });

  afterAll(async () => {
    await prod?.close();
  });

  it("when a browser opens /graphql, then no landing page names Apollo Server or its version", async () => {
    const result = await send(prod.url, { headers: { accept: "text/html" } });
    expect(result.text).not.toMatch(/apollo server|<html/i);
    expect(result.text).not.toMatch(/\d+\.\d+\.\d+/);
    expect(result.json?.errors?.[0]?.extensions?.code).toBe("BAD_REQUEST");
    expect(result.headers.get("content-security-policy")).toContain("default-src 'none'");
  });

  it("when the request came through a trusted proxy over https, then HSTS is sent", async () => {
    const result = await post(prod.url, JSON.stringify({ query: "{ __typename }" }), { "x-forwarded-proto": "https" });
    expect(result.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
  });
});
