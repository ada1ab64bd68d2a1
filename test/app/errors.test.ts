import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import neo4j, { Neo4jError } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatError, startApp, type RunningApp } from "../../src/app/server.js";
import { loadConfig } from "../../src/shared/config.js";
import { createMailer } from "../../src/shared/mail/mailer.js";
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ServiceUnavailableError,
  UnauthenticatedError,
} from "../../src/shared/errors.js";
import { Executor, mapNeo4jError } from "../../src/shared/neo4j/executor.js";
import { startTestApp, type TestApp } from "../support/app.js";

const SECRET_TEXT = "secret cypher text MATCH (n)";

function neo4jError(code: string, message = SECRET_TEXT): Neo4jError {
  // The description is what a real driver error carries too: it repeats the server's text.
  return new Neo4jError(message, code, "50N42", `error: general processing exception - unexpected error. ${message}`);
}

/**
 * What Apollo hands to formatError for an error thrown by a resolver: graphql-js wraps the
 * thrown value in a located GraphQLError (path + originalError), and the formatted form is its
 * toJSON() with a code defaulted to INTERNAL_SERVER_ERROR and, in development, a stacktrace.
 */
function asApolloWould(thrown: Error, path: (string | number)[] = ["customers"]): [GraphQLFormattedError, unknown] {
  const located = new GraphQLError(thrown.message, { path, originalError: thrown });
  const json = located.toJSON();
  const formatted: GraphQLFormattedError = {
    ...json,
    extensions: {
      ...json.extensions,
      code: json.extensions?.code ?? "INTERNAL_SERVER_ERROR",
      stacktrace: (thrown.stack ?? "").split("\n"),
    },
  };
  return [formatted, located];
}

describe("formatError", () => {
  it("when a resolver throws a Neo4jError, then the answer is a generic internal error with no driver text and no stack", () => {
    const [formatted, error] = asApolloWould(neo4jError("Neo.ClientError.Statement.SyntaxError"));
    const result = formatError(formatted, error);
    expect(result).toEqual({ message: "Internal server error", path: ["customers"], extensions: { code: "INTERNAL_SERVER_ERROR" } });
    const text = JSON.stringify(result);
    expect(text).not.toContain("secret");
    expect(text).not.toContain("MATCH");
    expect(text).not.toContain("Neo.ClientError");
    expect(text).not.toContain("stacktrace");
  });

  it("when a resolver throws a plain Error, then it is masked as well", () => {
    const [formatted, error] = asApolloWould(new TypeError("Cannot read properties of undefined (reading 'passwordHash')"));
    const result = formatError(formatted, error);
    expect(result.message).toBe("Internal server error");
    expect(result.extensions).toEqual({ code: "INTERNAL_SERVER_ERROR" });
  });

  it("when a GraphQLError claims a code that is not public, then it is masked", () => {
    const [formatted, error] = asApolloWould(new GraphQLError("database text here", { extensions: { code: "Neo.ClientError.X" } }));
    const result = formatError(formatted, error);
    expect(result).toEqual({ message: "Internal server error", path: ["customers"], extensions: { code: "INTERNAL_SERVER_ERROR" } });
  });

  it("when a resolver throws a typed error, then its message and code pass, without a stacktrace", () => {
    const [formatted, error] = asApolloWould(new NotFoundError("Customer"), ["customer"]);
    const result = formatError(formatted, error);
    expect(result.message).toBe("Customer was not found.");
    expect(result.path).toEqual(["customer"]);
    expect(result.extensions).toEqual({ code: "NOT_FOUND" });
  });

  it("when a typed error carries extra extensions, then they pass too (the field a client should fix)", () => {
    const [formatted, error] = asApolloWould(new BadUserInputError("first", "page size", "must be between 0 and 100, got 101."));
    const result = formatError(formatted, error);
    expect(result.message).toBe("first: must be between 0 and 100, got 101.");
    expect(result.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "first", rule: "page size" });
    expect(result.extensions).not.toHaveProperty("stacktrace");
  });

  it("when a typed error failed the context (a bad token), then Apollo's prefix is removed", () => {
    const original = new UnauthenticatedError("The token is not valid; sign in again.", 401);
    const prefixed = new GraphQLError(`Context creation failed: ${original.message}`, { extensions: original.extensions, originalError: original });
    const formatted = { ...prefixed.toJSON(), extensions: { ...prefixed.extensions } };
    const result = formatError(formatted, prefixed);
    expect(result.message).toBe("The token is not valid; sign in again.");
    expect(result.extensions?.code).toBe("UNAUTHENTICATED");
  });
});

