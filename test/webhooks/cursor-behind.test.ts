import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../src/shared/ids.js";
import { startTestApp, tokenGetter, uniqueTag, type TestApp } from "../support/app.js";
import { createChannel, type Channel } from "../support/fixtures.js";

/**
 * The write bench's round 2 D as first suspected (issue 14, D-30): webhooks created while the
 * fan-out's cursor (WebhookCursor.lastSeq) is thousands of events behind the head (passes with no
 * active webhook leave it there: more than a fan-out batch and more than a claim's read window),
 * for two organisations, then orders from 10 connections at once: every event reaches both
 * receivers. This held before the fix too: the stall came from another process on the same
 * database (foreign-process.test.ts); kept as the check of the cursor's from-positions (fromSeq,
 * deliveredSeq, fannedOutSeq, nextSeq, the fan-out's floor). Delivered by a fresh API process's own
 * loop (WEBHOOK_DELIVERY on, scoped to this file's organisations), as in the bench; the wait is
 * bounded by polls of the receivers, never a timing assert.
 */

let api: TestApp;
let channel: Channel;
let receiver: Server;
let base: string;
/** Event ids received, by path. */
const received = new Map<string, Set<string>>();
const tokenOf = tokenGetter(() => api, () => channel.password);
let offerId: string;
let delivering: TestApp | undefined;

beforeAll(async () => {
  api = await startTestApp();
  channel = await createChannel(api, uniqueTag());
  [{ id: offerId }] = await api.cypher<{ id: string }>("MATCH (o:Offer {name: 'Microsoft 365 E3'}) RETURN o.id AS id");
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { id: string };
      const path = req.url ?? "";
      if (!received.has(path)) received.set(path, new Set());
      received.get(path)!.add(body.id);
      res.statusCode = 200;
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await delivering?.close();
  // The bulk events first, a batch at a time (the fixture's clean-up walks two hops from each node).
  for (let i = 0; i < 100 && channel; i++) {
    const [{ n }] = await api.cypher<{ n: number }>(
      "MATCH (e:ChannelEvent {fixture: $tag}) WITH e LIMIT 1000 DETACH DELETE e RETURN count(*) AS n",
      { tag: channel.tag },
    );
    if (Number(n) === 0) break;
  }
  await channel?.remove();
  await api?.close();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

async function createWebhook(app: TestApp, email: string, path: string): Promise<{ id: string; token: string }> {
  const token = await tokenOf(email);
  const result = await app.eventOp<{ createWebhook: { webhook: { id: string } } }>(
    "CreateWebhook",
    { input: { url: `${base}${path}`, events: ["ORDER_SUBMITTED"] } },
    token,
  );
  expect(result.errors).toBeUndefined();
  return { id: result.data!.createWebhook.webhook.id, token };
}

/** `n` orders, `connections` at a time (the bench's load: 10). */
async function submitOrders(app: TestApp, n: number, connections: number): Promise<void> {
  const token = await tokenOf(channel.providerUsers.ga);
  let next = 0;
  const errors: unknown[] = [];
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < n) {
        next += 1;
        const result = await app.op(
          "SubmitOrder",
          { input: { customerId: channel.sharedCustomers[next % channel.sharedCustomers.length].id, resellerId: channel.reseller.id, lineItems: [{ offerId, quantity: 1 }] } },
          token,
        );
        if (result.errors) errors.push(result.errors);
      }
    }),
  );
  expect(errors).toEqual([]);
}

/**
 * `n` ORDER_SUBMITTED events concerning the provider and the reseller, written as audit/record
 * writes them (unsequenced; the sequencer numbers them): the bench's rounds A/B/C of orders while
 * no webhook is active.
 */
async function bulkEvents(n: number): Promise<void> {
  for (let done = 0; done < n; done += 1_000) {
    await api.cypher(
      `MATCH (p:Partner {id: $provider}), (r:Partner {id: $reseller})
       UNWIND range(1, $n) AS i
       CREATE (ev:ChannelEvent:UnsequencedEvent {id: $prefix + toString(i), type: 'ORDER_SUBMITTED', at: datetime({epochMillis: timestamp()}),
         subjectId: 'bulk', summary: 'bulk event ' + toString(i), fixture: $tag})
       CREATE (ev)-[:CONCERNS {listKey: p.id + '-' + ev.id}]->(p)
       CREATE (ev)-[:CONCERNS {listKey: r.id + '-' + ev.id}]->(r)`,
      { provider: channel.provider.id, reseller: channel.reseller.id, n: Math.min(1_000, n - done), prefix: `${newId("ChannelEvent")}-${done}-`, tag: channel.tag },
    );
    await api.events.sequencer.drain();
  }
}

