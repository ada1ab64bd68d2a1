import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { corsOrigins, loadConfig } from "../../src/shared/config.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { CHROMIUM, hasChromium, launchChromium } from "../support/browser.js";
import { post, send, type Raw } from "../support/http.js";

/**
 * Issue 12, point 1: a frontend served from another origin calls the API from a browser. Before,
 * a preflight from http://localhost:5173 got 400 and no Access-Control-Allow-Origin.
 */

const PAGE = "http://localhost:5173";
const QUERY = JSON.stringify({ query: "{ __typename }" });

function preflight(url: string, origin: string, method = "POST", headers = "authorization,content-type"): Promise<Raw> {
  return send(url, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": method, "access-control-request-headers": headers },
  });
}

function corsHeaders(result: Raw): Record<string, string> {
  return Object.fromEntries([...result.headers].filter(([name]) => name.startsWith("access-control-")));
}

function list(value: string | null): string[] {
  return (value ?? "").split(",").map((item) => item.trim().toLowerCase()).filter(Boolean);
}

describe("CORS_ORIGINS is read at start-up", () => {
  it("when it is unset, then development allows http://localhost, 127.0.0.1 and [::1] on any port, and production no origin", () => {
    expect(corsOrigins(undefined, false)).toEqual(["http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*"]);
    expect(corsOrigins(undefined, true)).toEqual([]);
    expect(loadConfig({ NODE_ENV: "production", JWT_SECRET: "x".repeat(32), NEO4J_URI: "bolt://127.0.0.1:1" }).corsOrigins).toEqual([]);
  });

  it("when it lists origins, then they replace the default, written as browsers send them; `none` means no CORS at all", () => {
    expect(corsOrigins(" https://App.Example.com/ , http://localhost:*,https://admin.example.com:8443", false)).toEqual([
      "https://app.example.com",
      "http://localhost:*",
      "https://admin.example.com:8443",
    ]);
    expect(corsOrigins("none", false)).toEqual([]);
  });

  it.each([
    ["https://app.example.com/app", "no path"],
    ["app.example.com", "not a URL"],
    ["localhost:5173", "http or https"],
    ["ftp://files.example.com", "http or https"],
    ["*", "not a URL"],
    ["https://user:secret@app.example.com", "no user name"],
    ["https://app.example.com?x=1", "no path, query"],
    ["http://localhost:5173:*", "replaces the port"],
  ])("when an entry is %j, then the start fails naming CORS_ORIGINS and the entry (%s)", (entry, why) => {
    expect(() => loadConfig({ NODE_ENV: "development", CORS_ORIGINS: `https://ok.example.com,${entry}` })).toThrow(
      new RegExp(`^CORS_ORIGINS: "${entry.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}" is not an origin \\(.*${why}`),
    );
  });
});

describe("development default: pages on this machine", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it("when http://localhost:5173 preflights a POST with authorization and content-type, then 204 with its origin, the allowed methods and headers, and no credentials", async () => {
    const result = await preflight(app.url, PAGE);
    expect(result.status).toBe(204);
    expect(result.headers.get("access-control-allow-origin")).toBe(PAGE);
    expect(list(result.headers.get("access-control-allow-methods"))).toEqual(expect.arrayContaining(["get", "post"]));
    expect(list(result.headers.get("access-control-allow-headers"))).toEqual(
      expect.arrayContaining(["authorization", "content-type", "apollo-require-preflight", "x-request-id"]),
    );
    expect(Number(result.headers.get("access-control-max-age"))).toBeGreaterThan(0);
    expect(result.headers.get("access-control-allow-credentials")).toBeNull();
    expect(list(result.headers.get("vary"))).toContain("origin");
  });

  it("when that page POSTs, then the answer names its origin and exposes x-request-id, retry-after and x-cypher-queries", async () => {
    const result = await post(app.url, QUERY, { origin: PAGE });
    expect(result.json).toEqual({ data: { __typename: "Query" } });
    expect(result.headers.get("access-control-allow-origin")).toBe(PAGE);
    expect(result.headers.get("access-control-allow-credentials")).toBeNull();
    expect(list(result.headers.get("access-control-expose-headers"))).toEqual(
      expect.arrayContaining(["x-request-id", "retry-after", "x-cypher-queries"]),
    );
    expect(list(result.headers.get("vary"))).toContain("origin");
  });

  it.each(["http://127.0.0.1:3000", "http://[::1]:8080", "http://localhost", "http://localhost:65535"])(
    "when %s preflights, then it is allowed",
    async (origin) => {
      const result = await preflight(app.url, origin);
      expect(result.status).toBe(204);
      expect(result.headers.get("access-control-allow-origin")).toBe(origin);
    },
  );

  it.each(["https://localhost:5173", "http://localhost.evil.example:5173", "http://localhost:5173.evil.example", "http://evil.example", "null"])(
    "when %s preflights and POSTs, then neither answer has any CORS header",
    async (origin) => {
      expect(corsHeaders(await preflight(app.url, origin))).toEqual({});
      const result = await post(app.url, QUERY, { origin });
      expect(corsHeaders(result)).toEqual({});
    },
  );

  it("when an allowed page sends a GET, then Apollo's CSRF prevention still wants apollo-require-preflight (which the preflight allows)", async () => {
    const url = `${app.url}?query=${encodeURIComponent("{ __typename }")}`;
    const simple = await send(url, { headers: { origin: PAGE } });
    expect(simple.status).toBe(400);
    expect(simple.json?.errors?.[0]?.extensions?.code).toBe("BAD_REQUEST");
    const withHeader = await send(url, { headers: { origin: PAGE, "apollo-require-preflight": "true" } });
    expect(withHeader.json).toEqual({ data: { __typename: "Query" } });
    expect(withHeader.headers.get("access-control-allow-origin")).toBe(PAGE);
    const get = await preflight(app.url, PAGE, "GET", "apollo-require-preflight");
    expect(get.status).toBe(204);
    expect(list(get.headers.get("access-control-allow-headers"))).toContain("apollo-require-preflight");
  });

  it("when a path other than /graphql is asked from an allowed origin, then it has no CORS header (only the API is shared)", async () => {
    expect(corsHeaders(await send(app.url.replace("/graphql", "/healthz"), { headers: { origin: PAGE } }))).toEqual({});
  });
});

