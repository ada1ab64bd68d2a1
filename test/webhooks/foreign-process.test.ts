import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FOREIGN_SECRET_GRACE_MS } from "../../src/modules/webhooks/dispatcher.js";
import { ManualClock } from "../../src/shared/clock.js";
import { startTestApp, tokenGetter, uniqueTag, type TestApp } from "../support/app.js";
import { createChannel, type Channel } from "../support/fixtures.js";

/**
 * The write bench's stalled deliveries (round 2 D: one webhook got nothing in 180 s; every round:
 * nothing during the load, then a drain about a minute later): a process of another configuration
 * on the same database, here the development server (`npm start`, its own JWT_SECRET, delivery on),
 * claimed the bench's batches, could not open their signing secrets (sealed under the bench's
 * JWT_SECRET), so counted each as a failed attempt without sending anything, and opened the
 * webhook's circuit (30 s, then 1 min, 2 min, ...): D-30's retries were spent on a failure of ours,
 * not of the receiver. A process that cannot open a webhook's secret now leaves it to the others
 * for FOREIGN_SECRET_GRACE_MS from when it became due, and only then makes the attempt (which fails,
 * as a changed JWT_SECRET does). Two processes on the test database, each driven by runOnce (no
 * loop), scoped to this file's organisations; the foreign one's clock is moved, never waited for.
 */

let api: TestApp;
let foreign: TestApp;
const foreignClock = new ManualClock();
let channel: Channel;
let receiver: Server;
let base: string;
/** Event ids received, by path. */
const received = new Map<string, string[]>();
const tokenOf = tokenGetter(() => api, () => channel.password);
let offerId: string;
const created: { id: string; token: string }[] = [];

beforeAll(async () => {
  api = await startTestApp();
  // Another deployment's process on the same database: its own JWT_SECRET (the bench's API had a random one, the development server its .local one).
  foreign = await startTestApp({ JWT_SECRET: `foreign-${uniqueTag()}-`.padEnd(48, "x") }, { clock: foreignClock });
  channel = await createChannel(api, uniqueTag());
  [{ id: offerId }] = await api.cypher<{ id: string }>("MATCH (o:Offer {name: 'Microsoft 365 E3'}) RETURN o.id AS id");
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { id: string };
      const path = req.url ?? "";
      received.set(path, [...(received.get(path) ?? []), body.id]);
      res.statusCode = 200;
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterEach(async () => {
  for (const { id, token } of created.splice(0)) await api.eventOp("DeleteWebhook", { id }, token);
  received.clear();
});

afterAll(async () => {
  await channel?.remove();
  await foreign?.close();
  await api?.close();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

const scope = () => ({ partnerIds: [channel.provider.id, channel.reseller.id] });

async function createWebhook(email: string, path: string): Promise<string> {
  const token = await tokenOf(email);
  const result = await api.eventOp<{ createWebhook: { webhook: { id: string } } }>(
    "CreateWebhook",
    { input: { url: `${base}${path}`, events: ["ORDER_SUBMITTED"] } },
    token,
  );
  expect(result.errors).toBeUndefined();
  const id = result.data!.createWebhook.webhook.id;
  created.push({ id, token });
  return id;
}

/** `n` orders of the provider for the shared customer: each an ORDER_SUBMITTED concerning both organisations (D-28). */
async function submitOrders(n: number): Promise<string[]> {
  const token = await tokenOf(channel.providerUsers.ga);
  for (let i = 0; i < n; i++) {
    const result = await api.op(
      "SubmitOrder",
      { input: { customerId: channel.sharedCustomers[0].id, resellerId: channel.reseller.id, lineItems: [{ offerId, quantity: 1 }] } },
      token,
    );
    expect(result.errors).toBeUndefined();
  }
  await api.events.sequencer.drain();
  const rows = await api.cypher<{ id: string }>(
    `MATCH (:Partner {id: $provider})-[:HAS_WEBHOOK]->(w:Webhook)
     MATCH (e:ChannelEvent)-[:CONCERNS]->(:Partner {id: $provider})
     WHERE e.seq > w.fromSeq AND e.type = 'ORDER_SUBMITTED' RETURN DISTINCT e.id AS id ORDER BY id`,
    { provider: channel.provider.id },
  );
  return rows.map((r) => r.id);
}

async function logOf(webhookId: string): Promise<{ error: string | null; statusCode: number | null }[]> {
  const rows = await api.cypher<{ error: string | null; statusCode: number | null }>(
    "MATCH (:Webhook {id: $id})-[:LOGGED]->(d:WebhookDelivery) RETURN d.error AS error, d.statusCode AS statusCode",
    { id: webhookId },
  );
  return rows.map((r) => ({ error: r.error, statusCode: r.statusCode === null ? null : Number(r.statusCode) }));
}

async function failuresOf(webhookId: string): Promise<number> {
  const [row] = await api.cypher<{ failures: number | null }>("MATCH (w:Webhook {id: $id}) RETURN w.failures AS failures", { id: webhookId });
  return Number(row.failures ?? 0);
}

describe("a process that cannot open a webhook's signing secret (D-30, the write bench's stall)", () => {
  it("when a process of another JWT_SECRET runs its pass first, then it makes no attempt, and the process of the webhooks' own JWT_SECRET delivers every event to both organisations' receivers with no failure logged", async () => {
    const provider = await createWebhook(channel.providerUsers.ga, "/provider");
    const reseller = await createWebhook(channel.resellerUsers.ga, "/reseller");
    const events = await submitOrders(3);
    expect(events).toHaveLength(3);

    // The foreign process's pass comes first (in the bench: the development server's loop).
    const theirs = await foreign.events.webhooks.runOnce(scope());
    expect(theirs.attempts).toBe(0);
    expect(await logOf(provider)).toEqual([]);
    expect(await failuresOf(provider)).toBe(0);

    // Then the process that can sign: every event, to both, at once (no circuit opened by the other).
    await api.events.webhooks.runOnce(scope());
    expect([...(received.get("/provider") ?? [])].sort()).toEqual(events);
    expect([...(received.get("/reseller") ?? [])].sort()).toEqual(events);
    for (const id of [provider, reseller]) {
      expect((await logOf(id)).every((entry) => entry.statusCode === 200 && entry.error === null)).toBe(true);
      expect(await failuresOf(id)).toBe(0);
    }
  });

  it("when no process that can sign takes a webhook within FOREIGN_SECRET_GRACE_MS of its being due, then the other process makes the attempt, and it fails as a changed JWT_SECRET does (logged, the circuit opened)", async () => {
    const provider = await createWebhook(channel.providerUsers.ga, "/alone");
    await submitOrders(1);
    expect((await foreign.events.webhooks.runOnce(scope())).attempts).toBe(0);
    foreignClock.advance(FOREIGN_SECRET_GRACE_MS + 1_000);
    try {
      expect((await foreign.events.webhooks.runOnce(scope())).attempts).toBe(1);
    } finally {
      foreignClock.advance(-(FOREIGN_SECRET_GRACE_MS + 1_000));
    }
    expect(received.get("/alone")).toBeUndefined();
    const log = await logOf(provider);
    expect(log).toHaveLength(1);
    expect(log[0]!.statusCode).toBeNull();
    expect(log[0]!.error).toBeTruthy();
    expect(await failuresOf(provider)).toBe(1);
  });
});
