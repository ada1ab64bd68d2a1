// Issue 16: the channel explorer at /explorer, a page for analysts served by the API (development
// and production), running only operations in the contract's style with the signed-in user's
// token. HTTP and the operations are checked without a browser; the page itself in Debian's
// chromium, headless (playwright-core), skipped with a message where chromium is absent: the
// demo provider's global admin (what is drawn is counted against the API's own totals, CSV
// compared with the API's answer, PNG), a fixture channel for paging, live updates and the roles
// (a helpdesk agent sees the same channel, a user with no role a clear message).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { buildSchema, Kind, parse as parseGraphql, validate, type FieldNode, type SelectionSetNode } from "graphql";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildExplorer, EXPLORER_OPERATIONS, explorerOperations } from "../../scripts/build-explorer.js";
import { buildTrustedManifest } from "../../src/app/trusted-manifest.js";
import { LOCAL_DIR, PROJECT_ROOT } from "../../src/shared/config.js";
import { CONTRACT_OPERATIONS, EVENTS_OPERATIONS, LIFECYCLE_OPERATIONS, startTestApp, uniqueTag, type TestApp } from "../support/app.js";
import { CHROMIUM, hasChromium, launchChromium } from "../support/browser.js";
import { newId } from "../../src/shared/ids.js";
import { createChannel, latestMail, partnershipKeyOf, recountShared, type Channel } from "../support/fixtures.js";
import { TcpProxy } from "../support/tcp-proxy.js";

// The page's globals, for the callbacks that run in it (playwright's evaluate): this project's
// types have no DOM, and these declarations are this module's only.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const localStorage: any;
declare const sessionStorage: any;
type HTMLElement = any;

if (!hasChromium) {
  console.warn(
    `test/app/explorer.test.ts: ${CHROMIUM} is absent, so the browser tests of /explorer are SKIPPED. ` +
      "Install Debian's chromium (apt-get install -y chromium; .ci/run does) to run them.",
  );
}

/** How long a step may wait for the page: the bound of each expect.poll (polled every 50 ms). */
const POLL = { timeout: 15_000 };
const SCHEMA = buildSchema(readFileSync(join(PROJECT_ROOT, "schema", "schema.graphql"), "utf8"));
/** Where the test leaves its screenshots for people to look at. */
const SCREENSHOTS = join(LOCAL_DIR, "screenshots");

let app: TestApp;
let origin: string;

beforeAll(async () => {
  // What npm run build and npm start (prestart) do; a no-op when the bundle is up to date.
  await buildExplorer();
  app = await startTestApp();
  origin = new URL(app.url).origin;
}, 120_000);

afterAll(async () => {
  await app?.close();
});

/** Every field path (Type.field) an operation document reads, fragments followed. */
function fieldsRead(document: string): Set<string> {
  const parsed = parseGraphql(document);
  const fragments = new Map(parsed.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const out = new Set<string>();
  const walk = (set: SelectionSetNode, typeName: string) => {
    const type = SCHEMA.getType(typeName) as { getFields?: () => Record<string, { type: unknown }> } | undefined;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const field = selection as FieldNode;
        if (field.name.value === "__typename") continue;
        out.add(`${typeName}.${field.name.value}`);
        if (field.selectionSet) {
          const fieldType = type?.getFields?.()[field.name.value]?.type;
          let named = fieldType as { ofType?: unknown; name?: string };
          while (named.ofType) named = named.ofType as typeof named;
          walk(field.selectionSet, named.name!);
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, selection.typeCondition?.name.value ?? typeName);
      } else {
        const fragment = fragments.get(selection.name.value)!;
        walk(fragment.selectionSet, fragment.typeCondition.name.value);
      }
    }
  };
  for (const definition of parsed.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const root = { query: "Query", mutation: "Mutation", subscription: "Subscription" }[definition.operation];
    walk(definition.selectionSet, root);
  }
  return out;
}