/** The ORDER_SUBMITTED events of the provider numbered after `after`. */
async function eventsAfter(after: number): Promise<string[]> {
  const rows = await api.cypher<{ id: string }>(
    `MATCH (e:ChannelEvent)-[:CONCERNS]->(:Partner {id: $provider})
     WHERE e.seq > $after AND e.type = 'ORDER_SUBMITTED' RETURN e.id AS id`,
    { provider: channel.provider.id, after },
  );
  return rows.map((r) => r.id);
}

async function head(): Promise<number> {
  const [row] = await api.cypher<{ head: number }>("MATCH (s:EventSequence {name: 'channel'}) RETURN s.next - 1 AS head");
  return Number(row.head);
}

async function state(): Promise<unknown> {
  return api.cypher(
    `OPTIONAL MATCH (c:WebhookCursor {name: 'webhooks'})
     OPTIONAL MATCH (s:EventSequence {name: 'channel'})
     WITH c, s
     OPTIONAL MATCH (:Partner)-[:HAS_WEBHOOK]->(w:Webhook) WHERE w.url STARTS WITH $base
     RETURN toString(datetime()) AS now, c.lastSeq AS lastSeq, s.next - 1 AS head, collect(w {.id, .fromSeq, .deliveredSeq, .fannedOutSeq, .nextSeq, .failures, dueAt: toString(w.dueAt), leaseUntil: toString(w.leaseUntil),
       log: COUNT { (w)-[:LOGGED]->() }, errors: [(w)-[:LOGGED]->(d) WHERE d.error IS NOT NULL | d.error][0..3]}) AS webhooks`,
    { base },
  );
}

describe("webhooks created while the fan-out's cursor is far behind (issue 14, D-30)", () => {
  it("when a webhook was created and deleted, thousands of events followed with no active webhook, and then two organisations each create one and orders come, then every event reaches both receivers", async () => {
    // Round 1: a webhook, its events delivered, deleted.
    const scope = { partnerIds: [channel.provider.id, channel.reseller.id] };
    const first = await createWebhook(api, channel.providerUsers.ga, "/round1");
    await submitOrders(api, 3, 1);
    await api.events.sequencer.drain();
    await api.events.webhooks.runOnce(scope);
    expect(received.get("/round1")?.size).toBe(3);
    expect((await api.eventOp("DeleteWebhook", { id: first.id }, first.token)).errors).toBeUndefined();

    // Rounds A, B, C: thousands of events of the same organisations, no webhook active.
    await bulkEvents(2_500);

    // Round 2 D: a fresh API process delivering (its loop), two webhooks, then orders.
    delivering = await startTestApp({ WEBHOOK_DELIVERY: "on", WEBHOOK_POLL_MS: "200", WEBHOOK_ONLY_PARTNERS: scope.partnerIds.join(",") });
    const from = await head();
    await createWebhook(delivering, channel.providerUsers.ga, "/round2-hook0");
    await createWebhook(delivering, channel.resellerUsers.ga, "/round2-hook1");
    await submitOrders(delivering, 200, 10);
    await delivering.events.sequencer.drain();
    const expected = await eventsAfter(from);
    expect(expected.length).toBe(200);

    const got = (path: string) => expected.filter((id) => received.get(path)?.has(id)).length;
    for (let poll = 0; poll < 600 && (got("/round2-hook0") < expected.length || got("/round2-hook1") < expected.length); poll++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const counts = [got("/round2-hook0"), got("/round2-hook1")];
    if (counts.some((n) => n < expected.length)) console.log("webhooks' cursors:", JSON.stringify(await state()));
    expect([got("/round2-hook0"), got("/round2-hook1")]).toEqual([expected.length, expected.length]);
  }, 150_000);
});
