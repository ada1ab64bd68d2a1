import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { addressRefusal, UrlPolicy } from "../../src/modules/webhooks/url-policy.js";
import { ManualClock } from "../../src/shared/clock.js";
import { startTestApp, tokenGetter, uniqueTag, type TestApp } from "../support/app.js";
import { expectBadInput, expectCode } from "../support/expect.js";
import { createChannel, holdersOf, latestMail, type Channel } from "../support/fixtures.js";

/**
 * Webhooks (D-30, C18) end to end: the API, the fan-out from the outbox, signed deliveries to a
 * receiver on 127.0.0.1, retries on the domain clock (a ManualClock moved past each backoff, no
 * sleeps), the 24-hour give-up, and two API processes sharing the work. Every pass is scoped to
 * this file's two organisations (`runOnce(scope())`, the loops' WEBHOOK_ONLY_PARTNERS): the
 * database is shared, and another file's attempts (on its clock, to its receiver) are not this
 * file's to claim, nor this file's theirs. Each test deletes its webhooks when done.
 */

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  body: Record<string, unknown>;
}

const clock = new ManualClock();
let app: TestApp;
let channel: Channel;
let receiver: Server;
let base: string;
const received: Received[] = [];
/** The status the receiver answers a request with (by path; 200 by default); null: it never answers (the attempt times out). */
let answer: (request: Received) => number | null = () => 200;
/** Requests open at the receiver now, and the most ever open at once, by path. */
const open = new Map<string, number>();
const mostOpen = new Map<string, number>();
const tokenOf = tokenGetter(() => app, () => channel.password);
let offerId: string;
const created: { id: string; token: string }[] = [];

