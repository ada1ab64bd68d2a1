import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { GraphQLError } from "graphql";
import { createClient } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { encodeEventCursor } from "../../src/modules/events/event-cursor.js";
import { LiveEventStream, type SequencedEvent } from "../../src/modules/events/hub.js";
import { LiveResultMemo } from "../../src/modules/events/live-results.js";
import { PROJECT_ROOT } from "../../src/shared/config.js";
import { CONTRACT_OPERATIONS, operationOf, startTestApp, tokenGetter, uniqueTag, type TestApp } from "../support/app.js";
import { hasChromium, launchChromium } from "../support/browser.js";
import { createChannel, type Channel } from "../support/fixtures.js";
import { CHANNEL_EVENTS, subscribe, writeEvent, wsUrl, type LiveMessage as Message } from "../support/live.js";
import { apiProcesses, signInAt } from "../support/processes.js";

/**
 * Live channel events (issue 14 point 3, D-29): `channelEvents` over WebSocket (graphql-ws) on
 * /graphql, the token in connection_init, scoped as the feed (D-28, T-1), resumable with `after`,
 * delivered from the outbox in Neo4j to a subscriber of any process. Every wait is a bounded poll
 * of a condition (vi.waitFor), never a sleep; no timing is asserted.
 */


let app: TestApp;
let channel: Channel;
/** Another organisation pair: its subscribers must see none of `channel`'s events (T-1). */
let other: Channel;
const tokenOf = tokenGetter(() => app, () => channel.password);

beforeAll(async () => {
  app = await startTestApp();
  const tag = uniqueTag();
  channel = await createChannel(app, tag);
  other = await createChannel(app, `${tag}o`);
});
afterAll(async () => {
  await channel?.remove();
  await other?.remove();
  await app?.close();
});

async function seqOf(eventId: string): Promise<number> {
  const [row] = await app.cypher<{ seq: number }>("MATCH (e:ChannelEvent {id: $eventId}) RETURN toInteger(e.seq) AS seq", { eventId });
  return Number(row.seq);
}

/** The highest `seq` given so far: a cursor of it subscribes from now on, with nothing missed from here. */
async function headCursor(): Promise<string> {
  const [row] = await app.cypher<{ head: number }>("MATCH (s:EventSequence {name: 'channel'}) RETURN toInteger(s.next) - 1 AS head");
  return encodeEventCursor(Number(row.head));
}

const WAIT = { timeout: 15_000, interval: 50 };

