import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { boundedDocumentStore } from "../../src/app/documents.js";
import { issueToken, verifiedTokenStats, verifyToken, VERIFIED_TOKENS_MAX_BYTES } from "../../src/shared/auth/jwt.js";
import { expandFields } from "../../src/shared/graphql/lookahead.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { post } from "../support/http.js";

/**
 * Issue 10, points 1 and 2: documents built to make the server work in proportion to something
 * other than their size, and documents that are simply large. Every limit runs before any work
 * that grows with the document.
 */

/** `query { ...F0 }`, F0 spreading F1 twice, F1 spreading F2 twice, ...: 2^levels spreads when expanded naively. */
function fragmentBomb(levels: number, leaf = "__typename"): string {
  const parts = ["query Bomb { ...F0 }"];
  for (let i = 0; i < levels; i++) parts.push(`fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
  parts.push(`fragment F${levels} on Query { ${leaf} }`);
  return parts.join("\n");
}

const CYCLE = `query Cycle { ...A }
fragment A on Query { me { __typename } ...B }
fragment B on Query { ...A }`;

let app: TestApp;
let token: string;

beforeAll(async () => {
  app = await startTestApp();
  token = await app.signIn("ga@adatum.example");
  // A first request makes the server remember the caller's organisation, so that the read planner
  // would run for the next ones (it plans only for callers it has seen).
  await app.op("Me", {}, token);
});

afterAll(async () => {
  await app?.close();
});

/** The root fields of a document's operation, its named fragments expanded (lookahead.expandFields). */
function expandedRootFields(text: string): string[] {
  const document = parse(text);
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return expandFields([operation.selectionSet], fragments).fields.map((f) => f.name.value);
}

describe("fragment expansion is linear in the document", () => {
  it("when 22 levels of doubling fragment spreads are expanded, then each fragment is visited once (not 2^22 times)", () => {
    expect(expandedRootFields(fragmentBomb(22))).toEqual(["__typename"]);
  });

  it("when fragments spread each other in a cycle, then the walk ends (no stack overflow)", () => {
    expect(expandedRootFields(CYCLE)).toEqual(["me"]);
  });
});

describe("hostile documents with a valid token", () => {
  it("when a signed-in caller sends a fragment cycle, then it is GRAPHQL_VALIDATION_FAILED (400), not a 500, and no Cypher runs", async () => {
    const result = await app.gql(CYCLE, { token });
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(result.queryCount).toBe(0);
  });

  it("when a signed-in caller sends 24 levels of doubling fragments over `customers`, then the answer comes from the limits and no Cypher runs before them", async () => {
    const result = await app.gql(fragmentBomb(24, "customers(first: 1) { totalCount }"), { token });
    // Whatever the limits say of it (armor's cost counts each expansion), nothing was read first.
    expect(result.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
    expect(result.queryCount).toBe(0);
    const health = await fetch(app.url.replace("/graphql", "/healthz"));
    expect(health.status).toBe(200);
  });

  it("when a signed-in caller's document fails validation, then the viewer is not read (0 statements): limits run before any database work", async () => {
    const tooDeep = `{ me { partner { ... on Reseller { indirectProviders { sharedCustomers { edges { node { partners { ... on Provider { indirectResellers { edges { node { sharedCustomers { totalCount } } } } } } } } } } } } } }`;
    const result = await app.gql(tooDeep, { token });
    expect(result.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
    expect(result.queryCount).toBe(0);
  });

  it("when the same document is valid, then the viewer and the planned read still go as one statement", async () => {
    const result = await app.op("Customers", { first: 2 }, token);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    expect(result.queryCount).toBe(1);
  });
});

describe("large requests are refused before they are kept", () => {
  it("when the body is over 64 KB (a 900 KB comment), then it is 413 BAD_REQUEST as JSON, before parsing", async () => {
    const result = await post(app.url, JSON.stringify({ query: `# ${"x".repeat(900_000)}\n{ __typename }` }));
    expect(result.status).toBe(413);
    expect(result.headers.get("content-type")).toMatch(/json/);
    expect(result.json).toEqual({ errors: [{ message: expect.stringMatching(/larger than 65536 bytes/), extensions: { code: "BAD_REQUEST" } }] });
  });

  it("when the query text is over 32,768 characters (within the body limit), then it is QUERY_TOO_COMPLEX", async () => {
    const result = await post(app.url, JSON.stringify({ query: `# ${"x".repeat(40_000)}\n{ __typename }` }));
    expect(result.status).toBe(400);
    expect(result.json?.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
  });

  it("when a query within the limits carries a long comment, then it runs", async () => {
    const result = await post(app.url, JSON.stringify({ query: `# ${"x".repeat(20_000)}\n{ __typename }` }));
    expect(result.status).toBe(200);
    expect(result.json).toEqual({ data: { __typename: "Query" } });
  });
});

describe("caches are bounded by bytes", () => {
  it("when more distinct documents than fit are stored, then the document store's estimate stays under its byte limit and counts each document's retained text", async () => {
    const store = boundedDocumentStore(1024 * 1024);
    for (let i = 0; i < 200; i++) {
      const text = `# ${"x".repeat(30_000)}\nquery Q${i} { __typename }`;
      await store.set(String(i), parse(text));
    }
    const { entries, bytes } = store.stats();
    expect(bytes).toBeLessThanOrEqual(1024 * 1024);
    // Each document keeps its 30 KB source alive: at most ~17 fit in 1 MiB at 2 bytes a character.
    expect(entries).toBeLessThanOrEqual(17);
    expect(await store.get("199")).toBeDefined();
    expect(await store.get("0")).toBeUndefined();
  });

  it("when more valid tokens are verified than fit, then the verified-token cache stays under its byte limit", async () => {
    const secret = new TextEncoder().encode("a-secret-for-this-test-only-0123456789");
    for (let i = 0; i < 12_000; i++) await verifyToken(await issueToken(`usr_${i.toString().padStart(26, "0")}`, 1, secret), secret);
    const { entries, bytes } = verifiedTokenStats(secret);
    expect(bytes).toBeLessThanOrEqual(VERIFIED_TOKENS_MAX_BYTES);
    expect(entries).toBeGreaterThan(1000);
    expect(entries).toBeLessThan(12_000);
  });
});
