// Issue 12, point 2: a self-hosted GraphiQL at /graphiql (development), working with no network:
// every contract operation preloaded, a sign-in helper that puts the token in the headers, and
// links between it and Apollo Sandbox (/graphql). The browser tests drive Debian's chromium
// headless (playwright-core); without /usr/bin/chromium they are skipped, saying so.
// Every contract operation, mutations included, is run through the page, signed in as a demo user
// that ROLES.md lets run it, with the variables of test/support/contract-cases.ts (ids that do not
// exist, invalid inputs), which role-matrix.test.ts uses too: none of them changes the demo.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { buildSchema, getVariableValues, Kind, parse, print, validate, type OperationDefinitionNode } from "graphql";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PROJECT_ROOT } from "../../src/shared/config.js";
import { buildGraphiql, contractTabs } from "../../scripts/build-graphiql.js";
import { hashPassword } from "../../src/shared/auth/password.js";
import { newId } from "../../src/shared/ids.js";
import { CONTRACT_OPERATIONS, EVENTS_OPERATIONS, LIFECYCLE_OPERATIONS, startTestApp, uniqueTag, type TestApp } from "../support/app.js";
import { CHROMIUM, hasChromium, launchChromium } from "../support/browser.js";
import { cases, demoIds, type Case, type DemoIds } from "../support/contract-cases.js";

/** How long a step may wait for the page: the bound of each expect.poll (polled every 50 ms). */
const POLL = { timeout: 10_000 };
if (!hasChromium) {
  console.warn(
    `test/app/graphiql.test.ts: ${CHROMIUM} is absent, so the browser tests of /graphiql are SKIPPED. ` +
      "Install Debian's chromium (apt-get install -y chromium; .ci/run does) to run them.",
  );
}

const SCHEMA = buildSchema(readFileSync(join(PROJECT_ROOT, "schema", "schema.graphql"), "utf8"));
const operationNames = (document: string) =>
  parse(document)
    .definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
    .map((d) => d.name!.value);
const CONTRACT_NAMES = operationNames(CONTRACT_OPERATIONS);
/** Every tab: operations.graphql's, then lifecycle.graphql's and events.graphql's (ChannelEvents among them). */
const TAB_NAMES = [...CONTRACT_NAMES, ...operationNames(LIFECYCLE_OPERATIONS), ...operationNames(EVENTS_OPERATIONS)];
const QUERY_NAMES = parse(CONTRACT_OPERATIONS)
  .definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && d.operation === "query")
  .map((d) => d.name!.value);

const MUTATION_NAMES = new Set(
  parse(CONTRACT_OPERATIONS)
    .definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && d.operation === "mutation")
    .map((d) => d.name!.value),
);

/**
 * Who runs each row of test/support/contract-cases.ts through the page: a user that ROLES.md lets
 * run it, so that the page's request gets past authorization and does what the row's variables
 * ask (which is nothing the demo would keep: an id that does not exist, an invalid input).
 * - reseller: ga@adatum.example, admin agent and global admin of Adatum IT (a reseller): every
 *   capability a reseller's user can hold, C12 and C10 "with a provider" (D-16) included;
 * - provider: ga@contosodist.example, for what only a provider's user may do: C13 (InviteReseller),
 *   C14 (SubmitOrder) and IndirectResellers' `... on Provider` fragment (C16);
 * - operator: operator@platform.example (T-7: ReviewEnrollment, PendingEnrollments);
 * - ownPassword: a user of Adatum IT made for this file (Cypher, tagged, deleted afterwards), for
 *   ChangePassword: a wrong current password is refused (BAD_USER_INPUT) and counts as a failed
 *   sign-in against the account, so it is spent on this user, never on a shared demo account.
 */
type PageCaller = "reseller" | "provider" | "operator" | "ownPassword";
const PROVIDER_ONLY = new Set(["InviteReseller", "SubmitOrder", "IndirectResellers"]);

function pageCaller(row: Case): PageCaller {
  if (row.operation === "ChangePassword") return "ownPassword";
  if (row.need.kind === "operator") return "operator";
  if (PROVIDER_ONLY.has(row.operation)) return "provider";
  return "reseller";
}

const label = (row: Case) => `${row.operation}${row.variant ? ` (${row.variant})` : ""}`;

