import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createServer as createTcpServer } from "node:net";
import { createClient, type Client } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { PROJECT_ROOT } from "../../src/shared/config.js";
import { EVENTS_OPERATIONS, operationOf, startTestApp, tokenGetter, uniqueTag, type GqlResult, type TestApp } from "../support/app.js";
import { createChannel, createPartner, type Channel, type FixturePartner } from "../support/fixtures.js";
import { TcpProxy } from "../support/tcp-proxy.js";

/**
 * Issue 14's "Done when", through the API only: a reseller's global admin subscribes to
 * `channelEvents` (graphql-ws) and registers a webhook on 127.0.0.1; a provider invites the
 * reseller and the reseller authorizes it, a customer accepts the reseller's invitation; then each
 * event (PARTNERSHIP_AUTHORIZED, CUSTOMER_RELATIONSHIP_ACCEPTED) arrives live with a cursor, is
 * first in the `events` feed with the same id (D-28, D-29), and reaches the webhook signed with the
 * secret createWebhook showed, with X-Channel-Event-Id its id (D-30). The partner example
 * (examples/channel-events.ts) runs as a child process against the same app, through a TCP proxy
 * that cuts its connection once: it prints the event live and at its webhook, and after the cut
 * resumes with `after` and prints the event it missed, once.
 *
 * Test apps do not run the webhook loop (WEBHOOK_DELIVERY): deliveries are driven with
 * sequencer.drain() + webhooks.runOnce({ partnerIds }), scoped to this file's organisations (the
 * database is shared: another file's attempts are its own to make, on its clock). Every wait is a bounded poll of a condition; no timing
 * is asserted. Loopback only.
 */

let app: TestApp;
let ch: Channel;
const tag = uniqueTag();
/** Providers with no partnership yet, each to be authorized by ch.reseller once. */
const providers: FixturePartner[] = [];
let receiver: Server;
let receiverUrl: string;
const received: { headers: IncomingHttpHeaders; raw: Buffer }[] = [];
const tokenOf = tokenGetter(() => app, () => ch.password);
const WAIT = { timeout: 30_000, interval: 100 };
const CHANNEL_EVENTS = operationOf(EVENTS_OPERATIONS, "ChannelEvents");

interface EventView {
  id: string;
  type: string;
  at: string;
  subjectId: string;
  summary: string;
}

