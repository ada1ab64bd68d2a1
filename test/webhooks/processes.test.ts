import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CONTRACT_OPERATIONS, EVENTS_OPERATIONS, operationOf, startTestApp, uniqueTag, type TestApp } from "../support/app.js";
import { createChannel, type Channel } from "../support/fixtures.js";
import { apiProcesses, gqlAt, signInAt } from "../support/processes.js";

/**
 * Webhooks (D-30) delivered by two real API processes (`src/main.ts` twice, WEBHOOK_DELIVERY=on,
 * WEBHOOK_POLL_MS=100) from one outbox in Neo4j: events written through both processes are each
 * POSTed exactly once (attempt 1: the receiver answers 200), every signature verifies, and the
 * delivery log holds exactly one entry per event. The fan-out runs under the WebhookCursor's lock
 * and each attempt under its task's lease, so neither process delivers what the other did.
 * Loopback only; every wait is a bounded poll of a condition.
 *
 * Other test files share the database: the processes claim only this file's organisations'
 * attempts (WEBHOOK_ONLY_PARTNERS; the fan-out stays global), every other test's dispatcher claims
 * only its own, and the processes have the test apps' JWT_SECRET (test/support/processes.ts). The
 * assertions are about this file's webhook and receiver only.
 */

const EVENTS = 20;
const processes = apiProcesses();

let app: TestApp;
let channel: Channel;
let receiver: Server;
let hookUrl: string;
let a: string;
let b: string;
const webhooks: { url: string; id: string; token: string }[] = [];

interface Post {
  headers: IncomingHttpHeaders;
  raw: Buffer;
}
const posts: Post[] = [];

beforeAll(async () => {
  app = await startTestApp();
  channel = await createChannel(app, uniqueTag());
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      posts.push({ headers: req.headers, raw: Buffer.concat(chunks) });
      res.statusCode = 200;
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const env = { WEBHOOK_DELIVERY: "on", WEBHOOK_POLL_MS: "100", WEBHOOK_ONLY_PARTNERS: `${channel.provider.id},${channel.reseller.id}` };
  [a, b] = await Promise.all([processes.start(env), processes.start(env)]);
}, 180_000);

afterAll(async () => {
  for (const { url, id, token } of webhooks) await gqlAt(url, operationOf(EVENTS_OPERATIONS, "DeleteWebhook"), { id }, token, "DeleteWebhook").catch(() => undefined);
  await processes.stopAll();
  await channel?.remove();
  await app?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

function validSignature(secret: string, post: Post): boolean {
  const expected = Buffer.from("sha256=" + createHmac("sha256", secret).update(post.raw).digest("hex"));
  const given = Buffer.from(String(post.headers["x-channel-signature"] ?? ""));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe("webhooks delivered by two API processes (D-30)", () => {
  it(`when ${EVENTS} events of the webhook's organisation are written through both processes, then each is POSTed exactly once (attempt 1) with a valid signature, and the delivery log has one entry per event`, { timeout: 180_000 }, async () => {
    const email = channel.providerUsers.ga;
    const [tokenA, tokenB] = await Promise.all([signInAt(a, email, channel.password), signInAt(b, email, channel.password)]);

    const created = await gqlAt<{ createWebhook: { webhook: { id: string }; secret: string } }>(
      a,
      operationOf(EVENTS_OPERATIONS, "CreateWebhook"),
      { input: { url: hookUrl, events: ["ORDER_SUBMITTED"] } },
      tokenA,
      "CreateWebhook",
    );
    expect(created.errors).toBeUndefined();
    const { webhook, secret } = created.data!.createWebhook;
    webhooks.push({ url: a, id: webhook.id, token: tokenA });

    // Half through each process, two at a time (one through each).
    const [{ id: offerId }] = await app.cypher<{ id: string }>("MATCH (o:Offer {name: 'Microsoft 365 E3'}) RETURN o.id AS id");
    const submitOrder = operationOf(CONTRACT_OPERATIONS, "SubmitOrder");
    const orderIds: string[] = [];
    for (let i = 0; i < EVENTS / 2; i++) {
      const results = await Promise.all(
        [
          [a, tokenA],
          [b, tokenB],
        ].map(([url, token], j) =>
          gqlAt<{ submitOrder: { order: { id: string } } }>(
            url,
            submitOrder,
            { input: { customerId: channel.sharedCustomers[j].id, resellerId: channel.reseller.id, lineItems: [{ offerId, quantity: 1 }] } },
            token,
            "SubmitOrder",
          ),
        ),
      );
      for (const result of results) {
        expect(result.errors).toBeUndefined();
        orderIds.push(result.data!.submitOrder.order.id);
      }
    }
    const events = await app.cypher<{ id: string }>("UNWIND $orderIds AS orderId MATCH (e:ChannelEvent {subjectId: orderId, type: 'ORDER_SUBMITTED'}) RETURN e.id AS id", {
      orderIds,
    });
    const eventIds = new Set(events.map((e) => e.id));
    expect(eventIds.size).toBe(EVENTS);

    // Every event POSTed, and every attempt's answer recorded in the log.
    try {
      await vi.waitFor(() => expect(new Set(posts.map((p) => String(p.headers["x-channel-event-id"])))).toEqual(eventIds), { timeout: 90_000, interval: 100 });
    } catch (error) {
      // What the database says about the undelivered ones (e.g. a task made by another process's clock).
      const tasks = await app.cypher("MATCH (t:WebhookTask)-[:FOR_WEBHOOK]->(:Webhook {id: $id}) RETURN t {.attempts, .leaseHolder, .lastError, nextAt: toString(t.nextAt), now: toString(datetime())} AS task", {
        id: webhook.id,
      });
      throw new Error(`${(error as Error).message}\n${posts.length} POSTs; tasks left: ${JSON.stringify(tasks)}`);
    }
    type Log = { webhookDeliveries: { totalCount: number; edges: { node: { eventId: string; attempt: number; statusCode: number | null; error: string | null } }[] } };
    const readLog = async () => {
      const log = await gqlAt<Log>(b, operationOf(EVENTS_OPERATIONS, "WebhookDeliveries"), { webhookId: webhook.id, first: 50 }, tokenB, "WebhookDeliveries");
      expect(log.errors).toBeUndefined();
      return log.data!.webhookDeliveries;
    };
    await vi.waitFor(async () => expect((await readLog()).edges.filter((e) => e.node.statusCode === 200)).toHaveLength(EVENTS), { timeout: 60_000, interval: 200 });

    // Exactly once per (event, attempt), all first attempts, all signed.
    const counts = new Map<string, number>();
    for (const post of posts) {
      expect(validSignature(secret, post)).toBe(true);
      const key = `${String(post.headers["x-channel-event-id"])}#${String(post.headers["x-channel-delivery-attempt"])}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(posts).toHaveLength(EVENTS);
    expect([...counts.keys()].sort()).toEqual([...eventIds].map((id) => `${id}#1`).sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);

    const log = await readLog();
    // Any other entry (a failed or abandoned attempt) is shown whole.
    expect(log.edges.filter((e) => e.node.statusCode !== 200)).toEqual([]);
    expect(log.totalCount).toBe(EVENTS);
    expect(new Set(log.edges.map((e) => e.node.eventId))).toEqual(eventIds);
    expect(log.edges.every((e) => e.node.attempt === 1 && e.node.error === null)).toBe(true);
    const [tasks] = await app.cypher<{ n: number }>("MATCH (t:WebhookTask)-[:FOR_WEBHOOK]->(:Webhook {id: $id}) RETURN count(t) AS n", { id: webhook.id });
    expect(Number(tasks.n)).toBe(0);
  });
});