describe("mapNeo4jError", () => {
  it("when a uniqueness constraint fails, then it is a CONFLICT without the database text", () => {
    const mapped = mapNeo4jError(neo4jError("Neo.ClientError.Schema.ConstraintValidationFailed"));
    expect(mapped).toBeInstanceOf(ConflictError);
    expect((mapped as ConflictError).extensions.code).toBe("CONFLICT");
    expect((mapped as ConflictError).message).not.toContain("secret");
  });

  it.each([
    "ServiceUnavailable",
    "SessionExpired",
    "Neo.TransientError.General.DatabaseUnavailable",
    "Neo.ClientError.Transaction.TransactionTimedOut",
    "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
  ])("when the driver reports %s, then it is SERVICE_UNAVAILABLE", (code) => {
    const mapped = mapNeo4jError(neo4jError(code));
    expect(mapped).toBeInstanceOf(ServiceUnavailableError);
    expect((mapped as ServiceUnavailableError).extensions.code).toBe("SERVICE_UNAVAILABLE");
    expect((mapped as ServiceUnavailableError).message).not.toContain("secret");
  });

  it("when a transaction times out, then the message says so (not merely 'unreachable')", () => {
    const mapped = mapNeo4jError(neo4jError("Neo.ClientError.Transaction.TransactionTimedOut")) as ServiceUnavailableError;
    expect(mapped.message).toMatch(/in time/);
  });

  it.each(["Neo.ClientError.Statement.SyntaxError", "Neo.ClientError.Statement.ParameterMissing", "Neo.DatabaseError.General.UnknownError"])(
    "when the driver reports %s, then the error is returned unchanged (masked later by formatError)",
    (code) => {
      const error = neo4jError(code);
      expect(mapNeo4jError(error)).toBe(error);
    },
  );

  it("when the value is not a Neo4jError, then it is returned unchanged", () => {
    const plain = new Error("ServiceUnavailable");
    expect(mapNeo4jError(plain)).toBe(plain);
    const typed = new ForbiddenError("no");
    expect(mapNeo4jError(typed)).toBe(typed);
    expect(mapNeo4jError("a string")).toBe("a string");
  });

  it("when the same code comes with different text, then the mapping is the same (codes, never messages)", () => {
    for (const code of ["Neo.ClientError.Schema.ConstraintValidationFailed", "ServiceUnavailable", "Neo.ClientError.Transaction.TransactionTimedOut"]) {
      const a = mapNeo4jError(neo4jError(code, "Node(12) already exists with label `Partner` and property `mpnId` = '1'")) as GraphQLError;
      const b = mapNeo4jError(neo4jError(code, "something else entirely")) as GraphQLError;
      expect(a.constructor).toBe(b.constructor);
      expect(a.message).toBe(b.message);
      expect(a.extensions).toEqual(b.extensions);
    }
    // And text that looks like a mapped code does not turn an unmapped code into one.
    const syntax = neo4jError("Neo.ClientError.Statement.SyntaxError", "ConstraintValidationFailed ServiceUnavailable");
    expect(mapNeo4jError(syntax)).toBe(syntax);
  });
});