beforeAll(async () => {
  app = await startTestApp();
  ch = await createChannel(app, tag);
  for (const label of ["stprov", "exprov", "cutprov"]) providers.push(await createPartner(app, tag, "PROVIDER", label, ch.password));
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, raw: Buffer.concat(chunks) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/story`;
});

afterAll(async () => {
  if (app) {
    // The customer the acceptance created (no fixture tag): its edges to the fixture go with it.
    await app.cypher("MATCH (c:Customer) WHERE c.domain ENDS WITH $suffix AND c.fixture IS NULL DETACH DELETE c", { suffix: `-${tag}.example` });
    await ch?.remove();
    await app.close();
  }
  await new Promise((resolve) => receiver?.close(resolve));
});

function ok<T>(result: GqlResult<T>, step: string): T {
  expect(result.errors, `${step}: ${JSON.stringify(result.errors)}`).toBeUndefined();
  return result.data!;
}

const linkToken = (link: string) => new URL(link).searchParams.get("token")!;

/** D-9: `provider` invites ch.reseller, whose global admin authorizes it through the link: PARTNERSHIP_AUTHORIZED. */
async function authorizeProvider(provider: FixturePartner): Promise<void> {
  const { inviteReseller } = ok(
    await app.op<{ inviteReseller: { link: string } }>(
      "InviteReseller",
      { input: { resellerMpnId: ch.reseller.mpnId, email: ch.resellerUsers.ga } },
      await tokenOf(provider.ga),
    ),
    "invite the reseller",
  );
  ok(await app.op("AuthorizeIndirectProvider", { token: linkToken(inviteReseller.link) }, await tokenOf(ch.resellerUsers.ga)), "authorize the provider");
}

/** The newest event of the reseller's feed (of `type` when given), as its global admin reads it. */
async function newestInFeed(type?: string): Promise<EventView> {
  const { events } = ok(
    await app.eventOp<{ events: { edges: { cursor: string; node: EventView }[] } }>(
      "Events",
      { first: 1, where: type ? { types: [type] } : null },
      await tokenOf(ch.resellerUsers.ga),
    ),
    "events",
  );
  expect(events.edges).toHaveLength(1);
  return events.edges[0].node;
}

/** Numbers what committed, fans it out to the webhooks and makes every due attempt (the loop's work, WEBHOOK_DELIVERY). */
async function deliver(): Promise<void> {
  await app.events.sequencer.drain();
  await app.events.webhooks.runOnce({ partnerIds: [ch.provider.id, ch.reseller.id, ...providers.map((p) => p.id)] });
}

function validSignature(secret: string, headers: IncomingHttpHeaders, raw: Buffer): boolean {
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(raw).digest("hex")}`);
  const given = Buffer.from(String(headers["x-channel-signature"] ?? ""));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe("issue 14, done when: an event live, in the feed and at a signed webhook, through the API", () => {
  it("when a reseller authorizes a provider and a customer accepts its invitation, then each event arrives live with a cursor, is first in the feed with the same id, and reaches the webhook signed, X-Channel-Event-Id its id", async () => {
    const token = await tokenOf(ch.resellerUsers.ga);
    const messages: { cursor: string; event: EventView }[] = [];
    const before = app.events.hub.size;
    const client: Client = createClient({
      url: app.url.replace(/^http/, "ws"),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    let failure: unknown = null;
    const unsubscribe = client.subscribe<{ channelEvents: { cursor: string; event: EventView } }>(
      { query: CHANNEL_EVENTS, operationName: "ChannelEvents", variables: {} },
      { next: (result) => result.data && messages.push(result.data.channelEvents), error: (error) => (failure = error), complete: () => {} },
    );
    try {
      await vi.waitFor(() => expect(app.events.hub.size).toBe(before + 1), WAIT);
      const { createWebhook } = ok(
        await app.eventOp<{ createWebhook: { webhook: { id: string; url: string; active: boolean }; secret: string } }>(
          "CreateWebhook",
          { input: { url: receiverUrl, events: ["PARTNERSHIP_AUTHORIZED", "CUSTOMER_RELATIONSHIP_ACCEPTED"] } },
          token,
        ),
        "createWebhook",
      );
      expect(createWebhook.webhook).toMatchObject({ url: receiverUrl, active: true });

      // A provider is authorized (D-9): live, then first in the feed.
      await authorizeProvider(providers[0]);
      await vi.waitFor(() => expect(messages.map((m) => m.event.type)).toContain("PARTNERSHIP_AUTHORIZED"), WAIT);
      const authorized = messages.find((m) => m.event.type === "PARTNERSHIP_AUTHORIZED")!;
      expect(authorized.cursor).toEqual(expect.any(String));
      expect(authorized.event).toMatchObject({ subjectId: ch.reseller.id, summary: `${ch.reseller.name} authorized ${providers[0].name} as its indirect provider.` });
      expect(await newestInFeed()).toEqual(authorized.event);

      // A customer new to the graph accepts the reseller's invitation with its provider (D-16).
      const domain = `newco-${tag}.example`;
      const { inviteCustomerWithProvider } = ok(
        await app.op<{ inviteCustomerWithProvider: { link: string } }>("InviteCustomerWithProvider", { providerId: ch.provider.id, customerEmail: `it@${domain}` }, token),
        "invite the customer",
      );
      const { acceptRelationshipRequest } = ok(
        await app.op<{ acceptRelationshipRequest: { customer: { id: string } } }>("AcceptRelationshipRequest", {
          token: linkToken(inviteCustomerWithProvider.link),
          customer: { companyName: `NewCo ${tag}`, domain, countryCode: "US" },
        }),
        "accept",
      );
      await vi.waitFor(() => expect(messages.map((m) => m.event.type)).toContain("CUSTOMER_RELATIONSHIP_ACCEPTED"), WAIT);
      const accepted = messages.find((m) => m.event.type === "CUSTOMER_RELATIONSHIP_ACCEPTED")!;
      expect(accepted.event.subjectId).toBe(acceptRelationshipRequest.customer.id);
      expect(accepted.cursor).not.toBe(authorized.cursor);
      // The same change also wrote DELEGATED_ADMIN_APPROVED (same `at`): first of its type.
      expect(await newestInFeed("CUSTOMER_RELATIONSHIP_ACCEPTED")).toEqual(accepted.event);
      expect(failure).toBeNull();

      // The webhook: each event once, signed with the secret shown by createWebhook.
      const wanted = [authorized.event, accepted.event];
      const deliveries = () => received.filter((r) => wanted.some((e) => e.id === r.headers["x-channel-event-id"]));
      await vi.waitFor(async () => {
        await deliver();
        expect(deliveries()).toHaveLength(2);
      }, WAIT);
      for (const event of wanted) {
        const [delivery] = deliveries().filter((r) => r.headers["x-channel-event-id"] === event.id);
        expect(validSignature(createWebhook.secret, delivery.headers, delivery.raw), `signature of ${event.type}`).toBe(true);
        expect(delivery.headers["x-channel-event-type"]).toBe(event.type);
        expect(JSON.parse(delivery.raw.toString("utf8"))).toEqual({ ...event, webhookId: createWebhook.webhook.id });
      }
      ok(await app.eventOp("DeleteWebhook", { id: createWebhook.webhook.id }, token), "deleteWebhook");
    } finally {
      unsubscribe();
      await client.dispose();
    }
  });
});

// ------------------------------------------------------------------------------------ the example

/** A port nothing listens on (for the example's receiver). */
async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("the partner example (examples/channel-events.ts) against the API", () => {
  let child: ChildProcess | undefined;
  let proxy: TcpProxy | undefined;

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    await proxy?.kill();
  });

  it("when it watches as the reseller's global admin with WEBHOOK_PORT, then it prints an authorization live and at its verified webhook; when its connection is cut, it resumes after its last cursor and prints the event it missed, once; on SIGTERM it deletes its webhook", { timeout: 120_000 }, async () => {
    proxy = new TcpProxy({ host: "127.0.0.1", port: Number(new URL(app.url).port) });
    await proxy.start();
    const apiUrl = `http://127.0.0.1:${proxy.port}/graphql`;
    // The first test's subscription is gone once the server has seen its connection close.
    await vi.waitFor(() => expect(app.events.hub.size).toBe(0), WAIT);
    const before = 0;
    const lines: string[] = [];
    let output = "";
    child = spawn(process.execPath, ["--import", "tsx", "examples/channel-events.ts"], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, API_URL: apiUrl, EMAIL: ch.resellerUsers.ga, PASSWORD: ch.password, WEBHOOK_PORT: String(await freePort()) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child!.once("exit", (code) => resolve(code)));
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      lines.push(...output.split("\n").slice(0, -1));
      output = output.slice(output.lastIndexOf("\n") + 1);
    });
    let errors = "";
    child.stderr!.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    const printed = () => `stdout:\n${lines.join("\n")}\nstderr:\n${errors}`;

    await vi.waitFor(() => expect(lines, printed()).toContain(`watching channel events as ${ch.resellerUsers.ga} on ${apiUrl}`), WAIT);
    const webhookLine = lines.map((line) => /^webhook (whk_\w+) -> (\S+) \(signing secret, shown once: (whsec_[\w-]+)\)$/.exec(line)).find(Boolean);
    expect(webhookLine, printed()).toBeTruthy();
    const webhookId = webhookLine![1];
    await vi.waitFor(() => expect(app.events.hub.size).toBe(before + 1), WAIT);

    // An authorization: one live line, one webhook line (signature verified by the example).
    await authorizeProvider(providers[1]);
    await app.events.sequencer.drain();
    const first = await newestInFeed("PARTNERSHIP_AUTHORIZED");
    const line = (via: string, e: EventView) => `${via.padEnd(7)} ${e.at} ${e.type} ${e.summary} [${e.id}]`;
    await vi.waitFor(() => expect(lines, printed()).toContain(line("live", first)), WAIT);
    await vi.waitFor(async () => {
      await deliver();
      expect(lines, printed()).toContain(`${line("webhook", first)} signature ok, attempt 1`);
    }, WAIT);

    // The connection is cut; an authorization happens while it is away; it resumes after its last cursor.
    proxy.serve();
    await vi.waitFor(() => expect(app.events.hub.size).toBe(before), WAIT);
    await authorizeProvider(providers[2]);
    await app.events.sequencer.drain();
    const missed = await newestInFeed("PARTNERSHIP_AUTHORIZED");
    expect(missed.id).not.toBe(first.id);
    await vi.waitFor(() => expect(lines, printed()).toContain(line("live", missed)), WAIT);
    expect(lines.some((l) => l.startsWith("reconnected; resuming after "))).toBe(true);
    const live = lines.filter((l) => l.startsWith("live "));
    expect(live).toEqual([line("live", first), line("live", missed)]);
    expect(lines.filter((l) => l.startsWith("webhook REJECTED"))).toEqual([]);

    // Ctrl-C (SIGTERM): it deletes the webhook it made and exits.
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const { webhooks } = ok(await app.eventOp<{ webhooks: { id: string }[] }>("Webhooks", {}, await tokenOf(ch.resellerUsers.ga)), "webhooks");
    expect(webhooks.map((w) => w.id)).not.toContain(webhookId);
  });
});
