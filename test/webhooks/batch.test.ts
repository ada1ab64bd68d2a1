import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RequestExecutor } from "../../src/shared/neo4j/executor.js";
import { ManualClock } from "../../src/shared/clock.js";
import { startTestApp, tokenGetter, uniqueTag, type TestApp } from "../support/app.js";
import { createChannel, type Channel } from "../support/fixtures.js";

/**
 * Webhook delivery in batches and the fan-out's races (issue 14, D-30), against the test Neo4j:
 * - a claim takes up to WEBHOOK_BATCH due tasks of one webhook in one transaction (each its own
 *   attempt and delivery-log entry, one lease), the POSTs go in order over one kept-alive
 *   connection, and one transaction records every answer; a failure stops the batch, the rest
 *   stay due and come after the circuit's retry;
 * - a webhook created while a fan-out holds the cursor waits for it, and gets every event after
 *   its fromSeq; an event numbered before a webhook existed never goes to it;
 * - a fan-out that meets a webhook deleted under it (deleteWebhook locks it first) runs again.
 * Steps are ordered (a hook inside the fan-out's transaction, Neo4j's own view of blocked
 * transactions), never timed; passes are scoped to this file's organisations (shared database).
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
/** TCP connections the receiver accepted, by the path of their first request. */
let connections = 0;
let answer: (request: Received) => number = () => 200;
let open = 0;
let mostOpen = 0;
const tokenOf = tokenGetter(() => app, () => channel.password);
let offerId: string;
const created: { id: string; token: string }[] = [];
const SECONDS = 1000;

beforeAll(async () => {
  // Ahead of the system clock (as webhooks.test.ts): this file's retries are never due for another file's process.
  clock.advance(2 * 60 * 60 * 1000);
  app = await startTestApp({ WEBHOOK_BATCH: "5" }, { clock });
  channel = await createChannel(app, uniqueTag());
  [{ id: offerId }] = await app.cypher<{ id: string }>("MATCH (o:Offer {name: 'Microsoft 365 E3'}) RETURN o.id AS id");
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    open += 1;
    mostOpen = Math.max(mostOpen, open);
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const entry: Received = { path: req.url ?? "", headers: req.headers, raw, body: JSON.parse(raw.toString("utf8")) as Record<string, unknown> };
      received.push(entry);
      res.statusCode = answer(entry);
      res.end("ok", () => (open -= 1));
    });
  });
  receiver.on("connection", () => (connections += 1));
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterEach(async () => {
  for (const { id, token } of created.splice(0)) await app.eventOp("DeleteWebhook", { id }, token);
  answer = () => 200;
});