beforeAll(async () => {
  // Ahead of the system clock: this file's retries are never due for a process on the system clock.
  clock.advance(60 * 60 * 1000);
  app = await startTestApp({}, { clock });
  channel = await createChannel(app, uniqueTag());
  [{ id: offerId }] = await app.cypher<{ id: string }>("MATCH (o:Offer {name: 'Microsoft 365 E3'}) RETURN o.id AS id");
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const entry: Received = { path: req.url ?? "", headers: req.headers, raw, body: JSON.parse(raw.toString("utf8")) as Record<string, unknown> };
      received.push(entry);
      open.set(entry.path, (open.get(entry.path) ?? 0) + 1);
      mostOpen.set(entry.path, Math.max(mostOpen.get(entry.path) ?? 0, open.get(entry.path)!));
      res.on("close", () => open.set(entry.path, open.get(entry.path)! - 1));
      const status = answer(entry);
      if (status === null) return; // hangs: the dispatcher gives up after WEBHOOK_TIMEOUT_MS
      res.statusCode = status;
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterEach(async () => {
  // No task of one test is left for the next one's runOnce.
  for (const { id, token } of created.splice(0)) await app.eventOp("DeleteWebhook", { id }, token);
  answer = () => 200;
});

afterAll(async () => {
  await channel?.remove();
  await app?.close();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

interface WebhookView {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  createdAt: string;
  disabledReason?: string | null;
}

async function createWebhook(path: string, events: string[] = ["ORDER_SUBMITTED"], email = channel.providerUsers.ga): Promise<{ webhook: WebhookView; secret: string }> {
  const token = await tokenOf(email);
  const result = await app.eventOp<{ createWebhook: { webhook: WebhookView; secret: string } }>("CreateWebhook", { input: { url: `${base}${path}`, events } }, token);
  expect(result.errors).toBeUndefined();
  created.push({ id: result.data!.createWebhook.webhook.id, token });
  return result.data!.createWebhook;
}

/** A provider's order for a shared customer: one ORDER_SUBMITTED event concerning the provider and the reseller (D-28). */
async function submitOrder(): Promise<string> {
  const result = await app.op<{ submitOrder: { order: { id: string } } }>(
    "SubmitOrder",
    { input: { customerId: channel.sharedCustomers[0].id, resellerId: channel.reseller.id, lineItems: [{ offerId, quantity: 1 }] } },
    await tokenOf(channel.providerUsers.ga),
  );
  expect(result.errors).toBeUndefined();
  return result.data!.submitOrder.order.id;
}

/** Numbers committed events, then fans out and makes every due attempt. */
async function deliver(target: TestApp = app): Promise<void> {
  await target.events.sequencer.drain();
  await target.events.webhooks.runOnce(scope());
}

interface DeliveryView {
  id: string;
  eventId: string;
  attempt: number;
  at: string;
  statusCode: number | null;
  durationMs: number | null;
  error: string | null;
}

async function deliveries(webhookId: string, first = 50, after?: string, email = channel.providerUsers.ga) {
  const result = await app.eventOp<{
    webhookDeliveries: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { cursor: string; node: DeliveryView }[] };
  }>("WebhookDeliveries", { webhookId, first, after }, await tokenOf(email));
  expect(result.errors).toBeUndefined();
  return result.data!.webhookDeliveries;
}

/** The receiver's check of X-Channel-Signature (the README's example). */
function validSignature(secret: string, request: Received): boolean {
  const expected = Buffer.from("sha256=" + createHmac("sha256", secret).update(request.raw).digest("hex"));
  const given = Buffer.from(String(request.headers["x-channel-signature"] ?? ""));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** This file's organisations: the only ones whose attempts its dispatchers claim. */
const scope = () => ({ partnerIds: [channel.provider.id, channel.reseller.id] });
const at = (path: string) => received.filter((request) => request.path === path);
const SECONDS = 1000;
const MINUTES = 60 * SECONDS;

describe("webhooks through the API (D-30, C18)", () => {
  it("when a global admin creates a webhook, then the secret is in that answer only: not in `webhooks`, not stored in clear (T-5), and an audit event is written", async () => {
    const { webhook, secret } = await createWebhook("/create", ["ORDER_SUBMITTED", "PARTNERSHIP_ENDED", "ORDER_SUBMITTED"]);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(webhook).toMatchObject({ url: `${base}/create`, events: ["PARTNERSHIP_ENDED", "ORDER_SUBMITTED"], active: true });
    const list = await app.eventOp<{ webhooks: WebhookView[] }>("Webhooks", {}, await tokenOf(channel.providerUsers.ga));
    expect(list.errors).toBeUndefined();
    expect(list.data!.webhooks).toContainEqual({ ...webhook, disabledReason: null });
    expect(JSON.stringify(list.data)).not.toContain(secret);
    expect(await holdersOf(app, secret.slice("whsec_".length))).toBe(0);
    const [audit] = await app.cypher<{ n: number }>("MATCH (e:AuditEvent {operation: 'createWebhook'}) WHERE $id IN e.targetIds RETURN count(e) AS n", { id: webhook.id });
    expect(Number(audit.n)).toBe(1);
  });

  it("when the input breaks D-30, then BAD_USER_INPUT names the field and the rule, and nothing is created", async () => {
    const token = await tokenOf(channel.providerUsers.ga);
    const create = (url: string, events: string[] = ["ORDER_SUBMITTED"]) => app.eventOp("CreateWebhook", { input: { url, events } }, token);
    expectBadInput(await create(`${base}/x`, []), "input.events", "D-30");
    expectBadInput(await create("ftp://hooks.example.com/x"), "input.url", "D-30");
    expectBadInput(await create("http://hooks.example.com/x"), "input.url", "D-30");
    expectBadInput(await create("http://user:secret@127.0.0.1:9/x"), "input.url", "credentials");
    expectBadInput(await create("https://10.0.0.1/x"), "input.url", "D-30");
    expectBadInput(await create("https://169.254.169.254/latest"), "input.url", "D-30");
    expectBadInput(await create("https://[::ffff:127.0.0.1]/x"), "input.url", "D-30");
    expectBadInput(await create("not a url"), "input.url", "url format");
    const list = await app.eventOp<{ webhooks: WebhookView[] }>("Webhooks", {}, token);
    expect(list.data!.webhooks).toEqual([]);
  });

  it("when a user without C18 (an admin agent, a user management admin) calls the webhook operations, then each is FORBIDDEN", async () => {
    for (const email of [channel.providerUsers.aa, channel.providerUsers.uma, channel.resellerUsers.sa]) {
      const token = await tokenOf(email);
      expectCode(await app.eventOp("CreateWebhook", { input: { url: `${base}/x`, events: ["ORDER_SUBMITTED"] } }, token), "FORBIDDEN");
      expectCode(await app.eventOp("Webhooks", {}, token), "FORBIDDEN");
      expectCode(await app.eventOp("DeleteWebhook", { id: "whk_aaaaaaaaaaaaaaaaaaaaaaaaaa" }, token), "FORBIDDEN");
      expectCode(await app.eventOp("WebhookDeliveries", { webhookId: "whk_aaaaaaaaaaaaaaaaaaaaaaaaaa" }, token), "FORBIDDEN");
    }
  });

  it("when another organisation's global admin reads, pages or deletes a webhook, then it does not exist for it (NOT_FOUND, T-4)", async () => {
    const { webhook } = await createWebhook("/mine");
    const other = await tokenOf(channel.resellerUsers.ga);
    const list = await app.eventOp<{ webhooks: WebhookView[] }>("Webhooks", {}, other);
    expect(list.data!.webhooks.map((w) => w.id)).not.toContain(webhook.id);
    expectCode(await app.eventOp("DeleteWebhook", { id: webhook.id }, other), "NOT_FOUND");
    expectCode(await app.eventOp("WebhookDeliveries", { webhookId: webhook.id, first: 5 }, other), "NOT_FOUND");
    const mine = await app.eventOp<{ webhooks: WebhookView[] }>("Webhooks", {}, await tokenOf(channel.providerUsers.ga));
    expect(mine.data!.webhooks.map((w) => w.id)).toContain(webhook.id);
  });

  it("when the receiver answers 500 three times and then 200, then attempts 1..4 come after each backoff, each signed, and the log lists them newest first", async () => {
    let failures = 0;
    answer = (request) => (request.path === "/flaky" && failures++ < 3 ? 500 : 200);
    const { webhook, secret } = await createWebhook("/flaky");
    const orderId = await submitOrder();
    // The first attempt is due at once. (On a fresh database this was the first fan-out ever: the
    // cursor, made then at the head, skipped the event; webhooks/cursor-create now starts a new cursor
    // at the oldest webhook's fromSeq.)
    await deliver();
    expect(at("/flaky")).toHaveLength(1);
    // Not due before its backoff (30 s ± 20 %).
    await deliver();
    expect(at("/flaky")).toHaveLength(1);
    for (const wait of [40 * SECONDS, 80 * SECONDS, 160 * SECONDS]) {
      clock.advance(wait);
      await deliver();
    }
    clock.advance(10 * MINUTES);
    await deliver();
    const posts = at("/flaky");
    expect(posts.map((p) => p.headers["x-channel-delivery-attempt"])).toEqual(["1", "2", "3", "4"]);
    for (const post of posts) {
      expect(validSignature(secret, post)).toBe(true);
      expect(post.headers["content-type"]).toBe("application/json");
      expect(post.headers["user-agent"]).toMatch(/^CSP-Channel-Webhooks\//);
      expect(post.headers["x-channel-event-id"]).toBe(post.body.id);
      expect(post.body).toEqual({
        id: expect.stringMatching(/^che_/),
        type: "ORDER_SUBMITTED",
        at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        subjectId: orderId,
        summary: expect.any(String),
        webhookId: webhook.id,
      });
      expect(post.raw.equals(posts[0].raw)).toBe(true);
    }
    const log = await deliveries(webhook.id);
    expect(log.totalCount).toBe(4);
    expect(log.edges.map((e) => [e.node.attempt, e.node.statusCode])).toEqual([[4, 200], [3, 500], [2, 500], [1, 500]]);
    expect(log.edges.every((e) => e.node.eventId === posts[0].body.id)).toBe(true);
    expect(log.edges[0].node.error).toBeNull();
    expect(log.edges[1].node.error).toContain("500");
    const page1 = await deliveries(webhook.id, 3);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = await deliveries(webhook.id, 3, page1.pageInfo.endCursor!);
    expect([...page1.edges, ...page2.edges].map((e) => e.node.attempt)).toEqual([4, 3, 2, 1]);
    expect(page2.pageInfo.hasNextPage).toBe(false);
  });

  it("when every attempt fails for 24 hours, then the webhook is disabled with its reason, its global admin gets an email, and later events are not sent", async () => {
    answer = (request) => (request.path === "/down" ? 503 : 200);
    const { webhook } = await createWebhook("/down");
    await submitOrder();
    await deliver();
    const start = clock.now();
    let view: WebhookView | undefined;
    for (let hour = 0; hour < 40; hour++) {
      clock.advance(75 * MINUTES);
      await deliver();
      const list = await app.eventOp<{ webhooks: WebhookView[] }>("Webhooks", {}, await tokenOf(channel.providerUsers.ga));
      view = list.data!.webhooks.find((w) => w.id === webhook.id);
      if (!view?.active) break;
    }
    expect(view).toMatchObject({ active: false, disabledReason: expect.stringContaining("24 hours") });
    expect(clock.now() - start).toBeGreaterThanOrEqual(24 * 60 * MINUTES);
    const log = await deliveries(webhook.id, 100);
    const attempts = log.edges.map((e) => e.node.attempt);
    expect(attempts[0]).toBe(at("/down").length);
    expect(log.edges.every((e) => e.node.statusCode === 503)).toBe(true);
    const span = Date.parse(log.edges[0].node.at) - Date.parse(log.edges.at(-1)!.node.at);
    expect(span).toBeGreaterThanOrEqual(24 * 60 * MINUTES);
    const mail = latestMail(app.mailDir, channel.providerUsers.ga);
    expect(mail?.raw).toMatch(/^Subject: Webhook disabled/m);
    expect(mail?.raw).toContain(webhook.id);
    const before = at("/down").length;
    await submitOrder();
    clock.advance(MINUTES);
    await deliver();
    expect(at("/down")).toHaveLength(before);
  });

  it("when a webhook is deleted with a delivery pending, then nothing more is POSTed to it", async () => {
    const { webhook } = await createWebhook("/deleted");
    await submitOrder();
    await app.events.sequencer.drain();
    await app.events.webhooks.fanOut();
    const token = await tokenOf(channel.providerUsers.ga);
    const deleted = await app.eventOp<{ deleteWebhook: { id: string } }>("DeleteWebhook", { id: webhook.id }, token);
    expect(deleted.data).toEqual({ deleteWebhook: { id: webhook.id } });
    created.length = 0;
    await submitOrder();
    clock.advance(MINUTES);
    await deliver();
    expect(at("/deleted")).toEqual([]);
    expectCode(await app.eventOp("WebhookDeliveries", { webhookId: webhook.id }, token), "NOT_FOUND");
    expectCode(await app.eventOp("DeleteWebhook", { id: webhook.id }, token), "NOT_FOUND");
  });

  /** The claim alone, as a process that stops right after it (no POST, no answer recorded): the attempts of every batch claimed. */
  async function claimOnly(): Promise<{ attempt: number }[]> {
    const dispatcher = app.events.webhooks as unknown as {
      claimDue(limit: number, partnerIds: readonly string[]): Promise<{ attempts: { attempt: number }[] }[]>;
    };
    const batches = await dispatcher.claimDue.call(app.events.webhooks, 100, scope().partnerIds);
    return batches.flatMap((batch) => batch.attempts);
  }

  /** The lease runs on the database's clock: end it there instead of waiting. */
  async function endLease(webhookId: string): Promise<void> {
    // (The tasks' own leases too: where earlier versions kept them.)
    await app.cypher(
      `MATCH (w:Webhook {id: $id}) SET w.leaseUntil = datetime() - duration('PT1S')
       WITH w OPTIONAL MATCH (t:WebhookTask)-[:FOR_WEBHOOK]->(w) SET t.leaseUntil = datetime() - duration('PT1S')`,
      { id: webhookId },
    );
  }

  it("when a process claims an attempt and dies before recording it, then no one else POSTs while its lease holds, and once it runs out the next attempt is made and the dead one reads as abandoned", async () => {
    const { webhook } = await createWebhook("/orphan");
    await submitOrder();
    await app.events.sequencer.drain();
    await app.events.webhooks.fanOut();
    expect((await claimOnly()).map((task) => task.attempt)).toEqual([1]);
    clock.advance(2 * MINUTES); // past the retry the claim scheduled: only the lease holds it back
    await deliver();
    expect(at("/orphan")).toEqual([]);
    await endLease(webhook.id);
    await deliver();
    expect(at("/orphan").map((post) => post.headers["x-channel-delivery-attempt"])).toEqual(["2"]);
    const log = await deliveries(webhook.id);
    expect(log.edges.map((e) => [e.node.attempt, e.node.statusCode])).toEqual([[2, 200], [1, null]]);
    expect(log.edges[1].node.error).toContain("stopped");
  });

  it("when a claimed attempt's answer is never recorded, then the schedule has moved anyway: the next attempt waits for the backoff after it, not only for the lease", async () => {
    const { webhook } = await createWebhook("/orphan-schedule");
    await submitOrder();
    await app.events.sequencer.drain();
    await app.events.webhooks.fanOut();
    expect((await claimOnly()).map((task) => task.attempt)).toEqual([1]);
    await endLease(webhook.id);
    await deliver();
    expect(at("/orphan-schedule")).toEqual([]); // the retry is 30 s ± 20 % after the claim
    clock.advance(40 * SECONDS);
    await deliver();
    expect(at("/orphan-schedule").map((post) => post.headers["x-channel-delivery-attempt"])).toEqual(["2"]);
  });

  it("when the last attempt of the 24 hours was claimed and never answered, then the next claim disables the webhook (and mails its global admin) instead of trying again", async () => {
    const { webhook } = await createWebhook("/orphan-last");
    await submitOrder();
    await app.events.sequencer.drain();
    await app.events.webhooks.fanOut();
    expect((await claimOnly()).map((task) => task.attempt)).toEqual([1]);
    // As if that attempt came 25 hours into the webhook's run of failures (and the task's window).
    await app.cypher(
      `MATCH (w:Webhook {id: $id}) SET w.failingSince = w.failingSince - duration('PT25H')
       WITH w MATCH (t:WebhookTask)-[:FOR_WEBHOOK]->(w) SET t.firstAt = t.firstAt - duration('PT25H')`,
      { id: webhook.id },
    );
    await endLease(webhook.id);
    clock.advance(2 * 60 * MINUTES);
    await deliver();
    expect(at("/orphan-last")).toEqual([]);
    const list = await app.eventOp<{ webhooks: WebhookView[] }>("Webhooks", {}, await tokenOf(channel.providerUsers.ga));
    expect(list.data!.webhooks.find((w) => w.id === webhook.id)).toMatchObject({ active: false, disabledReason: expect.stringContaining("24 hours") });
    const mail = latestMail(app.mailDir, channel.providerUsers.ga);
    expect(mail?.raw).toContain(webhook.id);
  });

  it("when the host resolves to a private address at delivery time (DNS rebinding), then the attempt is refused before connecting and logged", async () => {
    const { webhook } = await createWebhook("/rebind");
    // The webhook's URL names 127.0.0.1; for a name, use localhost (development allows it, as loopback only).
    await app.cypher("MATCH (w:Webhook {id: $id}) SET w.url = replace(w.url, '127.0.0.1', 'localhost')", { id: webhook.id });
    const dispatcher = app.events.webhooks;
    const original = dispatcher.policy;
    dispatcher.policy = new UrlPolicy({ production: false, resolve: async () => [{ address: "10.0.0.5", family: 4 }] });
    try {
      await submitOrder();
      await deliver();
    } finally {
      dispatcher.policy = original;
    }
    expect(at("/rebind")).toEqual([]);
    const log = await deliveries(webhook.id);
    expect(log.edges).toHaveLength(1);
    // One refusal naming D-30, whatever the reason: the delivery log never tells what a name resolves to (the server log does).
    expect(log.edges[0].node).toMatchObject({ attempt: 1, statusCode: null, error: expect.stringContaining("D-30") });
    expect(log.edges[0].node.error).toBe(`refused before connecting: ${addressRefusal(false)}`);
  });
});

describe("the production URL policy through the API (D-30, SSRF)", () => {
  let production: TestApp;

  beforeAll(async () => {
    production = await startTestApp({ NODE_ENV: "production", JWT_SECRET: "w".repeat(40), WEBHOOK_DELIVERY: "off" }, { clock });
  });
  afterAll(async () => {
    await production?.close();
  });

  it("when a global admin of a production server names http, a loopback, private, link-local or IPv4-mapped address, or a name resolving to loopback, then BAD_USER_INPUT names input.url and D-30", async () => {
    const token = await production.signIn(channel.providerUsers.ga, channel.password);
    for (const url of [
      "http://hooks.example.com/hook",
      `${base}/hook`,
      "https://127.0.0.1/hook",
      "https://10.1.2.3/hook",
      "https://169.254.169.254/latest/meta-data",
      "https://[::1]/hook",
      "https://[::ffff:127.0.0.1]/hook",
      "https://[::7f00:1]/hook",
      "https://localhost/hook",
      "https://hooks.example.com:8080/hook",
    ]) {
      const result = await production.eventOp("CreateWebhook", { input: { url, events: ["ORDER_SUBMITTED"] } }, token);
      expectBadInput(result, "input.url", "D-30");
    }
    // A refused address reads the same whatever it is, and is never echoed (the server log has the details).
    const messages = new Set<string>();
    for (const url of ["https://127.0.0.1/hook", "https://10.1.2.3/hook", "https://169.254.169.254/x", "https://[::7f00:1]/hook", "https://localhost/hook"]) {
      const result = await production.eventOp("CreateWebhook", { input: { url, events: ["ORDER_SUBMITTED"] } }, token);
      const message = result.errors?.[0]?.message ?? "";
      expect(message).toBe(`input.url: ${addressRefusal(true)}`);
      messages.add(message);
    }
    expect(messages.size).toBe(1);
    const port = await production.eventOp("CreateWebhook", { input: { url: "https://hooks.example.com:8080/hook", events: ["ORDER_SUBMITTED"] } }, token);
    expect(port.errors?.[0]?.message).toContain("443 or 8443");
    const list = await production.eventOp<{ webhooks: WebhookView[] }>("Webhooks", {}, token);
    expect(list.data!.webhooks).toEqual([]);
  });
});

describe("two API processes (D-30: each attempt by exactly one)", () => {
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    // Separate runtimes, drivers and loops (polling every 50 ms), one domain clock.
    const env = { WEBHOOK_DELIVERY: "on", WEBHOOK_POLL_MS: "50", WEBHOOK_ONLY_PARTNERS: scope().partnerIds.join(",") };
    [first, second] = await Promise.all([startTestApp(env, { clock }), startTestApp(env, { clock })]);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  it("when both deliver the same outbox, with two failed attempts first, then every (event, attempt) is POSTed exactly once and never two at once to the webhook", async () => {
    let failures = 0;
    answer = (request) => (request.path === "/pair" && failures++ < 2 ? 500 : 200);
    const { webhook, secret } = await createWebhook("/pair");
    const orders = 6;
    for (let i = 0; i < orders; i++) await submitOrder();
    await app.events.sequencer.drain();
    const race = () => Promise.all([first, second, first, second].map((target) => target.events.webhooks.runOnce(scope())));
    /** Waits until `n` POSTs were made and all their answers recorded (the loops run besides). */
    const settled = async (n: number) => {
      await vi.waitFor(() => expect(at("/pair")).toHaveLength(n), { timeout: 20_000, interval: 50 });
      await vi.waitFor(async () => expect((await deliveries(webhook.id)).edges.filter((e) => e.node.statusCode !== null)).toHaveLength(n), {
        timeout: 20_000,
        interval: 100,
      });
    };
    // Both loops run; runOnce of both at once besides, to race the claims. The first attempt fails:
    // the webhook's circuit opens, its other events wait for its retry.
    await race();
    await settled(1);
    clock.advance(40 * SECONDS);
    await race();
    await settled(2);
    // The second retry succeeds: the circuit closes and the rest follow, one attempt at a time.
    clock.advance(80 * SECONDS);
    await race();
    await settled(orders + 2);
    // Nothing more comes: every event was delivered.
    await race();
    const posts = at("/pair");
    expect(posts).toHaveLength(orders + 2);
    const counts = new Map<string, number>();
    for (const post of posts) {
      const key = `${post.headers["x-channel-event-id"]}#${post.headers["x-channel-delivery-attempt"]}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      expect(validSignature(secret, post)).toBe(true);
    }
    expect(counts.size).toBe(orders + 2);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(posts.map((p) => p.body.id)).size).toBe(orders);
    expect(mostOpen.get("/pair")).toBe(1);
    const log = await deliveries(webhook.id);
    expect(log.totalCount).toBe(orders + 2);
    const [tasks] = await app.cypher<{ n: number }>("MATCH (t:WebhookTask)-[:FOR_WEBHOOK]->(:Webhook {id: $id}) RETURN count(t) AS n", { id: webhook.id });
    expect(Number(tasks.n)).toBe(0);
  });
});

describe("fairness between organisations (D-30: a dead receiver costs one attempt per backoff step)", () => {
  let fair: TestApp;

  beforeAll(async () => {
    // Two delivery slots, a short timeout: the dead receiver hangs until it.
    fair = await startTestApp({ WEBHOOK_CONCURRENCY: "2", WEBHOOK_TIMEOUT_MS: "300" }, { clock });
  });
  afterAll(async () => {
    await fair?.close();
  });

  it("when A's receiver never answers and B's answers 200, with many events pending for both, then B gets all of them while A's wait, and A's receiver sees one request per backoff step, never two at once", async () => {
    answer = (request) => (request.path === "/dead" ? null : 200);
    // ORDER_SUBMITTED concerns the provider (A) and the reseller (B): each webhook gets every order.
    const { webhook: dead } = await createWebhook("/dead", ["ORDER_SUBMITTED"], channel.providerUsers.ga);
    const { webhook: live } = await createWebhook("/live", ["ORDER_SUBMITTED"], channel.resellerUsers.ga);
    const orders = 5;
    for (let i = 0; i < orders; i++) await submitOrder();
    await fair.events.sequencer.drain();
    await fair.events.webhooks.runOnce(scope());
    expect(at("/live")).toHaveLength(orders);
    expect(at("/dead")).toHaveLength(1);
    const pending = async (id: string) =>
      Number((await fair.cypher<{ n: number }>("MATCH (t:WebhookTask)-[:FOR_WEBHOOK]->(:Webhook {id: $id}) RETURN count(t) AS n", { id }))[0].n);
    // Tasks exist only for failures (issue 14): A's first event has one; A's other events wait
    // behind it (its cursor stays before them) and none of them was POSTed.
    expect(await pending(live.id)).toBe(0);
    expect(await pending(dead.id)).toBe(1);
    const deadEvent = at("/dead")[0].body.id;
    const log = await deliveries(live.id, 50, undefined, channel.resellerUsers.ga);
    expect(log.edges.map((e) => e.node.statusCode)).toEqual(Array(orders).fill(200));
    // Each backoff step (30 s, 1, 2, 4 min, each at most +20 %): one more request to A, not one per pending event.
    for (const [step, wait] of [36, 72, 144, 288].entries()) {
      await fair.events.webhooks.runOnce(scope());
      expect(at("/dead")).toHaveLength(step + 1); // not before the retry
      clock.advance(wait * SECONDS);
      await fair.events.webhooks.runOnce(scope());
      expect(at("/dead")).toHaveLength(step + 2);
    }
    expect(mostOpen.get("/dead")).toBe(1);
    expect(at("/dead").every((post) => post.body.id === deadEvent)).toBe(true);
    expect(await pending(dead.id)).toBe(1);
  }, 60_000);
});

describe("scoped passes on a shared database (test files' dispatchers never claim each other's attempts)", () => {
  let behind: TestApp;

  beforeAll(async () => {
    // The system clock: an hour and more behind this file's ManualClock, as another test file's app.
    behind = await startTestApp();
  });
  afterAll(async () => {
    await behind?.close();
  });

  it("when a pass is scoped to other organisations, then it fans out globally but claims none of this webhook's attempts; when a task was fanned out on a clock ahead, then it is due at once for a process on an earlier clock", async () => {
    const { secret } = await createWebhook("/scoped");
    await submitOrder();
    // Fanned out by this file's app, its clock an hour and more ahead of the system clock.
    await app.events.sequencer.drain();
    await app.events.webhooks.fanOut();
    // The fan-out makes no task (issue 14): it marks the webhook due (the earlier of the event's time and the fanning clock).
    const [task] = await app.cypher<{ n: number; due: boolean }>(
      "MATCH (:Partner {id: $id})-[:HAS_WEBHOOK]->(w:Webhook) RETURN COUNT { (w)<-[:FOR_WEBHOOK]-(:WebhookTask) } AS n, w.dueAt <= datetime() AS due",
      { id: channel.provider.id },
    );
    expect({ n: Number(task.n), due: task.due }).toEqual({ n: 0, due: true });
    // Scoped to organisations that are not this file's: nothing of this webhook is claimed.
    await behind.events.webhooks.runOnce({ partnerIds: [channel.reseller.id] });
    await behind.events.webhooks.runOnce({ partnerIds: [] });
    expect(at("/scoped")).toEqual([]);
    // Scoped to its organisation, on the system clock: due (the event's time, not the fanning process's clock).
    await behind.events.webhooks.runOnce({ partnerIds: [channel.provider.id] });
    expect(at("/scoped").map((post) => post.headers["x-channel-delivery-attempt"])).toEqual(["1"]);
    expect(validSignature(secret, at("/scoped")[0])).toBe(true);
  });
});