/** Codes that mean the page's request was not the one meant: refused, malformed or broken. */
const NOT_RUN = ["UNAUTHENTICATED", "FORBIDDEN", "PASSWORD_CHANGE_REQUIRED", "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED", "OPERATION_RESOLUTION_FAILURE", "BAD_REQUEST", "INTERNAL_SERVER_ERROR"];

interface GraphqlAnswer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** The page's globals, as the callbacks that run in it see them (this file has no DOM types). */
interface PageGlobals {
  __csp: string[];
  localStorage: Record<string, string>;
  sessionStorage: Record<string, string>;
  document: { addEventListener(type: string, listener: (event: { violatedDirective: string; blockedURI: string }) => void): void };
}

/** What the test of a quick click on the open tab adds to the page's globals. */
interface TabClicker {
  __tabClicks: number;
  document: { querySelector(selector: string): { click(): void } | null };
}

let app: TestApp;
let origin: string;

beforeAll(async () => {
  // What npm start (prestart) and .ci/run do; a no-op when the bundle is up to date.
  await buildGraphiql();
  app = await startTestApp();
  origin = new URL(app.url).origin;
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe("the preloaded tabs", () => {
  it("when the page is built, then every operation of the contract documents (operations, lifecycle, events) is one tab, in their order, with its text unchanged", () => {
    const tabs = contractTabs();
    expect(CONTRACT_NAMES).toHaveLength(36);
    expect(tabs.map((tab) => tab.name)).toEqual(TAB_NAMES);
    expect(new Set(TAB_NAMES).size).toBe(TAB_NAMES.length);
    for (const tab of tabs) {
      const operations = parse(tab.query).definitions as OperationDefinitionNode[];
      expect(operations.map((op) => op.name?.value)).toEqual([tab.name]);
      // The operation's text, as its document has it (comments above it included).
      expect([CONTRACT_OPERATIONS, LIFECYCLE_OPERATIONS, EVENTS_OPERATIONS].some((document) => document.includes(tab.query.replace(/\n$/, ""))), tab.name).toBe(true);
    }
    // The live subscription (D-29), with the note on how it connects.
    const channelEvents = tabs.find((tab) => tab.name === "ChannelEvents")!;
    expect((parse(channelEvents.query).definitions[0] as OperationDefinitionNode).operation).toBe("subscription");
    expect(channelEvents.query).toContain("connection_init");
  });

  it("when a tab is run as preloaded, then its document validates against the schema and its example variables fit their types", () => {
    for (const tab of contractTabs()) {
      const document = parse(tab.query);
      expect(validate(SCHEMA, document), tab.name).toEqual([]);
      const operation = document.definitions[0] as OperationDefinitionNode;
      const variables = tab.variables ? (JSON.parse(tab.variables) as Record<string, unknown>) : {};
      const coerced = getVariableValues(SCHEMA, operation.variableDefinitions ?? [], variables);
      expect(coerced.errors ?? [], tab.name).toEqual([]);
    }
  });
});

describe("the safe variables of every operation (test/support/contract-cases.ts)", () => {
  it("when the rows are given callers for the page, then every contract operation has a row, and each mutation a row run by one caller", () => {
    expect([...new Set(cases.map((row) => row.operation))].sort()).toEqual([...CONTRACT_NAMES].sort());
    expect(MUTATION_NAMES.size).toBe(21);
    const rows: Record<string, number> = {};
    for (const row of cases) rows[pageCaller(row)] = (rows[pageCaller(row)] ?? 0) + 1;
    // 38 rows: CreateServiceRequest and NodeById have two each (different arguments, same tab).
    expect(rows).toEqual({ reseller: 32, provider: 3, operator: 2, ownPassword: 1 });
  });
});

describe("HTTP", () => {
  it("when /graphiql is requested in development, then the page and its bundle come from this origin under a CSP of 'self' only", async () => {
    const page = await fetch(`${origin}/graphiql`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    // Nothing from another origin may run or style the page.
    expect(csp).not.toMatch(/https?:|\*|'unsafe-inline'|'unsafe-eval'/);
    const html = await page.text();
    const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(references).toEqual(expect.arrayContaining(["/graphiql/graphiql.css", "/graphiql/graphiql.js", "/graphql"]));
    for (const reference of references) expect(reference).toMatch(/^(\/|data:)/);

    for (const [file, type] of [
      ["graphiql.js", "text/javascript; charset=utf-8"],
      ["graphiql.css", "text/css; charset=utf-8"],
    ]) {
      const asset = await fetch(`${origin}/graphiql/${file}`);
      expect(asset.status, file).toBe(200);
      expect(asset.headers.get("content-type"), file).toBe(type);
      expect(asset.headers.get("content-security-policy"), file).toBe(csp);
      expect(asset.headers.get("x-content-type-options"), file).toBe("nosniff");
      await asset.arrayBuffer();
    }
    // The CSS names no other origin (fonts and icons are inlined as data: URLs).
    const css = await (await fetch(`${origin}/graphiql/graphiql.css`)).text();
    expect(css).not.toMatch(/@import|url\(\s*["']?(https?:)?\/\//);
    // The build stamp is not served.
    expect((await fetch(`${origin}/graphiql/.inputs-sha256`)).status).toBe(404);
  });

  it("when a browser asks for /graphql, then Sandbox's page links to /graphiql under its offline note", async () => {
    const response = await fetch(app.url, { headers: { accept: "text/html" } });
    const html = await response.text();
    expect(html).toContain("Apollo Sandbox cannot be loaded");
    expect(html).toMatch(/cannot be loaded[^<]*<\/p>\s*<p>[^<]*<a href="\/graphiql">GraphiQL<\/a>/);
  });

  it("when NODE_ENV=production, then /graphiql is not served (404), like Sandbox and introspection", async () => {
    const prod = await startTestApp({ NODE_ENV: "production", JWT_SECRET: "production-secret-for-the-graphiql-test-0123456789" });
    try {
      const response = await fetch(`${new URL(prod.url).origin}/graphiql`);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain("GraphiQL");
      expect((await fetch(`${new URL(prod.url).origin}/graphiql/graphiql.js`)).status).toBe(404);
    } finally {
      await prod.close();
    }
  });

  it("when the page is not built, then /graphiql answers 503 with the command that builds it", async () => {
    const { graphiqlRoutes } = await import("../../src/app/graphiql.js");
    const express = (await import("express")).default;
    const empty = mkdtempSync(join(tmpdir(), "graphiql-missing-"));
    const server = express().use(graphiqlRoutes(empty)).listen(0, "127.0.0.1");
    try {
      await new Promise((resolve) => server.once("listening", resolve));
      const { port } = server.address() as { port: number };
      const response = await fetch(`http://127.0.0.1:${port}/graphiql`);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain("npm run build:graphiql");
    } finally {
      server.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!hasChromium)("in Debian's chromium, headless, with no network but 127.0.0.1", () => {
  let browser: Browser;

  // playwright-core gives each launch a fresh, temporary --user-data-dir of its own.
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  /**
   * A fresh browser context where only this test server answers: any other request is aborted
   * (as on a network without Apollo's CDN) and recorded. CSP violations are recorded too.
   */
  async function offlineContext(): Promise<{ context: BrowserContext; page: Page; outside: string[]; cspViolations: () => Promise<string[]> }> {
    const context = await browser.newContext();
    const outside: string[] = [];
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`) || url === origin) return route.continue();
      outside.push(url);
      return route.abort("internetdisconnected");
    });
    await context.addInitScript(() => {
      const page = globalThis as unknown as PageGlobals;
      const seen: string[] = [];
      page.__csp = seen;
      page.document.addEventListener("securitypolicyviolation", (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
    });
    // Each step waits at most this long for the page (a failure names the step, never hangs).
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const cspViolations = () => page.evaluate(() => (globalThis as unknown as PageGlobals).__csp);
    return { context, page, outside, cspViolations };
  }

  /** The text of the CodeMirror editor on screen in one of GraphiQL's panes. */
  function editorText(page: Page, selector: string): Promise<string> {
    return page.locator(`${selector} .CodeMirror`).filter({ visible: true }).first().evaluate((element) => (element as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue());
  }

  async function signIn(page: Page, email: string, password: string): Promise<void> {
    const panel = page.locator(".csp-signin");
    await panel.getByLabel("Email").fill(email);
    await panel.getByLabel("Password").fill(password);
    await panel.getByRole("button", { name: "Sign in" }).click();
  }

  async function openTab(page: Page, name: string): Promise<void> {
    await page.locator(`.graphiql-tab-button[title="${name}"]`).click();
    await expect.poll(() => page.locator(".graphiql-tab-active").innerText(), POLL).toBe(name);
  }

  async function run(page: Page): Promise<{ data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] }> {
    const before = await editorText(page, ".graphiql-response");
    await page.locator(".graphiql-execute-button").click();
    // The response editor shows the answer (JSON) once it arrived.
    let text = before;
    await expect
      .poll(async () => {
        text = await editorText(page, ".graphiql-response");
        return text !== before && text.trim().startsWith("{");
      }, POLL)
      .toBe(true);
    return JSON.parse(text) as never;
  }

  /**
   * Runs the tab on screen with GraphiQL's run button: the request the page sent (body and
   * Authorization header), the API's answer on the wire, and the answer the result panel shows
   * (GraphiQL empties the panel when a run starts, so it is this run's answer).
   */
  async function runCapturing(page: Page): Promise<{ body: { query: string; operationName?: string | null; variables?: Record<string, unknown> }; authorization: string | undefined; shown: GraphqlAnswer }> {
    const answered = page.waitForResponse((response) => {
      const request = response.request();
      if (request.method() !== "POST" || response.url() !== `${origin}/graphql`) return false;
      // GraphiQL's own schema introspection is not the run.
      return (request.postDataJSON() as { operationName?: string } | null)?.operationName !== "IntrospectionQuery";
    });
    await page.locator(".graphiql-execute-button").click();
    const response = await answered;
    const onTheWire = (await response.json()) as GraphqlAnswer;
    let shown: GraphqlAnswer = {};
    await expect
      .poll(async () => {
        const text = await editorText(page, ".graphiql-response");
        if (!text.trim().startsWith("{")) return false;
        shown = JSON.parse(text) as GraphqlAnswer;
        return isDeepStrictEqual(shown, onTheWire);
      }, POLL)
      .toBe(true);
    return { body: response.request().postDataJSON() as never, authorization: (await response.request().allHeaders()).authorization, shown };
  }

  it("when Apollo's CDN is unreachable, then Sandbox at /graphql shows its offline note with a link that opens GraphiQL", async () => {
    const { context, page, outside } = await offlineContext();
    try {
      await page.goto(app.url, { waitUntil: "load" });
      await expect.poll(() => page.getByText("Apollo Sandbox cannot be loaded").count(), POLL).toBe(1);
      // Sandbox tried its CDN (and was refused): the situation the link is for.
      expect(outside.some((url) => url.includes("apollographql.com"))).toBe(true);
      await page.getByRole("link", { name: "GraphiQL" }).click();
      await page.waitForURL(`${origin}/graphiql`);
      await expect.poll(() => page.locator(".graphiql-container").count(), POLL).toBe(1);
    } finally {
      await context.close();
    }
  });

  it("when an admin signs in with the helper and runs Customers with {first: 5}, then the result panel shows the demo customers, and nothing left 127.0.0.1", async () => {
    const { context, page, outside, cspViolations } = await offlineContext();
    try {
      await page.goto(`${origin}/graphiql`, { waitUntil: "load" });
      await expect.poll(() => page.locator(".graphiql-container").count(), POLL).toBe(1);
      // Every contract operation is a tab, titled with its name (operations', then lifecycle's and events').
      await expect.poll(() => page.locator(".graphiql-tab").count(), POLL).toBe(TAB_NAMES.length);
      expect(await page.locator(".graphiql-tab").allInnerTexts()).toEqual(TAB_NAMES);

      // The sign-in panel is open on a first visit; a wrong password shows the API's refusal.
      await signIn(page, "ga@adatum.example", "not-the-password");
      await expect.poll(() => page.locator(".csp-signin-error").innerText(), POLL).toMatch(/UNAUTHENTICATED/);
      await signIn(page, "ga@adatum.example", inject("demoPassword"));
      await expect.poll(() => page.getByTestId("signed-in").innerText(), POLL).toContain("Signed in as ga@adatum.example");

      await openTab(page, "Customers");
      // The token is in the headers editor of the tab on screen, as GraphiQL sends it.
      await page.locator('.graphiql-editor-tools button[data-name="headers"]').click();
      const headers = JSON.parse(await editorText(page, ".graphiql-editor-tool")) as Record<string, string>;
      expect(headers.Authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      const token = headers.Authorization!.slice("Bearer ".length);

      // The variables, typed into the editor as a person would.
      await page.locator('.graphiql-editor-tools button[data-name="variables"]').click();
      const variables = page.locator(".graphiql-editor-tool .CodeMirror").filter({ visible: true }).first();
      await variables.click();
      await page.keyboard.press("ControlOrMeta+A");
      await page.keyboard.insertText('{"first": 5}');
      expect(await editorText(page, ".graphiql-editor-tool")).toBe('{"first": 5}');

      const result = (await run(page)) as { data: { customers: { totalCount: number; edges: { node: { companyName: string } }[] } } };
      // The page shows what the API answers this user (Adatum IT's customers), at most 5 of them.
      const direct = await app.op<{ customers: { totalCount: number; edges: { node: { companyName: string } }[] } }>("Customers", { first: 5 }, token);
      expect(result.data.customers.totalCount).toBe(direct.data!.customers.totalCount);
      expect(result.data.customers.edges.map((edge) => edge.node.companyName)).toEqual(direct.data!.customers.edges.map((edge) => edge.node.companyName));
      expect(result.data.customers.edges.length).toBe(Math.min(5, result.data.customers.totalCount));
      const shown = await page.locator(".graphiql-response").innerText();
      expect(shown).toContain('"totalCount"');
      expect(shown).toContain("Alpine Ski House");

      // The token is never in the URL, and GraphiQL's localStorage does not keep it: its history
      // of runs (which keeps headers) holds a marker instead.
      expect(page.url()).toBe(`${origin}/graphiql`);
      const stored = await page.evaluate(() => JSON.stringify({ ...(globalThis as unknown as PageGlobals).localStorage }));
      expect(stored).toContain(':graphiql:operationName":"Customers"');
      expect(stored).toContain("Bearer (token-not-stored)");
      expect(stored).not.toContain(token);
      expect(outside).toEqual([]);
      expect(await cspViolations()).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("when an admin opens the ChannelEvents tab and runs it, then the page subscribes over WebSocket (D-29): the hub has one more subscriber until the stop button ends it", async () => {
    const { context, page, outside, cspViolations } = await offlineContext();
    try {
      await page.goto(`${origin}/graphiql`, { waitUntil: "load" });
      await signIn(page, "ga@adatum.example", inject("demoPassword"));
      await expect.poll(() => page.getByTestId("signed-in").innerText(), POLL).toContain("Signed in as ga@adatum.example");
      await openTab(page, "ChannelEvents");
      expect(await editorText(page, ".graphiql-query-editor")).toContain("subscription ChannelEvents");
      const before = app.events.hub.size;
      await page.locator(".graphiql-execute-button").click();
      await expect.poll(() => app.events.hub.size, POLL).toBe(before + 1);
      await page.locator(".graphiql-execute-button").click();
      await expect.poll(() => app.events.hub.size, POLL).toBe(before);
      expect(outside).toEqual([]);
      expect(await cspViolations()).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("when signed in, then every query tab of the contract runs through the page as preloaded, and answers as the API answers the same request", async () => {
    const { context, page, outside, cspViolations } = await offlineContext();
    try {
      await page.goto(`${origin}/graphiql`, { waitUntil: "load" });
      await signIn(page, "ga@adatum.example", inject("demoPassword"));
      await expect.poll(() => page.getByTestId("signed-in").count(), POLL).toBe(1);
      const token = await app.signInOnce("ga@adatum.example");
      const tabs = new Map(contractTabs().map((tab) => [tab.name, tab]));
      const outcomes: Record<string, string> = {};
      // One tab after the other, each run right after switching to it (GraphiQL's own run button).
      for (const name of QUERY_NAMES) {
        await openTab(page, name);
        const result = await run(page);
        const codes = (result.errors ?? []).map((error) => error.extensions?.code ?? "none");
        outcomes[name] = codes.length ? codes.join(",") : "data";
        // The same document and variables sent straight to the API, as this user.
        const tab = tabs.get(name)!;
        const direct = await app.gql(tab.query, { operationName: name, variables: JSON.parse(tab.variables ?? "{}") as Record<string, unknown>, token });
        const directCodes = (direct.errors ?? []).map((error) => error.extensions?.code ?? "none");
        expect(codes, name).toEqual(directCodes);
        expect(Object.keys((result.data as object | null) ?? {}), name).toEqual(Object.keys(direct.data ?? {}));
        expect(codes, name).not.toEqual(expect.arrayContaining(["GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED", "OPERATION_RESOLUTION_FAILURE", "UNAUTHENTICATED", "INTERNAL_SERVER_ERROR"]));
      }
      expect(Object.keys(outcomes)).toEqual(QUERY_NAMES);
      // Customers, Me, Offers, ChannelStats ... answer with data for a global admin of a reseller.
      expect(Object.values(outcomes).filter((outcome) => outcome === "data").length).toBeGreaterThanOrEqual(8);
      expect(outside).toEqual([]);
      expect(await cspViolations()).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  describe("every contract operation, mutations included, run through the page", () => {
    const tag = uniqueTag();
    const ownPassword = { email: `graphiql-${tag}@adatum.example`, password: "Graphiql-passw0rd!" };
    const signInAs: Record<PageCaller, () => { email: string; password: string }> = {
      reseller: () => ({ email: "ga@adatum.example", password: inject("demoPassword") }),
      provider: () => ({ email: "ga@contosodist.example", password: inject("demoPassword") }),
      operator: () => ({ email: "operator@platform.example", password: inject("demoPassword") }),
      ownPassword: () => ownPassword,
    };
    let ids: DemoIds;
    let ownPasswordHash: string;
    /** Rows run through the page and answered as the API answers the same request, by row label. */
    const matched = new Map<string, string>();

    beforeAll(async () => {
      ids = await demoIds(app);
      // A user with no role in Adatum IT: ChangePassword needs only a signed-in user (C15).
      ownPasswordHash = await hashPassword(ownPassword.password);
      await app.cypher(
        `MATCH (p:Partner {mpnId: '2000001'})
         CREATE (:User {id: $id, email: $email, displayName: 'GraphiQL test', agentRole: 'NONE', adminRole: 'NONE',
           passwordHash: $hash, mustChangePassword: false, fixture: $tag, createdAt: datetime()})-[:MEMBER_OF]->(p)`,
        { id: newId("User"), email: ownPassword.email, hash: ownPasswordHash, tag },
      );
    });

    afterAll(async () => {
      await app.cypher("MATCH (u:User {fixture: $tag}) DETACH DELETE u", { tag });
    });

    /** Replaces the variables editor's text, typed as a person would paste it. */
    async function typeVariables(page: Page, variables: Record<string, unknown>): Promise<void> {
      await page.locator('.graphiql-editor-tools button[data-name="variables"]').click();
      await page.locator(".graphiql-editor-tool .CodeMirror").filter({ visible: true }).first().click();
      await page.keyboard.press("ControlOrMeta+A");
      const text = JSON.stringify(variables);
      await page.keyboard.insertText(text);
      expect(await editorText(page, ".graphiql-editor-tool")).toBe(text);
    }

    const who: Record<PageCaller, string> = {
      reseller: "ga@adatum.example (a reseller's global admin)",
      provider: "ga@contosodist.example (a provider's global admin)",
      operator: "operator@platform.example",
      ownPassword: "a user made for this file",
    };
    it.each((["reseller", "provider", "operator", "ownPassword"] as const).map((caller) => [who[caller], cases.filter((row) => pageCaller(row) === caller).length, caller] as const))(
      "when %s signs in with the helper and runs its %i rows through the page with variables that cannot change the demo, then each run gets past authorization and the result panel shows the error codes and data keys the API answers the same request",
      async (_who, _count, caller) => {
        const rows = cases.filter((row) => pageCaller(row) === caller);
        const user = signInAs[caller]();
        const { context, page, outside, cspViolations } = await offlineContext();
        try {
          await page.goto(`${origin}/graphiql`, { waitUntil: "load" });
          await signIn(page, user.email, user.password);
          await expect.poll(() => page.getByTestId("signed-in").innerText(), POLL).toContain(`Signed in as ${user.email}`);
          const session = await page.evaluate(() => (globalThis as unknown as PageGlobals).sessionStorage["csp-graphiql:session"]);
          const token = (JSON.parse(session!) as { token: string }).token;
          const tabs = new Map(contractTabs().map((tab) => [tab.name, tab]));

          for (const row of rows) {
            const name = label(row);
            let variables = row.variables(ids);
            // The demo password, not a wrong one: a failed sign-in counts against the shared account.
            if (row.operation === "SignIn") variables = { ...variables, password: inject("demoPassword") };
            // The tab on screen is not clicked again (a click on it reloads its editors, the variables
            // included; that the token survives such a click is the test of a quick click below).
            if ((await page.locator(".graphiql-tab-active").innerText()) !== row.operation) await openTab(page, row.operation);
            // The token is in the headers editor of this tab, as the sign-in helper put it there.
            await page.locator('.graphiql-editor-tools button[data-name="headers"]').click();
            await expect.poll(() => editorText(page, ".graphiql-editor-tool"), POLL).toContain(`"Authorization": "Bearer ${token}"`);
            await typeVariables(page, variables);
            const { body, authorization, shown } = await runCapturing(page);

            // The page sent the tab's operation, as the contract has it, with these variables, as this user.
            expect(body.operationName, name).toBe(row.operation);
            expect(print(parse(body.query)), name).toBe(print(parse(tabs.get(row.operation)!.query)));
            expect(body.variables, name).toEqual(variables);
            expect(authorization, name).toBe(`Bearer ${token}`);

            // The same request, sent straight to the API.
            const direct = await app.gql(body.query, { operationName: body.operationName ?? undefined, variables: body.variables, token });
            const codes = (shown.errors ?? []).map((error) => error.extensions?.code ?? "none");
            expect(codes, name).toEqual((direct.errors ?? []).map((error) => error.extensions?.code ?? "none"));
            expect(Object.keys(shown.data ?? {}), name).toEqual(Object.keys(direct.data ?? {}));
            expect(shown.data === null || shown.data === undefined, name).toBe(direct.data === null);
            // The caller was one ROLES.md lets through, and the request was well formed.
            expect(codes.filter((code) => NOT_RUN.includes(code)), name).toEqual([]);
            if (MUTATION_NAMES.has(row.operation) && row.operation !== "SignIn") {
              // Refused as invalid or not found, so nothing was written (each write is one transaction).
              expect(codes.length, name).toBeGreaterThan(0);
              expect(Object.values(shown.data ?? {}).every((value) => value === null), name).toBe(true);
            }
            matched.set(name, codes.length ? codes.join(",") : "data");
          }

          expect(rows.every((row) => matched.has(label(row)))).toBe(true);
          expect(outside).toEqual([]);
          expect(await cspViolations()).toEqual([]);
        } finally {
          await context.close();
        }
      },
      120_000,
    );

    it("when all rows have run, then all 36 contract operations (21 mutations) ran through the page and matched, and the demo is as it was", async () => {
      expect(matched.size).toBe(cases.length);
      const operations = new Set(cases.filter((row) => matched.has(label(row))).map((row) => row.operation));
      expect([...operations].sort()).toEqual([...CONTRACT_NAMES].sort());
      expect(CONTRACT_NAMES.filter((operation) => MUTATION_NAMES.has(operation) && operations.has(operation))).toHaveLength(21);
      // SignIn is the one mutation that answered with data; every other one was refused. (Each
      // could be made harmless with its row's variables, so none had to be run by a refused caller.)
      expect(cases.filter((row) => MUTATION_NAMES.has(row.operation) && matched.get(label(row)) === "data").map(label)).toEqual(["SignIn"]);
      // No mail left this app (no invitation, verification or reset was sent) ...
      expect(readdirSync(app.mailDir)).toEqual([]);
      // ... and ChangePassword with a wrong current password left the password as it was.
      const [user] = await app.cypher<{ passwordHash: string }>("MATCH (u:User {email: $email}) RETURN u.passwordHash AS passwordHash", { email: ownPassword.email });
      expect(user!.passwordHash).toBe(ownPasswordHash);
    });
  });

  it("when the admin signs in and at once clicks the tab already open (GraphiQL reloads it from a tab state that has not yet learned the token), then its Headers editor keeps the bearer token and running Customers sends it", async () => {
    const { context, page, outside, cspViolations } = await offlineContext();
    try {
      await page.goto(`${origin}/graphiql`, { waitUntil: "load" });
      await openTab(page, "Customers");
      await page.locator('.graphiql-editor-tools button[data-name="headers"]').click();
      expect(await editorText(page, ".graphiql-editor-tool")).not.toContain("Bearer");
      // GraphiQL copies an edit of the headers editor into its tab state 100 ms later; a click on
      // the open tab within those 100 ms reloads the editor with the headers of before. So the page
      // itself clicks the open tab the moment the token appears in the headers editor (the
      // worst case of a quick click, every run), and then the test clicks it three times more.
      await page
        .locator(".graphiql-editor-tool .CodeMirror")
        .filter({ visible: true })
        .first()
        .evaluate((element) => {
          const editor = (element as unknown as { CodeMirror: { getValue(): string; on(event: "change", handler: () => void): void; off(event: "change", handler: () => void): void } }).CodeMirror;
          const page = globalThis as unknown as TabClicker;
          page.__tabClicks = 0;
          const clickOnToken = () => {
            if (!editor.getValue().includes("Bearer ")) return;
            editor.off("change", clickOnToken);
            setTimeout(() => {
              page.document.querySelector(".graphiql-tab-active .graphiql-tab-button")?.click();
              page.__tabClicks += 1;
            });
          };
          editor.on("change", clickOnToken);
        });
      await signIn(page, "ga@adatum.example", inject("demoPassword"));
      await expect.poll(() => page.getByTestId("signed-in").count(), POLL).toBe(1);
      await expect.poll(() => page.evaluate(() => (globalThis as unknown as TabClicker).__tabClicks), POLL).toBe(1);
      for (let click = 0; click < 3; click++) await page.locator(".graphiql-tab-active .graphiql-tab-button").click();
      expect(await page.locator(".graphiql-tab-active").innerText()).toBe("Customers");

      const session = await page.evaluate(() => (globalThis as unknown as PageGlobals).sessionStorage["csp-graphiql:session"]);
      const token = (JSON.parse(session!) as { token: string }).token;
      await expect.poll(() => editorText(page, ".graphiql-editor-tool"), POLL).toContain(`"Authorization": "Bearer ${token}"`);
      const { body, authorization, shown } = await runCapturing(page);
      expect(body.operationName).toBe("Customers");
      expect(authorization).toBe(`Bearer ${token}`);
      expect(shown.errors ?? []).toEqual([]);
      expect(shown.data).toHaveProperty("customers.totalCount");
      // The token is still only in memory and sessionStorage.
      expect(page.url()).toBe(`${origin}/graphiql`);
      expect(await page.evaluate(() => JSON.stringify({ ...(globalThis as unknown as PageGlobals).localStorage }))).not.toContain(token);
      expect(outside).toEqual([]);
      expect(await cspViolations()).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("when the admin signs out, then the Authorization header leaves the headers editor and sessionStorage", async () => {
    const { context, page } = await offlineContext();
    try {
      await page.goto(`${origin}/graphiql`, { waitUntil: "load" });
      await signIn(page, "ga@adatum.example", inject("demoPassword"));
      await expect.poll(() => page.getByTestId("signed-in").count(), POLL).toBe(1);
      await page.locator('.graphiql-editor-tools button[data-name="headers"]').click();
      expect(await editorText(page, ".graphiql-editor-tool")).toContain("Bearer ");
      expect(await page.evaluate(() => Object.keys((globalThis as unknown as PageGlobals).sessionStorage))).toContain("csp-graphiql:session");
      // A reload keeps the session (sessionStorage) and puts the token back in the headers.
      await page.reload({ waitUntil: "load" });
      await page.locator('.graphiql-editor-tools button[data-name="headers"]').click();
      await expect.poll(() => editorText(page, ".graphiql-editor-tool"), POLL).toContain("Bearer ");

      await page.getByRole("button", { name: "Sign in" }).first().click(); // the sidebar button opens the panel
      await page.getByRole("button", { name: "Sign out" }).click();
      await expect.poll(() => editorText(page, ".graphiql-editor-tool"), POLL).not.toContain("Bearer");
      expect(await page.evaluate(() => Object.keys((globalThis as unknown as PageGlobals).sessionStorage))).not.toContain("csp-graphiql:session");
    } finally {
      await context.close();
    }
  });
});