describe("the explorer's operations (web/explorer/explorer.graphql)", () => {
  const source = readFileSync(EXPLORER_OPERATIONS, "utf8");

  it("when validated against the emitted schema, then every operation is valid", () => {
    expect(validate(SCHEMA, parseGraphql(source))).toEqual([]);
  });

  it("when its fields are compared with the contract's, then it reads no field that no contract operation reads (point 4: no privilege of its own)", () => {
    const contract = new Set([...fieldsRead(CONTRACT_OPERATIONS), ...fieldsRead(LIFECYCLE_OPERATIONS), ...fieldsRead(EVENTS_OPERATIONS)]);
    const own = [...fieldsRead(source)];
    expect(own.length).toBeGreaterThan(30);
    // Partner fields read through the Partner interface are read on Provider and Reseller by the contract.
    const outside = own.filter((path) => !contract.has(path) && !(path.startsWith("Partner.") && (contract.has(path.replace("Partner.", "Provider.")) || contract.has(path.replace("Partner.", "Reseller.")))));
    // partnerSince: a public profile field (T-3) the contract does not select; kind on Partner: as Me's partner.kind.
    expect(outside.sort()).toEqual(["Partner.partnerSince"]);
  });

  it("when the page is built, then it carries each operation as the trusted manifest prints it, so TRUSTED_DOCUMENTS=only runs it", () => {
    const manifest = buildTrustedManifest();
    const bodies = new Set(manifest.operations.map((operation) => operation.body));
    const operations = explorerOperations();
    expect(Object.keys(operations).sort()).toEqual(["ExplorerCustomer", "ExplorerCustomers", "ExplorerEvents", "ExplorerEventsHead", "ExplorerMe", "ExplorerProviders", "ExplorerResellers", "ExplorerSignIn", "ExplorerStats"]);
    for (const [name, body] of Object.entries(operations)) expect(bodies.has(body), name).toBe(true);
    const bundle = readFileSync(join(PROJECT_ROOT, "dist", "explorer", "explorer.js"), "utf8");
    // Each operation's first line (esbuild may re-quote the strings, so not the whole text).
    for (const [name, body] of Object.entries(operations)) expect(bundle.includes(body.split("\n")[0]!), name).toBe(true);
  });

  it("when TRUSTED_DOCUMENTS=only, then the page's queries run as it sends them", async () => {
    const trusted = await startTestApp({ TRUSTED_DOCUMENTS: "only" });
    try {
      const operations = explorerOperations();
      const signIn = await trusted.gql<{ signIn: { token: string } }>(operations.ExplorerSignIn!, {
        operationName: "ExplorerSignIn",
        variables: { email: "ga@contosodist.example", password: (await import("vitest")).inject("demoPassword") },
      });
      expect(signIn.errors).toBeUndefined();
      const token = signIn.data!.signIn.token;
      const resellers = await trusted.gql(operations.ExplorerResellers!, { operationName: "ExplorerResellers", variables: { first: 100, sharedFirst: 10 }, token });
      expect(resellers.errors).toBeUndefined();
      // Anything else is refused in that mode.
      const other = await trusted.gql("{ me { user { id } } }", { token });
      expect(other.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_ALLOWED");
    } finally {
      await trusted.close();
    }
  });
});

describe("HTTP", () => {
  it("when /explorer is requested, then the page and its bundle come from this origin under a CSP of 'self' only", async () => {
    const page = await fetch(`${origin}/explorer`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = page.headers.get("content-security-policy") ?? "";
    for (const directive of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"]) expect(csp).toContain(directive);
    expect(csp).not.toMatch(/https?:|\*|'unsafe-inline'|'unsafe-eval'/);
    const html = await page.text();
    const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(references).toEqual(expect.arrayContaining(["/explorer/explorer.css", "/explorer/explorer.js"]));
    for (const reference of references) expect(reference).toMatch(/^(\/|data:)/);
    for (const [file, type] of [
      ["explorer.js", "text/javascript; charset=utf-8"],
      ["explorer.css", "text/css; charset=utf-8"],
    ]) {
      const asset = await fetch(`${origin}/explorer/${file}`);
      expect(asset.status, file).toBe(200);
      expect(asset.headers.get("content-type"), file).toBe(type);
      expect(asset.headers.get("x-content-type-options"), file).toBe("nosniff");
      const text = await asset.text();
      // Nothing names another origin to load from (the bundle works offline).
      expect(text, file).not.toMatch(/@import|url\(\s*["']?(https?:)?\/\//);
    }
    expect((await fetch(`${origin}/explorer/.inputs-sha256`)).status).toBe(404);
  });

  it("when NODE_ENV=production, then /explorer is served too (unlike GraphiQL)", async () => {
    const prod = await startTestApp({ NODE_ENV: "production", JWT_SECRET: "production-secret-for-the-explorer-test-0123456789" });
    try {
      const base = new URL(prod.url).origin;
      const response = await fetch(`${base}/explorer`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain("Channel explorer");
      expect((await fetch(`${base}/explorer/explorer.js`)).status).toBe(200);
      expect((await fetch(`${base}/graphiql`)).status).toBe(404);
    } finally {
      await prod.close();
    }
  });

  it("when the page is not built, then /explorer answers 503 with the command that builds it", async () => {
    const { explorerRoutes } = await import("../../src/app/explorer.js");
    const express = (await import("express")).default;
    const empty = mkdtempSync(join(tmpdir(), "explorer-missing-"));
    const server = express().use(explorerRoutes(empty)).listen(0, "127.0.0.1");
    try {
      await new Promise((resolve) => server.once("listening", resolve));
      const { port } = server.address() as { port: number };
      const response = await fetch(`http://127.0.0.1:${port}/explorer`);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain("npm run build:explorer");
    } finally {
      server.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

/** What the page's summary reports (data attributes of #summary). */
interface Summary {
  partnersDrawn: string;
  partnersTotal: string;
  sharedTotal: string;
  sharedDrawn: string;
  customersDrawn: string;
  ownTotal: string;
  ownLoaded: string;
  nodes: string;
}

/** A CSV of the page, parsed (RFC 4180: csv-parse, as the import script reads CSV), a record per row keyed by the header. */
function parseCsv(text: string): Record<string, string>[] {
  return parse(text, { columns: true }) as Record<string, string>[];
}

describe.skipIf(!hasChromium)("in Debian's chromium, headless, with no network but 127.0.0.1", () => {
  let browser: Browser;
  let fixture: Channel;

  beforeAll(async () => {
    browser = await launchChromium();
    // 25 customers shared by the fixture's provider and reseller: more than the first view's page (10).
    fixture = await createChannel(app, uniqueTag(), { customers: 25 });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await fixture?.remove();
  });

  interface Opened {
    context: BrowserContext;
    page: Page;
    outside: string[];
    errors: string[];
    cspViolations: () => Promise<string[]>;
  }

  /** A fresh context where only the test server answers (any other request is aborted and recorded), signed in on the page. */
  async function openAs(email: string, password?: string, base = origin): Promise<Opened> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    context.setDefaultTimeout(15_000);
    const outside: string[] = [];
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(`${base}/`) || url.startsWith("blob:") || url.startsWith("data:")) return route.continue();
      outside.push(url);
      return route.abort("internetdisconnected");
    });
    await context.addInitScript(() => {
      const seen: string[] = [];
      (globalThis as unknown as { __csp: string[] }).__csp = seen;
      document.addEventListener("securitypolicyviolation", (event: { violatedDirective: string; blockedURI: string }) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${base}/explorer`);
    await expect.poll(() => page.evaluate(() => document.body.dataset.state), POLL).toBe("signed-out");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password ?? (await import("vitest")).inject("demoPassword"));
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.evaluate(() => document.body.dataset.state), POLL).toMatch(/^(ready|denied|error)$/);
    return { context, page, outside, errors, cspViolations: () => page.evaluate(() => (globalThis as unknown as { __csp: string[] }).__csp) };
  }

  const summaryOf = (page: Page) => page.evaluate(() => ({ ...document.getElementById("summary")!.dataset }) as unknown as Summary);
  const partnershipRows = (page: Page) =>
    page.evaluate(() =>
      ([...document.querySelectorAll("#partnerships li")] as HTMLElement[]).map((li) => ({ id: li.dataset.partnerId as string, loaded: Number(li.dataset.sharedLoaded), total: Number(li.dataset.sharedTotal) })),
    );

  async function downloadText(page: Page, button: string): Promise<{ name: string; bytes: Buffer }> {
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: button }).click()]);
    const path = await download.path();
    return { name: download.suggestedFilename(), bytes: readFileSync(path) };
  }

  it("when the demo provider's global admin signs in, then its resellers and shared customers are drawn, every count as the API gives it, and CSV and PNG exports match", async () => {
    const { context, page, outside, errors, cspViolations } = await openAs("ga@contosodist.example");
    try {
      expect(await page.evaluate(() => document.body.dataset.state)).toBe("ready");
      const token = await app.signInOnce("ga@contosodist.example");
      // The API's own answers, through the contract's operations.
      const resellers = await app.op<{ me: { partner: { indirectResellers: { totalCount: number; edges: { node: { id: string; sharedCustomers: { totalCount: number } } }[] } } } }>("IndirectResellers", { first: 100 }, token);
      const customers = await app.op<{ customers: { totalCount: number; edges: { node: { id: string; companyName: string } }[] } }>("Customers", { first: 50 }, token);
      const list = resellers.data!.me.partner.indirectResellers;
      const summary = await summaryOf(page);
      expect(Number(summary.partnersTotal)).toBe(list.totalCount);
      expect(Number(summary.partnersDrawn)).toBe(list.edges.length);
      expect(Number(summary.ownTotal)).toBe(customers.data!.customers.totalCount);
      const rows = await partnershipRows(page);
      expect(rows.map((r) => r.id).sort()).toEqual(list.edges.map((e) => e.node.id).sort());
      for (const { node } of list.edges) expect(rows.find((r) => r.id === node.id)!.total, node.id).toBe(node.sharedCustomers.totalCount);
      // The demo is small: every customer of Contoso is drawn (shared ones and its own), each once.
      const ids = customers.data!.customers.edges.map((e) => e.node.id).sort();
      expect(Number(summary.customersDrawn)).toBe(ids.length);
      expect(Number(summary.nodes)).toBe(1 + list.edges.length + ids.length);

      // The CSV of the view: the same customers as the API's list, by id and name.
      const csv = await downloadText(page, "Export CSV");
      expect(csv.name).toMatch(/^channel-.*\.csv$/);
      const table = parseCsv(csv.bytes.toString("utf8"));
      const csvCustomers = table.filter((row) => row.kind === "customer");
      expect(csvCustomers.map((row) => row.id).sort()).toEqual(ids);
      for (const { node } of customers.data!.customers.edges) expect(csvCustomers.find((row) => row.id === node.id)!.name).toBe(node.companyName);
      expect(table.filter((row) => row.kind === "reseller").map((row) => row.id).sort()).toEqual(list.edges.map((e) => e.node.id).sort());
      // Shared customers (D-11) name the partnerships they come through.
      const alpine = csvCustomers.find((row) => row.name === "Alpine Ski House")!;
      expect(alpine.sharedWith.split(";")).toHaveLength(1);
      expect(alpine.resellerOfRecord).toBe("true");

      const png = await downloadText(page, "Export PNG");
      expect(png.name).toMatch(/^channel-.*\.png$/);
      expect(png.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(png.bytes.length).toBeGreaterThan(5_000);

      await page.screenshot({ path: join(SCREENSHOTS, "explorer-contoso.png") });
      // The token never appears in a URL, nor in localStorage.
      expect(page.url()).toBe(`${origin}/explorer`);
      expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);
      expect(outside).toEqual([]);
      expect(await cspViolations()).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("when a customer is searched and clicked, then it is highlighted and its details show its channel paths, subscriptions with partner of record and delegated admin, as the API answers", async () => {
    const { context, page } = await openAs("ga@contosodist.example");
    try {
      await page.getByLabel("Search customers").fill("proseware");
      await page.getByRole("button", { name: "Search" }).click();
      const token = await app.signInOnce("ga@contosodist.example");
      const found = await app.op<{ customers: { totalCount: number; edges: { node: { id: string } }[] } }>("Customers", { first: 20, where: { search: "proseware" } }, token);
      await expect.poll(() => page.evaluate(() => document.getElementById("results")!.dataset.total), POLL).toBe(String(found.data!.customers.totalCount));
      const id = found.data!.customers.edges[0]!.node.id;
      await page.getByRole("link", { name: /^Proseware/ }).click();
      await expect.poll(() => page.locator("#details h2").innerText(), POLL).toBe("Proseware");
      await expect.poll(() => page.locator("#details").innerText(), POLL).toContain("Delegated admin (D-25)");
      const channel = await app.lifecycle<{ customer: { subscriptions: { offerName: string; partnerIdOnRecord: string | null; soldThrough: { name: string } | null }[] } }>("CustomerChannel", { id }, token);
      const details = await page.locator("#details").innerText();
      for (const subscription of channel.data!.customer.subscriptions) {
        expect(details).toContain(subscription.offerName);
        if (subscription.partnerIdOnRecord) expect(details).toContain(subscription.partnerIdOnRecord);
        if (subscription.soldThrough) expect(details).toContain(subscription.soldThrough.name);
      }
      expect(details).toContain("Channel paths");
      expect(details).toContain("Delegated admin (D-25)");
      // Highlighted in the graph (the page marks search hits).
      expect(await page.evaluate(() => document.getElementById("results")!.querySelectorAll("li").length)).toBe(found.data!.customers.edges.length);
    } finally {
      await context.close();
    }
  });

  it("when a partnership has more shared customers than the first page, then More loads the next page (keyset), until the API's total, never all at once, whatever the view's filter", async () => {
    // The last shared customer (in name order: on the second page) is in DE for this test.
    const last = fixture.sharedCustomers[fixture.sharedCustomers.length - 1]!;
    await app.cypher("MATCH (c:Customer {id: $id}) SET c.countryCode = 'DE'", { id: last.id });
    const { context, page } = await openAs(fixture.providerUsers.ga!, fixture.password);
    try {
      const requests: { operationName: string; variables: Record<string, unknown> }[] = [];
      page.on("request", (request) => {
        if (request.url() === `${origin}/graphql` && request.method() === "POST") requests.push(request.postDataJSON() as never);
      });
      const row = () => partnershipRows(page).then((rows) => rows.find((r) => r.id === fixture.reseller.id)!);
      expect(await row()).toEqual({ id: fixture.reseller.id, loaded: 10, total: 25 });
      // A filter of the view hides what does not match; it does not change what a page of the partnership is.
      await page.getByLabel("Country").selectOption("US");
      const more = page.locator(`#partnerships li[data-partner-id="${fixture.reseller.id}"] button`);
      await more.click();
      await expect.poll(() => row(), POLL).toEqual({ id: fixture.reseller.id, loaded: 25, total: 25 });
      expect(await more.isHidden()).toBe(true);
      await expect.poll(() => page.locator("#filter-count").getAttribute("data-shown"), POLL).toBe(String(Number((await summaryOf(page)).customersDrawn) - 1));
      await page.getByLabel("Country").selectOption("");
      const expand = requests.filter((r) => r.operationName === "ExplorerCustomers");
      expect(expand).toHaveLength(1);
      expect(expand[0]!.variables).toMatchObject({ first: 20, where: { sharedWithPartnerId: fixture.reseller.id } });
      expect(typeof expand[0]!.variables.after).toBe("string");
      const csv = parseCsv((await downloadText(page, "Export CSV")).bytes.toString("utf8"));
      const shared = csv.filter((r) => r.kind === "customer").map((r) => r.id).sort();
      expect(shared).toEqual([...fixture.sharedCustomers.map((c) => c.id)].sort());
    } finally {
      await context.close();
      await app.cypher("MATCH (c:Customer {id: $id}) SET c.countryCode = 'US'", { id: last.id });
    }
  });

  it("when a provider has more partnerships than a page (100), then the first view draws 100 and More partnerships loads the rest, as the API counts them", async () => {
    // 100 more resellers partnered with the fixture's provider (101 in all), no customers; tagged, removed with the fixture.
    const extra = Array.from({ length: 100 }, (_, i) => ({ id: newId("Partner"), name: `Fixture Extra Reseller ${fixture.tag} ${String(i).padStart(3, "0")}`, mpnId: String(9_000_000 + i) }));
    await app.cypher(
      `MATCH (p:Partner {id: $provider})
       UNWIND $extra AS x
       CREATE (r:Partner:Reseller {id: x.id, kind: 'RESELLER', name: x.name, nameLower: toLower(x.name), mpnId: x.mpnId, countryCode: 'US',
         tenantDomain: x.id + '.example', enrollmentStatus: 'ACTIVE', fixture: $tag, createdAt: datetime()})
       CREATE (p)-[:INDIRECT_PROVIDER_OF {since: datetime(), listKey: ${partnershipKeyOf("p", "r")}}]->(r)`,
      { provider: fixture.provider.id, extra, tag: fixture.tag },
    );
    await recountShared(app, [fixture.provider.id, ...extra.map((x) => x.id)], [fixture.provider.id]);
    const { context, page } = await openAs(fixture.providerUsers.ga!, fixture.password);
    try {
      const token = await app.signInOnce(fixture.providerUsers.ga!, fixture.password);
      const api = await app.op<{ me: { partner: { indirectResellers: { totalCount: number } } } }>("IndirectResellers", { first: 1 }, token);
      expect(api.data!.me.partner.indirectResellers.totalCount).toBe(101);
      expect(await summaryOf(page).then((s) => [s.partnersDrawn, s.partnersTotal])).toEqual(["100", "101"]);
      await page.getByRole("button", { name: "More partnerships" }).click();
      await expect.poll(() => summaryOf(page).then((s) => [s.partnersDrawn, s.partnersTotal]), POLL).toEqual(["101", "101"]);
      expect(await page.getByRole("button", { name: "More partnerships" }).isHidden()).toBe(true);
      expect((await partnershipRows(page)).length).toBe(101);
    } finally {
      await context.close();
      // Back to the fixture's one partnership for the tests after this one.
      await app.cypher("MATCH (r:Reseller) WHERE r.id IN $ids DETACH DELETE r", { ids: extra.map((x) => x.id) });
      await recountShared(app, [fixture.provider.id], [fixture.provider.id]);
    }
  });

  it("when customers without a provider are highlighted (D-27) and the view is filtered by country and product family, then the page marks and keeps exactly the customers the API names", async () => {
    const { context, page } = await openAs(fixture.resellerUsers.ga!, fixture.password);
    try {
      const token = await app.signInOnce(fixture.resellerUsers.ga!, fixture.password);
      const without = await app.lifecycle<{ customers: { totalCount: number; edges: { node: { id: string } }[] } }>("CustomersWithoutProvider", { first: 100 }, token);
      // The fixture's solo customer: only the reseller is of record, so no provider can order (D-12).
      expect(without.data!.customers.edges.map((e) => e.node.id)).toEqual([fixture.resellerOnlyCustomer.id]);
      await page.getByLabel("Highlight customers without a provider (D-27)").check();
      await expect.poll(() => page.locator("#without-provider-count").innerText(), POLL).toBe(`1 of ${without.data!.customers.totalCount} highlighted`);
      const csv = parseCsv((await downloadText(page, "Export CSV")).bytes.toString("utf8"));
      expect(csv.filter((r) => r.withoutProvider === "true").map((r) => r.id)).toEqual([fixture.resellerOnlyCustomer.id]);

      // A subscription of one shared customer makes it the only AZURE one (removed with the fixture's
      // customer; not tagged itself: the fixture's cleanup would reach other subscriptions of the
      // offer through it).
      const azure = fixture.sharedCustomers[0]!;
      await app.cypher(
        `MATCH (c:Customer {id: $id}), (o:Offer) WHERE o.productFamily = 'AZURE'
         WITH c, o LIMIT 1
         CREATE (c)-[:HAS_SUBSCRIPTION]->(s:Subscription {id: $sid, offerId: o.id, offerName: o.name, productFamily: 'AZURE', quantity: 1, status: 'ACTIVE', createdAt: datetime()})-[:OF_OFFER]->(o)`,
        { id: azure.id, sid: `sub_${fixture.tag}_azure` },
      );
      await page.reload();
      await expect.poll(() => page.evaluate(() => document.body.dataset.state), POLL).toBe("ready");
      await page.getByLabel("Product family").selectOption("AZURE");
      await expect.poll(() => page.locator("#filter-count").getAttribute("data-shown"), POLL).toBe("1");
      const filtered = parseCsv((await downloadText(page, "Export CSV")).bytes.toString("utf8"));
      expect(filtered.filter((r) => r.kind === "customer").map((r) => r.id)).toEqual([azure.id]);
      // Every fixture customer is in US: that filter keeps them all; none is in DE.
      await page.getByLabel("Product family").selectOption("");
      await page.getByLabel("Country").selectOption("US");
      const drawn = Number((await summaryOf(page)).customersDrawn);
      await expect.poll(() => page.locator("#filter-count").getAttribute("data-shown"), POLL).toBe(String(drawn));
    } finally {
      await context.close();
    }
  });

  it("when the demo provider's helpdesk and sales agents sign in, then the same channel is drawn as for its global admin (C1, C16 for all three); when its user with no role, its user management admin or the operator signs in, then a clear message and nothing drawn", async () => {
    const ga = await openAs("ga@contosodist.example");
    const gaSummary = await summaryOf(ga.page);
    await ga.context.close();
    for (const local of ["ha", "sa"]) {
      const agent = await openAs(`${local}@contosodist.example`);
      try {
        expect(await agent.page.evaluate(() => document.body.dataset.state), local).toBe("ready");
        expect(await summaryOf(agent.page), local).toEqual(gaSummary);
        if (local === "ha") await agent.page.screenshot({ path: join(SCREENSHOTS, "explorer-helpdesk.png") });
      } finally {
        await agent.context.close();
      }
    }
    for (const email of ["none@contosodist.example", "uma@contosodist.example", "operator@platform.example"]) {
      const user = await openAs(email);
      try {
        expect(await user.page.evaluate(() => document.body.dataset.state), email).toBe("denied");
        const message = await user.page.locator("#message").innerText();
        if (email.startsWith("operator")) expect(message).toContain("T-7");
        else {
          // Names what is missing and who can grant it.
          expect(message).toContain("C1");
          expect(message).toContain("C16");
          expect(message).toContain("global admin");
        }
        expect(await user.page.locator("#explorer").isHidden()).toBe(true);
        expect(await user.page.locator("canvas").count()).toBe(0);
        if (email.startsWith("none")) await user.page.screenshot({ path: join(SCREENSHOTS, "explorer-no-role.png") });
      } finally {
        await user.context.close();
      }
    }
  });

  it("when a customer accepts, a relationship ends and a partnership ends, then the open pages follow live (channelEvents), without a reload", async () => {
    const reseller = await openAs(fixture.resellerUsers.ga!, fixture.password);
    const provider = await openAs(fixture.providerUsers.ga!, fixture.password);
    try {
      await expect.poll(() => reseller.page.locator("#live").getAttribute("data-state"), POLL).toBe("live");
      await expect.poll(() => provider.page.locator("#live").getAttribute("data-state"), POLL).toBe("live");
      const token = await app.signInOnce(fixture.resellerUsers.ga!, fixture.password);
      const before = Number((await summaryOf(reseller.page)).customersDrawn);

      // A new customer accepts the reseller's invitation (D-14): it appears.
      const email = `it@new-${fixture.tag}.example`;
      const request = await app.op("RequestResellerRelationship", { customerEmail: email }, token);
      expect(request.errors).toBeUndefined();
      const mail = latestMail(app.mailDir, email)!;
      const accepted = await app.op<{ acceptRelationshipRequest: { customer: { id: string } } }>("AcceptRelationshipRequest", {
        token: mail.token,
        customer: { companyName: `New Customer ${fixture.tag}`, domain: `new-${fixture.tag}.example`, countryCode: "US" },
      });
      expect(accepted.errors).toBeUndefined();
      await app.cypher("MATCH (c:Customer {id: $id}) SET c.fixture = $tag", { id: accepted.data!.acceptRelationshipRequest.customer.id, tag: fixture.tag });
      await expect.poll(() => summaryOf(reseller.page).then((s) => Number(s.customersDrawn)), POLL).toBe(before + 1);

      // The reseller ends its relationship with its own customer (D-20): it goes.
      const ended = await app.lifecycle("EndCustomerRelationship", { customerId: fixture.resellerOnlyCustomer.id }, token);
      expect(ended.errors).toBeUndefined();
      await expect.poll(() => summaryOf(reseller.page).then((s) => Number(s.customersDrawn)), POLL).toBe(before);

      // The reseller ends the partnership (D-22): the provider's page drops the reseller.
      expect(Number((await summaryOf(provider.page)).partnersDrawn)).toBe(1);
      const endPartnership = await app.lifecycle("EndPartnership", { partnerId: fixture.provider.id }, token);
      expect(endPartnership.errors).toBeUndefined();
      await expect.poll(() => summaryOf(provider.page).then((s) => [s.partnersDrawn, s.partnersTotal]), POLL).toEqual(["0", "0"]);
      await expect.poll(() => summaryOf(reseller.page).then((s) => s.partnersDrawn), POLL).toBe("0");
      expect(reseller.errors).toEqual([]);
      expect(provider.errors).toEqual([]);
    } finally {
      await reseller.context.close();
      await provider.context.close();
    }
  });

  it("when the page's connection is cut while a customer accepts, then it reconnects, resumes after the last event it saw and draws the customer (no event missed, no reload)", async () => {
    // The page talks to the API through a TCP proxy on 127.0.0.1 that can cut every connection.
    const proxy = new TcpProxy({ host: "127.0.0.1", port: Number(new URL(app.url).port) });
    await proxy.start();
    const reseller = await openAs(fixture.resellerUsers.ga!, fixture.password, `http://127.0.0.1:${proxy.port}`);
    try {
      await expect.poll(() => reseller.page.locator("#live").getAttribute("data-state"), POLL).toBe("live");
      const token = await app.signInOnce(fixture.resellerUsers.ga!, fixture.password);
      const before = Number((await summaryOf(reseller.page)).customersDrawn);
      // Every connection cut, new ones refused: the WebSocket drops and the page retries (0.5 s, 1 s, ...).
      proxy.refuse();
      await expect.poll(() => reseller.page.locator("#live").getAttribute("data-state"), POLL).toBe("retrying");
      const email = `it@cut-${fixture.tag}.example`;
      expect((await app.op("RequestResellerRelationship", { customerEmail: email }, token)).errors).toBeUndefined();
      const accepted = await app.op<{ acceptRelationshipRequest: { customer: { id: string } } }>("AcceptRelationshipRequest", {
        token: latestMail(app.mailDir, email)!.token,
        customer: { companyName: `Cut Customer ${fixture.tag}`, domain: `cut-${fixture.tag}.example`, countryCode: "US" },
      });
      expect(accepted.errors).toBeUndefined();
      await app.cypher("MATCH (c:Customer {id: $id}) SET c.fixture = $tag", { id: accepted.data!.acceptRelationshipRequest.customer.id, tag: fixture.tag });
      // The event is numbered and delivered to the connected subscribers while the page is away.
      await app.events.sequencer.drain();
      expect(Number((await summaryOf(reseller.page)).customersDrawn)).toBe(before);
      proxy.serve();
      await expect.poll(() => reseller.page.locator("#live").getAttribute("data-state"), POLL).toBe("live");
      await expect.poll(() => summaryOf(reseller.page).then((s) => Number(s.customersDrawn)), POLL).toBe(before + 1);
      expect(Number(await reseller.page.locator("#live").getAttribute("data-retries"))).toBeGreaterThan(0);
      expect(reseller.errors).toEqual([]);
    } finally {
      await reseller.context.close();
      await proxy.kill();
    }
  });

  it("when signed out, then the token leaves sessionStorage and the sign-in form is back", async () => {
    const { context, page } = await openAs(fixture.providerUsers.sa!, fixture.password);
    try {
      expect(await page.evaluate(() => document.body.dataset.state)).toBe("ready");
      expect(await page.evaluate(() => Object.keys(sessionStorage))).toEqual(["csp-explorer-session"]);
      await page.getByRole("button", { name: "Sign out" }).click();
      await expect.poll(() => page.evaluate(() => document.body.dataset.state), POLL).toBe("signed-out");
      expect(await page.evaluate(() => Object.keys(sessionStorage))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

// Leaves a note where the screenshots are, for whoever runs the tests by hand.
afterAll(() => {
  if (existsSync(SCREENSHOTS)) writeFileSync(join(SCREENSHOTS, "README.txt"), "Screenshots saved by test/app/explorer.test.ts (issue 16).\n");
});