describe("HTTP surface", () => {
  let app: TestApp;
  let origin: string;

  beforeAll(async () => {
    app = await startTestApp();
    origin = new URL(app.url).origin;
  });
  afterAll(async () => {
    await app?.close();
  });

  it("when /healthz is asked, then it is 200", async () => {
    const response = await fetch(`${origin}/healthz`);
    expect(response.status).toBe(200);
  });

  it("when /readyz is asked while Neo4j answers, then it is 200", async () => {
    const response = await fetch(`${origin}/readyz`);
    expect(response.status).toBe(200);
  });

  it("when a query names a field that does not exist, then it is GRAPHQL_VALIDATION_FAILED", async () => {
    const result = await app.gql("{ me { user { id noSuchField } } }");
    expect(result.data).toBeNull();
    expect(result.errors?.[0].extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("when a query does not parse, then it is GRAPHQL_PARSE_FAILED", async () => {
    const result = await app.gql("{ me { user { id ");
    expect(result.data).toBeNull();
    expect(result.errors?.[0].extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
    // The client sent a broken document: that is not a server failure.
    expect(result.status).toBeLessThan(500);
  });

  it("when a document has more tokens than the limit, then it is QUERY_TOO_COMPLEX", async () => {
    const token = await app.signIn("ga@adatum.example");
    // 400 small operations (8 tokens each): nothing else about the document is too big, so only
    // the token limit (3,000) can object.
    const query = Array.from({ length: 400 }, (_, i) => `query Q${i} { offers { id } }`).join("\n");
    const result = await app.gql(query, { token, operationName: "Q0" });
    expect(result.data).toBeNull();
    expect(result.errors?.[0].extensions?.code).toBe("QUERY_TOO_COMPLEX");
    expect(result.status).toBeLessThan(500);
  });

  it("when a query nests deeper than the limit through fragments, then it is QUERY_TOO_COMPLEX", async () => {
    const token = await app.signIn("ga@adatum.example");
    // Fragments may not recurse, so the cycle Partner -> sharedCustomers -> Customer -> partners
    // is unrolled: depth 14 counted through the fragments, the limit is 10.
    const query = `
      query Deep { me { partner { ...P1 } } }
      fragment P1 on Partner { sharedCustomers(first: 1) { edges { node { partners { ...P2 } } } } }
      fragment P2 on Partner { sharedCustomers(first: 1) { edges { node { partners { ...P3 } } } } }
      fragment P3 on Partner { sharedCustomers(first: 1) { edges { node { id } } } }
    `;
    const result = await app.gql(query, { token });
    expect(result.data).toBeNull();
    expect(result.errors?.length).toBeGreaterThan(0);
    expect(new Set(result.errors?.map((e) => e.extensions?.code))).toEqual(new Set(["QUERY_TOO_COMPLEX"]));
  });

  it("when the contract's IndirectResellers asks for its largest pages inline instead of in variables, then it runs as it does with variables", async () => {
    const token = await app.signIn("ga@contosodist.example");
    const inline = `{ me { partner { ... on Provider { indirectResellers(first: 100) { totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { id name countryCode mpnId sharedCustomers(first: 20) { totalCount edges { node { id companyName } } } } } } } } } }`;
    const result = await app.gql(inline, { token });
    expect(result.errors).toBeUndefined();
    const withVariables = await app.op<{ me: { partner: { indirectResellers: { totalCount: number } } } }>("IndirectResellers", { first: 100 }, token);
    expect(result.data).toEqual(withVariables.data);
  });

  it("when a query multiplies full pages three levels deep, then it is QUERY_TOO_COMPLEX before anything runs", async () => {
    const token = await app.signIn("ga@contosodist.example");
    const query = `{ customers(first: 100) { edges { node { partners { sharedCustomers(first: 100) { edges { node {
      partners { sharedCustomers(first: 100) { edges { node { id } } } } } } } } } } } }`;
    const result = await app.gql(query, { token });
    expect(result.data).toBeNull();
    expect(result.errors?.[0].extensions?.code).toBe("QUERY_TOO_COMPLEX");
  });

  it("when a query stays within the depth limit, then it runs", async () => {
    const token = await app.signIn("ga@adatum.example");
    const result = await app.gql("{ me { partner { sharedCustomers(first: 1) { edges { node { partners { id } } } } } } }", { token });
    expect(result.errors).toBeUndefined();
  });

  it("when the app runs in test mode, then every GraphQL response says how many Cypher queries it ran", async () => {
    const anonymous = await fetch(app.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ offers { id } }" }),
    });
    expect(anonymous.headers.get("x-cypher-queries")).toBe("0");
    const token = await app.signIn("ga@adatum.example");
    const signedIn = await app.op("Offers", {}, token);
    // Reading the viewer and the offers list are two queries at least.
    expect(signedIn.queryCount).toBeGreaterThanOrEqual(2);
  });
});

describe("when Neo4j is unreachable", () => {
  let live: TestApp;
  let dead: RunningApp;
  let deadExecutor: Executor;
  let origin: string;

  beforeAll(async () => {
    live = await startTestApp();
    // Same secret as the live app, so a token it issued is valid here and only the database is missing.
    const config = loadConfig({ ...process.env, NODE_ENV: "test", EXPOSE_QUERY_COUNT: "true", PORT: "4000" });
    // Nothing listens on port 1; short timeouts, since the driver retries a failed connection
    // for maxTransactionRetryTime (30 s by default) before giving up.
    const driver = neo4j.driver("bolt://127.0.0.1:1", neo4j.auth.basic("neo4j", "irrelevant"), {
      connectionTimeout: 1_000,
      maxTransactionRetryTime: 500,
      connectionAcquisitionTimeout: 2_000,
    });
    deadExecutor = new Executor(driver, { database: "neo4j", timeoutMs: 2_000 });
    const mailer = createMailer({ mailDir: mkdtempSync(join(tmpdir(), "csp-mail-")) });
    dead = await startApp({ config, executor: deadExecutor, services: { mailer } }, 0);
    origin = new URL(dead.url).origin;
  });
  afterAll(async () => {
    await dead?.close();
    await deadExecutor?.driver.close();
    await live?.close();
  });

  async function post(body: unknown, token?: string) {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(dead.url, { method: "POST", headers, body: JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } };
  }

  it("when /readyz is asked, then it is 503 while /healthz stays 200", async () => {
    expect((await fetch(`${origin}/readyz`)).status).toBe(503);
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
  });

  it("when an anonymous query needs sign-in, then it is UNAUTHENTICATED without touching the database", async () => {
    const { body } = await post({ query: "query Offers { offers { id } }" });
    expect(body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("when signIn runs its Cypher, then it is SERVICE_UNAVAILABLE with no driver text", async () => {
    const { status, text, body } = await post({
      query: "mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }",
      variables: { e: "ga@adatum.example", p: "whatever-password-1" },
    });
    expect(body.data ?? null).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0].extensions?.code).toBe("SERVICE_UNAVAILABLE");
    expect(status).toBe(503);
    expect(text).not.toMatch(/127\.0\.0\.1:1|ECONNREFUSED|bolt|Neo4jError|ServiceUnavailable\b|stack/i);
  });

  it("when a signed-in user's token is checked, then the request is SERVICE_UNAVAILABLE (the viewer cannot be read), not UNAUTHENTICATED", async () => {
    const token = await live.signIn("ga@adatum.example");
    const { status, text, body } = await post({ query: "query Offers { offers { id } }" }, token);
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.[0].extensions?.code).toBe("SERVICE_UNAVAILABLE");
    expect(body.errors?.[0].message).not.toMatch(/^Context creation failed/);
    expect(status).toBe(503);
    expect(text).not.toMatch(/127\.0\.0\.1:1|ECONNREFUSED|bolt|Neo4jError|stack/i);
  });
});
