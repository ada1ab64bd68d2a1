import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSchema, Kind, parse, validate, type OperationDefinitionNode } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/shared/config.js";
import { newWebhookSecret, signBody } from "../../src/modules/webhooks/signature.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { freePort, post } from "../support/http.js";

/**
 * Issue 12, points 3 and 6: what the README shows frontend teams and analysts is what runs. The
 * "For analysts" section's GraphQL blocks are valid against the schema and answer their questions
 * on the demo channel (DEMO.md); the "For frontend teams" typed client is examples/typed-client.ts
 * (which test/app/typed-client.test.ts compiles and runs).
 */

const README = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");

/** The body of the `## <title>` section, up to the next `## `. */
function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no "## ${title}" section`);
  const end = README.indexOf("\n## ", start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

function codeBlocks(text: string, language: string): string[] {
  return [...text.matchAll(new RegExp("^```" + language + "\\n([\\s\\S]*?)^```$", "gm"))].map((m) => m[1]!);
}

const analystQueries = new Map(
  codeBlocks(section("For analysts"), "graphql").map((text) => {
    const operation = parse(text).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    return [operation?.name?.value ?? "(anonymous)", text] as const;
  }),
);

interface CustomerNode {
  id: string;
  companyName: string;
  channelPaths?: { provider: { name: string }; reseller?: { name: string }; providerCanOrder: boolean }[];
}
type Page = { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: CustomerNode }[] };

describe("README examples (issue 12, points 3 and 6)", () => {
  let app: TestApp;
  let contoso: string;
  let adatum: string;

  beforeAll(async () => {
    app = await startTestApp();
    [contoso, adatum] = await Promise.all([app.signInOnce("ga@contosodist.example"), app.signInOnce("ga@adatum.example")]);
  });

  afterAll(async () => {
    await app?.close();
  });

  async function run<T>(name: string, variables: Record<string, unknown>, token: string): Promise<T> {
    const query = analystQueries.get(name);
    if (!query) throw new Error(`README "For analysts" has no query ${name}`);
    const result = await app.gql<T>(query, { variables, token });
    expect(result.errors, name).toBeUndefined();
    return result.data!;
  }

  /** Every page of a customers query, following pageInfo.endCursor. */
  async function allPages(name: string, variables: Record<string, unknown>, token: string): Promise<CustomerNode[]> {
    const nodes: CustomerNode[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const { customers }: { customers: Page } = await run<{ customers: Page }>(name, { ...variables, after }, token);
      nodes.push(...customers.edges.map((e) => e.node));
      if (!customers.pageInfo.hasNextPage) return nodes;
      after = customers.pageInfo.endCursor;
    }
    throw new Error(`${name}: more than 100 pages`);
  }

  it("when the analysts' section is read, then it has the six queries of its five questions, each valid against the schema", () => {
    expect([...analystQueries.keys()].sort()).toEqual(
      ["ChannelPaths", "CustomersWithoutProvider", "DelegatedAdminByStatus", "OrdersWithPartnerOfRecord", "ResellersWithSharedCustomers", "SharedCustomers"].sort(),
    );
    const schema = buildSchema(readFileSync(join(PROJECT_ROOT, "schema", "schema.graphql"), "utf8"));
    for (const [name, text] of analystQueries) expect(validate(schema, parse(text)).map((e) => e.message), name).toEqual([]);
  });

  it("when a provider asks for the customers it shares with a reseller (D-11), then both README queries answer with the demo's shared customers", async () => {
    const { me } = await run<{ me: { partner: { indirectResellers: { edges: { node: { id: string; name: string; sharedCustomers: { totalCount: number } } }[] } } } }>(
      "ResellersWithSharedCustomers",
      {},
      contoso,
    );
    const adatumIt = me.partner.indirectResellers.edges.map((e) => e.node).find((n) => n.name === "Adatum IT");
    expect(adatumIt?.sharedCustomers.totalCount).toBeGreaterThanOrEqual(3);
    const shared = (await allPages("SharedCustomers", { partnerId: adatumIt!.id }, contoso)).map((c) => c.companyName);
    expect(shared).toEqual(expect.arrayContaining(["Alpine Ski House", "Blue Yonder Airlines", "Proseware"]));
    // City Power & Light is Adatum's only: not shared (Contoso has no reseller relationship with it).
    expect(shared).not.toContain("City Power & Light");
    expect(shared).toHaveLength(adatumIt!.sharedCustomers.totalCount);
  });

  it("when a provider asks for a customer's channel paths (D-12), then the README query lists each provider–reseller pair", async () => {
    const found = await app.op<{ customers: Page }>("Customers", { where: { search: "proseware" } }, contoso);
    const proseware = found.data!.customers.edges.find((e) => e.node.companyName === "Proseware")!.node;
    const { customer } = await run<{ customer: CustomerNode }>("ChannelPaths", { id: proseware.id }, contoso);
    expect(customer.channelPaths!.map((p) => `${p.provider.name} / ${p.reseller!.name} / ${p.providerCanOrder}`).sort()).toEqual([
      "Contoso Distribution / Adatum IT / true",
      "Contoso Distribution / Litware Cloud / true",
    ]);
  });

  it("when a reseller asks for its customers without a provider (D-27), then the list is exactly what channelStats counts, the demo's City Power & Light, and none has a path whose provider can order", async () => {
    const { channelStats } = await run<{ channelStats: { customers: number; customersWithoutProvider: number } }>("CustomersWithoutProvider", {}, adatum);
    const customers = await allPages("CustomersWithoutProvider", {}, adatum);
    expect(customers.map((c) => c.companyName)).toContain("City Power & Light");
    expect(customers.map((c) => c.companyName)).not.toContain("Alpine Ski House");
    expect(customers).toHaveLength(channelStats.customersWithoutProvider);
    for (const c of customers) expect(c.channelPaths!.some((p) => p.providerCanOrder), c.companyName).toBe(false);
  });

  it("when a provider orders for a shared customer, then the README's orders query shows it newest first with the reseller's MPN ID on record (D-19, D-27)", async () => {
    const found = await app.op<{ customers: Page }>("Customers", { where: { search: "alpine" } }, contoso);
    const alpine = found.data!.customers.edges.find((e) => e.node.companyName === "Alpine Ski House")!.node;
    const { me } = await run<{ me: { partner: { indirectResellers: { edges: { node: { id: string; name: string } }[] } } } }>("ResellersWithSharedCustomers", {}, contoso);
    const adatumIt = me.partner.indirectResellers.edges.map((e) => e.node).find((n) => n.name === "Adatum IT")!;
    const offers = (await app.op<{ offers: { id: string }[] }>("Offers", {}, contoso)).data!.offers;
    const submitted = await app.op<{ submitOrder: { order: { id: string } } }>(
      "SubmitOrder",
      { input: { customerId: alpine.id, resellerId: adatumIt.id, lineItems: [{ offerId: offers[0].id, quantity: 2 }] } },
      contoso,
    );
    const orderId = submitted.data!.submitOrder.order.id;
    try {
      const { orders } = await run<{ orders: { edges: { node: { id: string; partnerIdOnRecord: string; customer: { companyName: string }; reseller: { name: string; mpnId: string } } }[] } }>(
        "OrdersWithPartnerOfRecord",
        { customerId: alpine.id },
        contoso,
      );
      expect(orders.edges[0].node).toMatchObject({ id: orderId, partnerIdOnRecord: "2000001", customer: { companyName: "Alpine Ski House" }, reseller: { name: "Adatum IT", mpnId: "2000001" } });
    } finally {
      // The demo stays as DEMO.md describes it: the order and what it created go.
      await app.cypher("MATCH (o:Order {id: $orderId}) OPTIONAL MATCH (o)-[:CREATED]->(s:Subscription) DETACH DELETE o, s", { orderId });
    }
  });

  it("when a reseller asks for its delegated admin by state (D-25), then each of its demo customers has an ACTIVE relationship with the default roles", async () => {
    const { delegatedAdminRelationships } = await run<{
      delegatedAdminRelationships: { edges: { node: { status: string; roles: string[]; customer: { companyName: string } | null } }[] };
    }>("DelegatedAdminByStatus", { status: "ACTIVE" }, adatum);
    const nodes = delegatedAdminRelationships.edges.map((e) => e.node);
    expect(nodes.map((n) => n.customer?.companyName)).toEqual(expect.arrayContaining(["Alpine Ski House", "Blue Yonder Airlines", "City Power & Light", "Proseware"]));
    for (const node of nodes) expect(node.status).toBe("ACTIVE");
    expect(nodes.find((n) => n.customer?.companyName === "Proseware")!.roles).toEqual(
      expect.arrayContaining(["USER_ADMINISTRATOR", "LICENSE_ADMINISTRATOR", "HELPDESK_ADMINISTRATOR", "SERVICE_SUPPORT_ADMINISTRATOR"]),
    );
  });

  it("when the frontend section shows the typed client, then it is examples/typed-client.ts (less its header comment)", () => {
    const shown = codeBlocks(section("For frontend teams"), "ts").find((block) => block.includes("export async function request"));
    const file = readFileSync(join(PROJECT_ROOT, "examples", "typed-client.ts"), "utf8");
    expect(shown).toBe(file.replace(/^(\/\/.*\n)+/, ""));
  });

  describe("Channel events (issue 14)", () => {
    const events = section("Channel events");
    const schema = () => buildSchema(readFileSync(join(PROJECT_ROOT, "schema", "schema.graphql"), "utf8"));

    it("when the section's GraphQL blocks and the live client's document are read, then each is valid against the schema", () => {
      const blocks = codeBlocks(events, "graphql");
      expect(blocks.length).toBe(2); // the feed, createWebhook
      const [client] = codeBlocks(events, "ts");
      const live = /query: "([^"]+)"/.exec(client!)?.[1];
      expect(live, "the ts block's subscription document").toBeDefined();
      for (const text of [...blocks, live!]) expect(validate(schema(), parse(text)).map((e) => e.message), text).toEqual([]);
    });

    it("when a provider's admin runs the feed query of the README, then it answers a page of its events, newest first", async () => {
      const [feed] = codeBlocks(events, "graphql");
      const result = await app.gql<{ events: { totalCount: number; edges: { node: { at: string } }[] } }>(feed!, { variables: { first: 5 }, token: contoso });
      expect(result.errors).toBeUndefined();
      const ats = result.data!.events.edges.map((e) => Date.parse(e.node.at));
      expect(ats).toEqual([...ats].sort((a, b) => b - a));
      expect(result.data!.events.totalCount).toBeGreaterThanOrEqual(ats.length);
    });

    it("when the README's webhook receiver (the js block, run as written) gets a POST signed by the server's signer, then it answers 204, and 401 to a body or signature that differs", async () => {
      const [receiver] = codeBlocks(events, "js");
      expect(receiver!.split("\n").filter((line) => line.trim() !== "").length, "the verification example is about 10 lines").toBeLessThanOrEqual(12);
      const dir = mkdtempSync(join(tmpdir(), "readme-receiver-"));
      const file = join(dir, "receiver.mjs");
      writeFileSync(file, receiver!);
      const secret = newWebhookSecret();
      const port = await freePort();
      const child = spawn(process.execPath, [file], { env: { ...process.env, WEBHOOK_SECRET: secret, PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] });
      let printed = "";
      child.stdout.on("data", (chunk: Buffer) => (printed += chunk.toString()));
      try {
        const url = `http://127.0.0.1:${port}/`;
        const body = JSON.stringify({ id: "che_readme", type: "ORDER_SUBMITTED", at: new Date(0).toISOString(), subjectId: "ord_x", summary: "Zoë’s order", webhookId: "whk_x" });
        // Wait for the receiver to listen (bounded by attempts).
        let first: Awaited<ReturnType<typeof post>> | undefined;
        for (let attempt = 0; attempt < 200 && !first; attempt++) {
          first = await post(url, body, { "content-type": "application/json", "x-channel-signature": signBody(secret, body) }).catch(async () => {
            await new Promise((r) => setTimeout(r, 50));
            return undefined;
          });
        }
        expect(first?.status).toBe(204);
        expect((await post(url, body + " ", { "x-channel-signature": signBody(secret, body) })).status).toBe(401);
        expect((await post(url, body, { "x-channel-signature": signBody(newWebhookSecret(), body) })).status).toBe(401);
        expect((await post(url, body, {})).status).toBe(401);
        expect(printed).toContain("che_readme");
      } finally {
        child.kill();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