afterAll(async () => {
  await channel?.remove();
  await app?.close();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

async function createWebhook(path: string, target: TestApp = app): Promise<{ id: string; secret: string }> {
  const token = await tokenOf(channel.providerUsers.ga);
  const result = await target.eventOp<{ createWebhook: { webhook: { id: string }; secret: string } }>(
    "CreateWebhook",
    { input: { url: `${base}${path}`, events: ["ORDER_SUBMITTED"] } },
    token,
  );
  expect(result.errors).toBeUndefined();
  created.push({ id: result.data!.createWebhook.webhook.id, token });
  return { id: result.data!.createWebhook.webhook.id, secret: result.data!.createWebhook.secret };
}

async function submitOrder(): Promise<void> {
  const result = await app.op(
    "SubmitOrder",
    { input: { customerId: channel.sharedCustomers[0].id, resellerId: channel.reseller.id, lineItems: [{ offerId, quantity: 1 }] } },
    await tokenOf(channel.providerUsers.ga),
  );
  expect(result.errors).toBeUndefined();
}

const scope = () => ({ partnerIds: [channel.provider.id, channel.reseller.id] });
const at = (path: string) => received.filter((request) => request.path === path);
const attemptsOf = (posts: Received[]) => posts.map((post) => `${String(post.body.id)}#${String(post.headers["x-channel-delivery-attempt"])}`);

function validSignature(secret: string, request: Received): boolean {
  const expected = Buffer.from("sha256=" + createHmac("sha256", secret).update(request.raw).digest("hex"));
  const given = Buffer.from(String(request.headers["x-channel-signature"] ?? ""));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function log(webhookId: string): Promise<{ eventId: string; attempt: number; statusCode: number | null; error: string | null }[]> {
  return app.cypher(
    `MATCH (:Webhook {id: $id})-[:LOGGED]->(d:WebhookDelivery)
     RETURN d.eventId AS eventId, d.attempt AS attempt, d.statusCode AS statusCode, d.error AS error ORDER BY d.attempt, d.eventId`,
    { id: webhookId },
  ).then((rows) =>
    rows.map((r: Record<string, unknown>) => ({
      eventId: String(r.eventId),
      attempt: Number(r.attempt),
      statusCode: r.statusCode === null ? null : Number(r.statusCode),
      error: (r.error as string | null) ?? null,
    })),
  );
}

async function tasksOf(webhookId: string): Promise<{ key: string; attempts: number }[]> {
  const rows = await app.cypher<{ key: string; attempts: number }>(
    "MATCH (t:WebhookTask)-[:FOR_WEBHOOK]->(:Webhook {id: $id}) RETURN t.key AS key, t.attempts AS attempts",
    { id: webhookId },
  );
  return rows.map((r) => ({ key: r.key, attempts: Number(r.attempts) }));
}

/** The webhook's delivery cursor (`deliveredSeq`). */
async function cursorOf(webhookId: string): Promise<number> {
  const [row] = await app.cypher<{ seq: number }>("MATCH (w:Webhook {id: $id}) RETURN w.deliveredSeq AS seq", { id: webhookId });
  return Number(row.seq);
}

/** The seq of each POSTed event, in the order they were POSTed. */
async function seqsOf(posts: Received[]): Promise<number[]> {
  return Promise.all(posts.map((post) => seqOf(String(post.body.id))));
}

async function seqOf(eventId: string): Promise<number> {
  const [row] = await app.cypher<{ seq: number }>("MATCH (e:ChannelEvent {id: $id}) RETURN e.seq AS seq", { id: eventId });
  return Number(row.seq);
}

/** Counts the write transactions `target`'s dispatcher runs, by operation (webhooks:claim, webhooks:record, webhooks:fan-out), while `fn` runs. */
async function countingTransactions<T>(target: TestApp, fn: () => Promise<T>): Promise<{ result: T; counts: Map<string, number> }> {
  const counts = new Map<string, number>();
  const executor = target.executor;
  const original = executor.forRequest.bind(executor);
  executor.forRequest = ((meta: Parameters<typeof original>[0] = {}) => {
    const requests = original(meta);
    const transaction = requests.transaction.bind(requests) as RequestExecutor["transaction"];
    requests.transaction = ((mode, work) => {
      counts.set(meta.operation ?? "", (counts.get(meta.operation ?? "") ?? 0) + 1);
      return transaction(mode, work);
    }) as RequestExecutor["transaction"];
    return requests;
  }) as typeof executor.forRequest;
  try {
    return { result: await fn(), counts };
  } finally {
    executor.forRequest = original;
  }
}

/**
 * Waits (bounded by polls, not by time) until Neo4j shows a transaction blocked on a lock whose
 * statement contains `fragment`, of the dispatcher's fan-out (`fanOut` true) or of anything else
 * (a request). Other test files' processes run beside: their fan-outs wait on the cursor too.
 */
async function blockedOn(fragment: string, fanOut: boolean, polls = 200): Promise<boolean> {
  for (let i = 0; i < polls; i++) {
    const rows = await app.cypher<{ n: number }>(
      `SHOW TRANSACTIONS YIELD currentQuery, status, metaData
       WHERE status STARTS WITH 'Blocked' AND currentQuery CONTAINS $fragment
         AND (coalesce(metaData.operation, '') = 'webhooks:fan-out') = $fanOut
       RETURN count(*) AS n`,
      { fragment, fanOut },
    );
    if (Number(rows[0]?.n ?? 0) > 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}

describe("batched attempts (issue 14, D-30)", () => {
  it("when 5 events are due for one webhook, then one claim transaction makes 5 attempts, each logged, POSTed over one connection one at a time, and recorded in one transaction", async () => {
    const { id, secret } = await createWebhook("/batch");
    for (let i = 0; i < 5; i++) await submitOrder();
    await app.events.sequencer.drain();
    await app.events.webhooks.fanOut();
    // The healthy path makes no task (issue 14): the fan-out only marks the webhook due.
    expect(await tasksOf(id)).toEqual([]);
    const connectionsBefore = connections;
    mostOpen = 0;
    const { result, counts } = await countingTransactions(app, () => app.events.webhooks.runOnce(scope()));
    expect(result.attempts).toBe(5);
    expect(counts.get("webhooks:claim")).toBe(1);
    expect(counts.get("webhooks:record")).toBe(1);
    const posts = at("/batch");
    expect(posts).toHaveLength(5);
    expect(new Set(posts.map((post) => post.body.id)).size).toBe(5);
    expect(posts.every((post) => post.headers["x-channel-delivery-attempt"] === "1" && validSignature(secret, post))).toBe(true);
    expect(new Set(posts.map((post) => post.headers["x-channel-delivery-id"])).size).toBe(5);
    expect(connections - connectionsBefore).toBe(1);
    expect(mostOpen).toBe(1);
    const entries = await log(id);
    expect(entries.map((e) => [e.attempt, e.statusCode, e.error])).toEqual(Array(5).fill([1, 200, null]));
    expect(new Set(entries.map((e) => e.eventId))).toEqual(new Set(posts.map((post) => post.body.id)));
    expect(await tasksOf(id)).toEqual([]);
    const [lease] = await app.cypher<{ until: unknown; ids: unknown; failures: number }>(
      "MATCH (w:Webhook {id: $id}) RETURN w.leaseUntil AS until, w.leaseDeliveryIds AS ids, w.failures AS failures",
      { id },
    );
    expect({ ...lease, failures: Number(lease.failures) }).toEqual({ until: null, ids: null, failures: 0 });
  });

  it("when the 3rd attempt of a batch of 5 fails, then the batch stops there: 2 done, the 3rd retried after its backoff, the 4th and 5th not sent, not logged, and due again with the retry", async () => {
    let posts = 0;
    answer = (request) => (request.path === "/third" && ++posts === 3 ? 500 : 200);
    const { id, secret } = await createWebhook("/third");
    for (let i = 0; i < 5; i++) await submitOrder();
    await app.events.sequencer.drain();
    const first = await app.events.webhooks.runOnce(scope());
    expect(first.attempts).toBe(3);
    expect(at("/third")).toHaveLength(3);
    const failedEvent = String(at("/third")[2].body.id);
    let entries = await log(id);
    expect(entries.map((e) => [e.attempt, e.statusCode]).sort((a, b) => a[1]! - b[1]!)).toEqual([[1, 200], [1, 200], [1, 500]]);
    expect(entries.find((e) => e.statusCode === 500)?.eventId).toBe(failedEvent);
    // Tasks exist only for failures (issue 14): the failed one, with its attempt; the two not sent
    // have no task and no attempt, and the webhook's cursor stops at the failed one (never past an
    // event not delivered).
    const tasks = await tasksOf(id);
    expect(tasks.map((t) => [t.key.split(":")[0], t.attempts])).toEqual([[failedEvent, 1]]);
    expect(await cursorOf(id)).toBe(await seqOf(failedEvent));
    // Not before the circuit's retry (30 s ± 20 % after the failure).
    await app.events.webhooks.runOnce(scope());
    expect(at("/third")).toHaveLength(3);
    clock.advance(40 * SECONDS);
    const second = await app.events.webhooks.runOnce(scope());
    expect(second.attempts).toBe(3);
    const all = at("/third");
    expect(all).toHaveLength(6);
    expect(all.every((post) => validSignature(secret, post))).toBe(true);
    const retried = all.slice(3);
    // The failed event first (its retry), then the two that waited behind it, in seq order.
    expect(attemptsOf(retried)[0]).toBe(`${failedEvent}#2`);
    expect(await seqsOf(all.slice(0, 2))).toEqual([...(await seqsOf(all.slice(0, 2)))].sort((a, b) => a - b));
    expect(await seqsOf(retried)).toEqual([...(await seqsOf(retried))].sort((a, b) => a - b));
    expect(attemptsOf(retried).sort()).toEqual(
      [`${failedEvent}#2`, ...retried.filter((post) => post.body.id !== failedEvent).map((post) => `${String(post.body.id)}#1`)].sort(),
    );
    expect(new Set(all.map((post) => post.body.id)).size).toBe(5);
    entries = await log(id);
    expect(entries).toHaveLength(6);
    expect(entries.filter((e) => e.statusCode === 200)).toHaveLength(5);
    expect(await tasksOf(id)).toEqual([]);
  });

  it("when two processes race their passes over a backlog of 12 events, then every event is POSTed once with attempt 1, in batches of at most 5, never two requests at once", async () => {
    const second = await startTestApp({ WEBHOOK_BATCH: "5" }, { clock });
    try {
      const { id, secret } = await createWebhook("/race");
      for (let i = 0; i < 12; i++) await submitOrder();
      await app.events.sequencer.drain();
      mostOpen = 0;
      await Promise.all([app, second, app, second].map((target) => target.events.webhooks.runOnce(scope())));
      // Whatever was left by a pass that found the webhook leased by the other: one more each.
      await Promise.all([app, second].map((target) => target.events.webhooks.runOnce(scope())));
      const posts = at("/race");
      expect(posts).toHaveLength(12);
      expect(new Set(attemptsOf(posts)).size).toBe(12);
      expect(posts.every((post) => post.headers["x-channel-delivery-attempt"] === "1" && validSignature(secret, post))).toBe(true);
      expect(mostOpen).toBe(1);
      // One batch in flight at a time, each from the cursor: the events arrive in seq order.
      const seqs = await seqsOf(posts);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(await log(id)).toHaveLength(12);
      expect(await tasksOf(id)).toEqual([]);
      expect(await cursorOf(id)).toBeGreaterThanOrEqual(seqs.at(-1)!);
    } finally {
      await second.close();
    }
  });

  it("when two processes race over 30 events and the receiver fails the 7th and 19th POST, then each (event, attempt) is POSTed exactly once, the events behind a failure wait for its retry, and the cursor never passes an event not delivered", async () => {
    const second = await startTestApp({ WEBHOOK_BATCH: "5" }, { clock });
    try {
      let count = 0;
      answer = (request) => (request.path === "/race-fail" && [7, 19].includes(++count) ? 500 : 200);
      const { id } = await createWebhook("/race-fail");
      for (let i = 0; i < 30; i++) await submitOrder();
      await app.events.sequencer.drain();
      const race = async () => {
        await Promise.all([app, second, app, second].map((target) => target.events.webhooks.runOnce(scope())));
        await Promise.all([app, second].map((target) => target.events.webhooks.runOnce(scope())));
      };
      await race();
      // Stopped at the 7th: 6 delivered, the 7th's task, the cursor at the 7th, nothing after it sent.
      expect(at("/race-fail")).toHaveLength(7);
      const seventh = String(at("/race-fail")[6].body.id);
      expect((await tasksOf(id)).map((t) => t.key.split(":")[0])).toEqual([seventh]);
      expect(await cursorOf(id)).toBe(await seqOf(seventh));
      for (let round = 0; round < 6 && at("/race-fail").length < 32; round++) {
        clock.advance(5 * 60 * SECONDS);
        await race();
      }
      const posts = at("/race-fail");
      expect(posts).toHaveLength(32);
      const counts = new Map<string, number>();
      for (const key of attemptsOf(posts)) counts.set(key, (counts.get(key) ?? 0) + 1);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      expect(new Set(posts.map((post) => post.body.id)).size).toBe(30);
      expect(posts.filter((post) => post.headers["x-channel-delivery-attempt"] === "2")).toHaveLength(2);
      // Each failed event's retry came before any event after it: delivery in seq order.
      const firstSeen = [...new Map(posts.map((post) => [String(post.body.id), post])).values()];
      const seqs = await seqsOf(firstSeen);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(mostOpen).toBe(1);
      expect(await tasksOf(id)).toEqual([]);
      expect(await log(id)).toHaveLength(32);
    } finally {
      await second.close();
    }
  });
});

describe("the webhook's cursor (issue 14: deliveries read from the numbered events)", () => {
  it("when a webhook's cursor is 50,000 events behind its next event (another organisation's events between), then one claim reads from the first event fanned out to it, not from the cursor, and delivers it", async () => {
    const { id } = await createWebhook("/far");
    // As if 50,000 events of other organisations had been numbered since its cursor last moved
    // (its fromSeq moved back too, so they would count as its own if they were).
    await app.cypher("MATCH (w:Webhook {id: $id}) SET w.deliveredSeq = w.deliveredSeq - 50000, w.fromSeq = w.fromSeq - 50000", { id });
    await submitOrder();
    await app.events.sequencer.drain();
    const statements: string[] = [];
    const executor = app.executor;
    const original = executor.forRequest.bind(executor);
    executor.forRequest = ((meta: Parameters<typeof original>[0] = {}) => {
      const requests = original(meta);
      const transaction = requests.transaction.bind(requests) as RequestExecutor["transaction"];
      requests.transaction = ((mode, work) =>
        transaction(mode, (tx) => {
          const run = tx.run.bind(tx);
          tx.run = ((name: string, params?: Record<string, unknown>) => {
            statements.push(name);
            return run(name, params);
          }) as typeof tx.run;
          return work(tx);
        })) as RequestExecutor["transaction"];
      return requests;
    }) as typeof executor.forRequest;
    try {
      await app.events.webhooks.runOnce(scope());
    } finally {
      executor.forRequest = original;
    }
    expect(at("/far")).toHaveLength(1);
    expect(statements.filter((name) => name === "webhooks/claim-events")).toHaveLength(1);
    const [row] = await app.cypher<{ next: unknown }>("MATCH (w:Webhook {id: $id}) RETURN w.nextSeq AS next", { id });
    expect(row.next).toBeNull(); // caught up: the hint is cleared until the next fan-out
    expect(await cursorOf(id)).toBeGreaterThanOrEqual(await seqOf(String(at("/far")[0].body.id)));
  });
});

describe("the fan-out and createWebhook (issue 14: idle passes leave the cursor behind)", () => {
  it("when an event is numbered before a webhook is created (nothing fanned out between), then it never goes to that webhook; the next event does, once", async () => {
    await submitOrder();
    await app.events.sequencer.drain();
    const before = at("/later").length;
    const { id } = await createWebhook("/later");
    const [{ fromSeq }] = await app.cypher<{ fromSeq: number }>("MATCH (w:Webhook {id: $id}) RETURN w.fromSeq AS fromSeq", { id });
    await submitOrder();
    await app.events.sequencer.drain();
    await app.events.webhooks.runOnce(scope());
    const posts = at("/later").slice(before);
    expect(posts).toHaveLength(1);
    const [{ seq }] = await app.cypher<{ seq: number }>("MATCH (e:ChannelEvent {id: $id}) RETURN e.seq AS seq", { id: posts[0].body.id });
    expect(Number(seq)).toBeGreaterThan(Number(fromSeq));
    expect(await log(id)).toHaveLength(1);
  });

  it("when a webhook is created while a fan-out holds the cursor, then its creation waits for that fan-out to commit, its fromSeq is at or after what that fan-out covered, and every later event reaches it", async () => {
    await submitOrder();
    await app.events.sequencer.drain();
    const [{ head }] = await app.cypher<{ head: number }>("MATCH (s:EventSequence {name: 'channel'}) RETURN s.next - 1 AS head");
    let creation: Promise<{ id: string; secret: string }> | undefined;
    let createdInside = false;
    let blocked = false;
    await app.events.webhooks.fanOut({
      locked: async () => {
        creation = createWebhook("/concurrent");
        void creation.then(() => (createdInside = true));
        // createWebhook reaches the cursor's lock and waits there (Neo4j's view, polled a bounded number of times).
        blocked = await blockedOn("WebhookCursor", false);
      },
    });
    expect(blocked).toBe(true);
    expect(createdInside).toBe(false);
    const { id, secret } = await creation!;
    const [{ fromSeq }] = await app.cypher<{ fromSeq: number }>(
      "MATCH (w:Webhook {id: $id}) RETURN w.fromSeq AS fromSeq",
      { id },
    );
    expect(Number(fromSeq)).toBeGreaterThanOrEqual(Number(head));
    for (let i = 0; i < 2; i++) await submitOrder();
    await app.events.sequencer.drain();
    await app.events.webhooks.runOnce(scope());
    const posts = at("/concurrent");
    expect(posts).toHaveLength(2);
    expect(posts.every((post) => validSignature(secret, post))).toBe(true);
    const seqs = await app.cypher<{ seq: number }>("MATCH (e:ChannelEvent) WHERE e.id IN $ids RETURN e.seq AS seq", { ids: posts.map((p) => p.body.id) });
    expect(seqs.every((row) => Number(row.seq) > Number(fromSeq))).toBe(true);
  });

  it("when a fan-out waits for a webhook's lock held by its deletion, then it completes once the deletion commits (no failed pass) and makes no task for the deleted webhook", async () => {
    const { id } = await createWebhook("/deleting");
    created.length = 0; // deleted below
    const session = app.driver.session();
    const tx = session.beginTransaction();
    try {
      // deleteWebhook's statements (the webhook's lock first), not yet committed.
      await tx.run("MATCH (w:Webhook {id: $id}) SET w.deleteLockedAt = timestamp() RETURN w.id", { id });
      await tx.run("MATCH (w:Webhook {id: $id}) OPTIONAL MATCH (w)<-[:FOR_WEBHOOK]-(t:WebhookTask) DETACH DELETE t, w", { id });
      // The event after the lock: a fan-out of any process (another test file's API shares this
      // database) meets the lock; before, one could fan the event out between the sequencing and
      // the lock, and this fan-out found nothing to wait for.
      await submitOrder();
      await app.events.sequencer.drain();
      const fanOut = app.events.webhooks.fanOut();
      const waited = await blockedOn("HAS_WEBHOOK", true);
      await tx.commit();
      await expect(fanOut).resolves.toBeGreaterThanOrEqual(0);
      expect(waited).toBe(true);
    } finally {
      await session.close();
    }
    expect(await tasksOf(id)).toEqual([]);
    const [{ n }] = await app.cypher<{ n: number }>("MATCH (t:WebhookTask {webhookId: $id}) RETURN count(t) AS n", { id });
    expect(Number(n)).toBe(0);
    await app.events.webhooks.runOnce(scope());
    expect(at("/deleting")).toEqual([]);
  });
});