describe("CORS_ORIGINS set: exactly those origins", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ CORS_ORIGINS: "https://app.example.com", RATE_LIMIT_PER_MINUTE: "5" });
  });
  afterAll(async () => {
    await app?.close();
  });

  it("when the listed origin preflights, then it is allowed; when localhost does, then it is not (the list replaces the default)", async () => {
    const allowed = await preflight(app.url, "https://app.example.com");
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(corsHeaders(await preflight(app.url, PAGE))).toEqual({});
  });

  it("when the page is rate limited, then the 429 carries its origin and exposes Retry-After, so the page can read it (bounded: at most 10 requests)", async () => {
    let refused: Raw | undefined;
    for (let attempt = 0; attempt < 10 && !refused; attempt++) {
      const result = await post(app.url, QUERY, { origin: "https://app.example.com" });
      if (result.status === 429) refused = result;
    }
    expect(refused, "no 429 within 10 requests at RATE_LIMIT_PER_MINUTE=5").toBeDefined();
    expect(refused!.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(list(refused!.headers.get("access-control-expose-headers"))).toContain("retry-after");
    expect(Number(refused!.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("production default: no CORS", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ NODE_ENV: "production", JWT_SECRET: "p".repeat(40) });
  });
  afterAll(async () => {
    await app?.close();
  });

  it("when http://localhost:5173 preflights and POSTs to a production server without CORS_ORIGINS, then no answer has any CORS header", async () => {
    expect(corsHeaders(await preflight(app.url, PAGE))).toEqual({});
    const result = await post(app.url, QUERY, { origin: PAGE });
    expect(result.json).toEqual({ data: { __typename: "Query" } });
    expect(corsHeaders(result)).toEqual({});
  });
});

describe.skipIf(!hasChromium)(`a real browser (${CHROMIUM}; skipped when it is absent)`, () => {
  let app: TestApp;
  let closed: TestApp;
  let page: Server;
  let pageUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    [app, closed] = await Promise.all([startTestApp(), startTestApp({ CORS_ORIGINS: "https://app.example.com" })]);
    // The frontend: a page on another port of 127.0.0.1, so another origin than the API's.
    page = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end("<!doctype html><title>frontend</title><p>frontend</p>");
    });
    await new Promise<void>((resolve) => page.listen(0, "127.0.0.1", resolve));
    pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}/`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => page?.close(resolve));
    await Promise.all([app?.close(), closed?.close()]);
  });

  it("when a page on another origin signs in and runs ChannelStats with fetch, then it gets the data and can read x-request-id and x-cypher-queries", async () => {
    const tab = await browser.newPage();
    try {
      await tab.goto(pageUrl);
      const outcome = await tab.evaluate(
        async ({ api, password }) => {
          const call = async (query: string, variables: Record<string, unknown>, token?: string) => {
            const response = await fetch(api, {
              method: "POST",
              headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
              body: JSON.stringify({ query, variables }),
            });
            const body = (await response.json()) as { data?: { signIn?: { token: string }; channelStats?: { customers: number } }; errors?: unknown };
            return { body, requestId: response.headers.get("x-request-id"), queries: response.headers.get("x-cypher-queries") };
          };
          const signIn = await call("mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { token } }", {
            email: "ga@contosodist.example",
            password,
          });
          const stats = await call("query ChannelStats { channelStats { resellers customers } }", {}, signIn.body.data?.signIn?.token);
          // The page's own origin (the test's TypeScript has no DOM library).
          return { origin: (globalThis as unknown as { location: { origin: string } }).location.origin, stats };
        },
        { api: app.url, password: inject("demoPassword") },
      );
      expect(outcome.origin).not.toBe(new URL(app.url).origin);
      expect(outcome.stats.body.errors).toBeUndefined();
      expect(outcome.stats.body.data?.channelStats?.customers).toBeGreaterThan(0);
      expect(outcome.stats.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number(outcome.stats.queries)).toBeGreaterThan(0);
    } finally {
      await tab.close();
    }
  });

  it("when the API does not list the page's origin, then the browser's fetch fails (the page cannot read the answer)", async () => {
    const tab = await browser.newPage();
    try {
      await tab.goto(pageUrl);
      const outcome = await tab.evaluate(async (api) => {
        try {
          await fetch(api, { method: "POST", headers: { "content-type": "application/json" }, body: '{"query":"{ __typename }"}' });
          return "read";
        } catch (error) {
          return String(error);
        }
      }, closed.url);
      expect(outcome).toMatch(/TypeError: Failed to fetch/);
    } finally {
      await tab.close();
    }
  });
});