describe("channelEvents over WebSocket (D-29)", () => {
  it("when a provider submits an order through the API, then its subscriber receives ORDER_SUBMITTED with the cursor of the event's seq, and another organisation's subscriber does not", async () => {
    const before = app.events.hub.size;
    const mine = subscribe(app.url, await tokenOf(channel.providerUsers.ga));
    const theirs = subscribe(app.url, await tokenOf(other.providerUsers.ga, other.password));
    // Live only (no `after`): events after the moment each registered with the hub.
    await vi.waitFor(() => expect(app.events.hub.size).toBe(before + 2), WAIT);

    const offers = await app.cypher<{ id: string }>("MATCH (o:Offer {name: 'Microsoft 365 E3'}) RETURN o.id AS id");
    const result = await app.op<{ submitOrder: { order: { id: string } } }>(
      "SubmitOrder",
      { input: { customerId: channel.sharedCustomers[0].id, resellerId: channel.reseller.id, lineItems: [{ offerId: offers[0].id, quantity: 2 }] } },
      await tokenOf(channel.providerUsers.ga),
    );
    expect(result.errors).toBeUndefined();
    const orderId = result.data!.submitOrder.order.id;
    await vi.waitFor(() => expect(mine.messages).toHaveLength(1), WAIT);
    const [message] = mine.messages;
    expect(message.event).toMatchObject({ type: "ORDER_SUBMITTED", subjectId: orderId });
    expect(message.cursor).toBe(encodeEventCursor(await seqOf(message.event.id)));

    // The other organisation's subscriber receives its own next event, and nothing before it (the hub delivers in seq order).
    const marker = await writeEvent(app, [other.provider.id]);
    await vi.waitFor(() => expect(theirs.messages).toHaveLength(1), WAIT);
    expect(theirs.messages[0].event.id).toBe(marker.id);
    expect(mine.messages).toHaveLength(1);
    expect(mine.errors).toEqual([]);
    await mine.close();
    await theirs.close();
    await vi.waitFor(() => expect(app.events.hub.size).toBe(before), WAIT);
  });

  it("when a client disconnects, misses events and resumes with after: <last cursor>, then it receives every missed event of its organisation exactly once, in seq order, then live ones", async () => {
    const token = await tokenOf(channel.resellerUsers.ga);
    const first = subscribe(app.url, token, { after: await headCursor() });
    const e1 = await writeEvent(app, [channel.reseller.id]);
    await vi.waitFor(() => expect(first.messages.map((m) => m.event.id)).toEqual([e1.id]), WAIT);
    const resumeAt = first.messages[0].cursor;
    await first.close();

    // While away: two of its events (two types), one of another organisation's.
    const e2 = await writeEvent(app, [channel.reseller.id], "PARTNERSHIP_AUTHORIZED");
    await writeEvent(app, [other.reseller.id]);
    const e3 = await writeEvent(app, [channel.reseller.id, channel.provider.id], "CUSTOMER_RELATIONSHIP_ACCEPTED");

    const again = subscribe(app.url, token, { after: resumeAt });
    // Written while the subscription starts (replay and registration race it): still exactly once.
    const e4 = await writeEvent(app, [channel.reseller.id]);
    await vi.waitFor(() => expect(again.messages.length).toBeGreaterThanOrEqual(3), WAIT);
    const e5 = await writeEvent(app, [channel.reseller.id]);
    await vi.waitFor(() => expect(again.messages.map((m) => m.event.id)).toContain(e5.id), WAIT);

    expect(again.messages.map((m) => m.event.id)).toEqual([e2.id, e3.id, e4.id, e5.id]);
    const seqs = await Promise.all(again.messages.map((m) => seqOf(m.event.id)));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(again.messages.map((m) => m.cursor)).toEqual(seqs.map(encodeEventCursor));
    expect(again.errors).toEqual([]);
    await again.close();
  });

  it("when a client resumes 12 events behind, then the replayed messages leave in fewer writes than messages (src/app/live-socket.ts), each once, in seq order", async () => {
    const token = await tokenOf(channel.resellerUsers.ga);
    const after = await headCursor();
    const missed: string[] = [];
    for (let i = 0; i < 12; i++) missed.push((await writeEvent(app, [channel.reseller.id])).id);
    const sends = app.events.hub.gauge.sends;
    const before = { ...sends };
    const again = subscribe(app.url, token, { after });
    await vi.waitFor(() => expect(again.messages.length).toBe(12), WAIT);
    expect(again.messages.map((m) => m.event.id)).toEqual(missed);
    // connection_ack and 12 `next` messages at least; a replay page's events are sent in one turn.
    const messages = sends.messages - before.messages;
    const turns = sends.turns - before.turns;
    expect(messages).toBeGreaterThanOrEqual(13);
    expect(turns).toBeLessThanOrEqual(messages / 2);
    await again.close();
  });

  it("when a subscriber names types, then it receives only those; when it resumes from a cursor of the events feed, then it receives what came after that event", async () => {
    const token = await tokenOf(channel.providerUsers.ga);
    const typed = subscribe(app.url, token, { types: ["PARTNERSHIP_ENDED"], after: await headCursor() });
    await writeEvent(app, [channel.provider.id], "ORDER_SUBMITTED");
    const ended = await writeEvent(app, [channel.provider.id], "PARTNERSHIP_ENDED");
    await vi.waitFor(() => expect(typed.messages.map((m) => m.event.id)).toEqual([ended.id]), WAIT);
    await typed.close();

    const feed = await app.eventOp<{ events: { edges: { cursor: string; node: { id: string } }[] } }>("Events", { first: 1 }, token);
    expect(feed.errors).toBeUndefined();
    const newest = feed.data!.events.edges[0];
    const later = await writeEvent(app, [channel.provider.id], "SUBSCRIPTION_UPDATED");
    const fromFeed = subscribe(app.url, token, { after: newest.cursor });
    await vi.waitFor(() => expect(fromFeed.messages.map((m) => m.event.id)).toContain(later.id), WAIT);
    expect(fromFeed.messages.map((m) => m.event.id)).not.toContain(newest.node.id);
    await fromFeed.close();
  });

  it("when subscribers of several organisations and scopes run the same operation, then each event's selection is executed once and shared, and each subscriber still receives exactly the events its organisation and types allow", async () => {
    const results = app.events.hub.results;
    // From the head on (a resume: nothing written from here is missed, however late each registers).
    const from = await headCursor();
    // Same document; `types` and `after` (arguments of the root field) do not split the sharing.
    const providerAll = subscribe(app.url, await tokenOf(channel.providerUsers.ga), { after: from });
    const providerPartnerships = subscribe(app.url, await tokenOf(channel.providerUsers.ga), { types: ["PARTNERSHIP_AUTHORIZED"], after: from });
    const reseller = subscribe(app.url, await tokenOf(channel.resellerUsers.ga), { after: from });
    const otherProvider = subscribe(app.url, await tokenOf(other.providerUsers.ga, other.password), { after: from });
    const all = [providerAll, providerPartnerships, reseller, otherProvider];
    // A first event to all four: once each has it, each is live.
    const first = await writeEvent(app, [channel.provider.id, channel.reseller.id, other.provider.id], "PARTNERSHIP_AUTHORIZED");
    await vi.waitFor(() => expect(all.map((s) => s.ids)).toEqual(all.map(() => [first.id])), WAIT);
    const executions = results.counts.executions;
    const shared = results.counts.shared;

    const both = await writeEvent(app, [channel.provider.id, channel.reseller.id]);
    const providerOnly = await writeEvent(app, [channel.provider.id]);
    const partnership = await writeEvent(app, [channel.provider.id, channel.reseller.id], "PARTNERSHIP_AUTHORIZED");
    const resellerOnly = await writeEvent(app, [channel.reseller.id]);
    // Last, to all four: once each has it, each has had everything before it (seq order).
    const marker = await writeEvent(app, [channel.provider.id, channel.reseller.id, other.provider.id], "PARTNERSHIP_AUTHORIZED");
    await vi.waitFor(() => expect(all.map((s) => s.ids.at(-1))).toEqual(all.map(() => marker.id)), WAIT);

    expect(providerAll.ids).toEqual([first.id, both.id, providerOnly.id, partnership.id, marker.id]);
    expect(providerPartnerships.ids).toEqual([first.id, partnership.id, marker.id]);
    expect(reseller.ids).toEqual([first.id, both.id, partnership.id, resellerOnly.id, marker.id]);
    expect(otherProvider.ids).toEqual([first.id, marker.id]);
    for (const subscriber of all) expect(subscriber.errors).toEqual([]);
    // The same message for every reader of an event (D-28, T-3: the summary is every concerned organisation's).
    const byId = (s: typeof providerAll, id: string) => s.messages.find((m) => m.event.id === id);
    expect(byId(reseller, both.id)).toEqual(byId(providerAll, both.id));
    // 11 deliveries of 5 events: 5 executions, the other 6 shared.
    expect(results.counts.executions - executions).toBe(5);
    expect(results.counts.shared - shared).toBeGreaterThanOrEqual(6);
    for (const subscriber of all) await subscriber.close();
  });

  it("when the live results memo is full, then it drops its oldest results and stays within its entries and bytes", async () => {
    const memo = new LiveResultMemo({ maxEntries: 3, maxBytes: 2_000 });
    const event = (seq: number): SequencedEvent => ({ id: `che_${seq}`, type: "ORDER_SUBMITTED" as SequencedEvent["type"], at: new Date(0), subjectId: "s", summary: "x".repeat(seq === 9 ? 5_000 : 10), seq });
    let runs = 0;
    const run = (seq: number) => () => {
      runs += 1;
      return { data: { channelEvents: { cursor: String(seq), event: event(seq) } } };
    };
    for (let seq = 1; seq <= 5; seq += 1) await memo.resultFor("op", event(seq), run(seq));
    expect(memo.stats.entries).toBe(3);
    expect(memo.stats.bytes).toBeLessThanOrEqual(2_000);
    // Kept: 3, 4, 5 (no execution); dropped: 1 (executed again).
    await memo.resultFor("op", event(5), run(5));
    expect(runs).toBe(5);
    await memo.resultFor("op", event(1), run(1));
    expect(runs).toBe(6);
    // A result larger than the byte bound is never kept; another operation never shares.
    await memo.resultFor("op", event(9), run(9));
    await memo.resultFor("op", event(9), run(9));
    await memo.resultFor("other", event(5), run(5));
    expect(runs).toBe(9);
    expect(memo.stats.bytes).toBeLessThanOrEqual(2_000);
    // Results with errors are not kept (each subscriber executes its own).
    const failing = () => {
      runs += 1;
      return { errors: [new GraphQLError("no")] };
    };
    await memo.resultFor("op", event(7), failing);
    await memo.resultFor("op", event(7), failing);
    expect(runs).toBe(11);
  });

  it("when connection_init has no token or a bad one, then the connection is closed with 4403 Forbidden", async () => {
    for (const token of [null, "not-a-token", `${(await tokenOf(channel.providerUsers.ga)).slice(0, -4)}AAAA`]) {
      const refused = subscribe(app.url, token);
      await vi.waitFor(() => expect(refused.failure).toMatchObject({ code: 4403 }), WAIT);
      expect(refused.messages).toEqual([]);
      await refused.close();
    }
  });

  it("when a user whose roles read no event type subscribes, then the result is FORBIDDEN (D-28, as the feed), checked by the subscribe function itself", async () => {
    const refused = subscribe(app.url, await tokenOf(channel.providerUsers.uma));
    await vi.waitFor(() => expect(refused.completed || refused.failure !== null).toBe(true), WAIT);
    expect(refused.errors.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    expect(refused.messages).toEqual([]);
    await refused.close();
    // The feed answers the same user the same way.
    const feed = await app.eventOp("Events", {}, await tokenOf(channel.providerUsers.uma));
    expect(feed.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
  });

  it("when a user with a temporary password subscribes, then the result is PASSWORD_CHANGE_REQUIRED (T-6), as over HTTP", async () => {
    const email = channel.resellerUsers.ha;
    const token = await tokenOf(email);
    await app.cypher("MATCH (u:User {email: $email}) SET u.mustChangePassword = true", { email });
    try {
      const refused = subscribe(app.url, token);
      await vi.waitFor(() => expect(refused.completed || refused.failure !== null).toBe(true), WAIT);
      expect(refused.errors.map((e) => e.extensions?.code)).toEqual(["PASSWORD_CHANGE_REQUIRED"]);
      await refused.close();
    } finally {
      await app.cypher("MATCH (u:User {email: $email}) SET u.mustChangePassword = false", { email });
    }
  });

  it("when channelEvents is sent over HTTP, then it is refused: FORBIDDEN without the capability (the permission map), BAD_REQUEST with it", async () => {
    const query = "subscription { channelEvents { cursor } }";
    const denied = await app.gql(query, { token: await tokenOf(channel.providerUsers.uma) });
    expect(denied.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    const wrongWay = await app.gql(query, { token: await tokenOf(channel.providerUsers.ga) });
    expect(wrongWay.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_REQUEST"]);
  });

  it("when a subscribe message breaks a request limit or is not a subscription, then it gets the HTTP codes and the connection stays open", async () => {
    const token = await tokenOf(channel.providerUsers.ga);
    const client = createClient({ url: wsUrl(app.url), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
    const run = (query: string) =>
      new Promise<string[]>((resolve) => {
        const codes: string[] = [];
        client.subscribe(
          { query },
          {
            next: (result) => codes.push(...(result.errors ?? []).map((e) => String(e.extensions?.code))),
            error: (error) => resolve([...codes, ...(Array.isArray(error) ? error.map((e: { extensions?: { code?: string } }) => String(e.extensions?.code)) : [`closed ${String((error as { code?: number }).code)}`])]),
            complete: () => resolve(codes),
          },
        );
      });
    const aliased = `subscription { channelEvents { ${Array.from({ length: 20 }, (_, i) => `c${i}: cursor`).join(" ")} } }`;
    expect(await run(aliased)).toEqual(["QUERY_TOO_COMPLEX"]);
    expect(await run(`subscription { channelEvents { cursor ${"x ".repeat(3_000)} } }`)).toEqual(["QUERY_TOO_COMPLEX"]);
    expect(await run("subscription { channelEvents { nope } }")).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(await run("subscription { channelEvents(after: \"bogus\") { cursor } }")).toEqual(["BAD_USER_INPUT"]);
    expect(await run("query { me { user { id } } }")).toEqual(["BAD_REQUEST"]);
    await client.dispose();
  });

  it("when connections and subscriptions pass their bounds, then the next subscribe is RATE_LIMITED and the next upgrade is refused (503)", async () => {
    const bounded = await startTestApp({ LIVE_MAX_CONNECTIONS: "1", LIVE_MAX_SUBSCRIPTIONS: "1" });
    try {
      const one = subscribe(bounded.url, await tokenOf(channel.providerUsers.ga));
      await vi.waitFor(() => expect(bounded.events.hub.size).toBe(1), WAIT);
      // A second subscription on the same connection.
      const second = await new Promise<unknown>((resolve) => {
        one.client.subscribe({ query: CHANNEL_EVENTS }, { next: () => undefined, error: resolve, complete: () => resolve("completed") });
      });
      expect((second as { extensions?: { code?: string } }[]).map((e) => e.extensions?.code)).toEqual(["RATE_LIMITED"]);
      // A second connection: refused before the upgrade.
      const upgrade = await new Promise<number>((resolve) => {
        const socket = new WebSocket(wsUrl(bounded.url), "graphql-transport-ws");
        socket.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
        socket.on("open", () => {
          socket.close();
          resolve(101);
        });
      });
      expect(upgrade).toBe(503);
      expect(one.failure).toBeNull();
      await one.close();
    } finally {
      await bounded.close();
    }
  });

  it("when the server runs only trusted documents, then a subscription outside the safelist is refused PERSISTED_QUERY_NOT_ALLOWED", async () => {
    const trusted = await startTestApp({ TRUSTED_DOCUMENTS: "only" });
    try {
      const client = createClient({ url: wsUrl(trusted.url), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${await tokenOf(channel.providerUsers.ga)}` }, retryAttempts: 0 });
      const refused = await new Promise<unknown>((resolve) => {
        client.subscribe({ query: "subscription { channelEvents { cursor } }" }, { next: () => undefined, error: resolve, complete: () => resolve("completed") });
      });
      expect((refused as { extensions?: { code?: string } }[]).map((e) => e.extensions?.code)).toEqual(["PERSISTED_QUERY_NOT_ALLOWED"]);
      await client.dispose();
    } finally {
      await trusted.close();
    }
  });
});

describe("the live stream's buffer (a slow client)", () => {
  it("when more events wait than LIVE_MAX_BUFFERED, then the buffer is dropped, the connection is told to close, and the stream ends", async () => {
    let overflowed = 0;
    const stream = await new LiveEventStream({
      hub: app.events.hub,
      partnerId: channel.provider.id,
      types: new Set(["ORDER_SUBMITTED"]),
      after: null,
      maxBuffered: 2,
      replay: () => Promise.reject(new Error("no replay without after")),
      onOverflow: (buffered) => (overflowed = buffered),
    }).start();
    const event = (seq: number): SequencedEvent => ({ id: `e${seq}`, type: "ORDER_SUBMITTED" as SequencedEvent["type"], at: new Date(), subjectId: "s", summary: "", seq });
    const base = app.events.hub.lastSeen!;
    stream.deliver(event(base + 1));
    stream.deliver(event(base + 2));
    expect(overflowed).toBe(0);
    stream.deliver(event(base + 3));
    expect(overflowed).toBe(3);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });
});

describe.skipIf(!hasChromium)("GraphiQL (/graphiql) runs the subscription, in Debian's chromium", () => {
  it("when a signed-in user runs ChannelEvents in the page, then an event written meanwhile shows in the result panel, with no CSP violation and nothing sent off 127.0.0.1", { timeout: 90_000 }, async () => {
    const { existsSync } = await import("node:fs");
    const { GRAPHIQL_DIR } = await import("../../src/app/graphiql.js");
    if (!existsSync(join(GRAPHIQL_DIR, "index.html"))) {
      const { execFileSync } = await import("node:child_process");
      execFileSync(process.execPath, ["--import", "tsx", "scripts/build-graphiql.ts"], { cwd: PROJECT_ROOT, stdio: "ignore" });
    }
    const origin = new URL(app.url).origin;
    const browser = await launchChromium();
    try {
      const context = await browser.newContext();
      const outside: string[] = [];
      await context.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith(`${origin}/`)) return route.continue();
        outside.push(url);
        return route.abort("internetdisconnected");
      });
      await context.addInitScript(() => {
        const page = globalThis as unknown as { __csp: string[]; document: { addEventListener(type: string, listener: (event: { violatedDirective: string; blockedURI: string }) => void): void } };
        page.__csp = [];
        page.document.addEventListener("securitypolicyviolation", (event) => page.__csp.push(`${event.violatedDirective} ${event.blockedURI}`));
      });
      context.setDefaultTimeout(15_000);
      const page = await context.newPage();
      await page.goto(`${origin}/graphiql`, { waitUntil: "load" });
      const panel = page.locator(".csp-signin");
      await panel.getByLabel("Email").fill(channel.providerUsers.ga);
      await panel.getByLabel("Password").fill(channel.password);
      await panel.getByRole("button", { name: "Sign in" }).click();
      await page.getByTestId("signed-in").waitFor();
      const setQuery = (text: string) =>
        page
          .locator(".graphiql-query-editor .CodeMirror")
          .filter({ visible: true })
          .first()
          .evaluate((element, value) => (element as unknown as { CodeMirror: { setValue(v: string): void } }).CodeMirror.setValue(value), text);
      const response = () =>
        page
          .locator(".graphiql-response .CodeMirror")
          .filter({ visible: true })
          .first()
          .evaluate((element) => (element as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue());
      await setQuery(CHANNEL_EVENTS);
      const before = app.events.hub.size;
      await page.locator(".graphiql-execute-button").click();
      await vi.waitFor(() => expect(app.events.hub.size).toBe(before + 1), WAIT);
      const event = await writeEvent(app, [channel.provider.id]);
      await vi.waitFor(async () => expect(await response()).toContain(event.id), WAIT);
      const shown = JSON.parse(await response()) as { data: { channelEvents: Message } };
      expect(shown.data.channelEvents.event.id).toBe(event.id);
      // GraphiQL's stop button ends the subscription on the server too.
      await page.locator(".graphiql-execute-button").click();
      await vi.waitFor(() => expect(app.events.hub.size).toBe(before), WAIT);
      expect(await page.evaluate(() => (globalThis as unknown as { __csp: string[] }).__csp)).toEqual([]);
      expect(outside).toEqual([]);
      await context.close();
    } finally {
      await browser.close();
    }
  });
});

describe("two API processes on one Neo4j", () => {
  const processes = apiProcesses();
  afterAll(() => processes.stopAll());

  it("when an event is written through process B, then a subscriber on process A receives it", { timeout: 180_000 }, async () => {
    const secret = randomBytes(36).toString("base64url");
    const [a, b] = await Promise.all([processes.start({ JWT_SECRET: secret }), processes.start({ JWT_SECRET: secret })]);
    const signIn = (url: string, email: string) => signInAt(url, email, channel.password);
    const onA = subscribe(a, await signIn(a, channel.providerUsers.ga), { after: await headCursor() });
    const token = await signIn(b, channel.providerUsers.ga);
    const offers = await app.cypher<{ id: string }>("MATCH (o:Offer {name: 'Microsoft 365 E3'}) RETURN o.id AS id");
    const response = await fetch(b, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: operationOf(CONTRACT_OPERATIONS, "SubmitOrder"),
        operationName: "SubmitOrder",
        variables: { input: { customerId: channel.sharedCustomers[1].id, resellerId: channel.reseller.id, lineItems: [{ offerId: offers[0].id, quantity: 1 }] } },
      }),
    });
    const body = (await response.json()) as { data?: { submitOrder: { order: { id: string } } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    const orderId = body.data!.submitOrder.order.id;
    await vi.waitFor(() => expect(onA.messages.map((m) => m.event.subjectId)).toContain(orderId), { timeout: 30_000, interval: 100 });
    expect(onA.messages.filter((m) => m.event.subjectId === orderId)).toHaveLength(1);
    await onA.close();
  });
});
