import { createClient } from "graphql-ws";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { encodeEventCursor } from "../../src/modules/events/event-cursor.js";
import { EventHub, LiveEventStream, type ReplayPage, type SequencedEvent } from "../../src/modules/events/hub.js";
import type { Logger } from "../../src/shared/logger.js";
import { startTestApp, tokenGetter, uniqueTag, type TestApp } from "../support/app.js";
import { createChannel, type Channel } from "../support/fixtures.js";
import { CHANNEL_EVENTS, subscribe, writeEvent as writeEventAt, wsUrl } from "../support/live.js";

/**
 * The live path's bounds (issue 14 security review, D-29; src/app/subscriptions.ts, hub.ts):
 * (a) a socket closed while its connection_init is checked registers nothing; (b) subscribe
 * messages in flight per connection (LIVE_MAX_SUBSCRIPTIONS) and the user's request-rate bucket;
 * (c) resume bounded by LIVE_MAX_REPLAY, the replay paused between pages and counted against
 * LIVE_MAX_BUFFERED; (d) LIVE_MAX_CONNECTIONS_PER_USER (4429) and LIVE_MAX_PENDING_PER_ADDRESS
 * (429 upgrade); (e) the hub's polls back off while Neo4j is away. Loopback only; every wait is a
 * bounded poll of a condition; no timing is asserted.
 */

const WAIT = { timeout: 15_000, interval: 20 };

let app: TestApp;
let channel: Channel;
const tokenOf = tokenGetter(() => app, () => channel.password);
const extraApps: TestApp[] = [];

beforeAll(async () => {
  app = await startTestApp();
  channel = await createChannel(app, uniqueTag());
});
afterAll(async () => {
  await channel?.remove();
  for (const extra of extraApps) await extra.close();
  await app?.close();
});

async function boundedApp(env: Record<string, string>): Promise<TestApp> {
  const bounded = await startTestApp(env);
  extraApps.push(bounded);
  return bounded;
}

/** A raw graphql-transport-ws socket, open (or the HTTP status of a refused upgrade). */
function openSocket(url: string): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl(url), "graphql-transport-ws");
    socket.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    socket.on("open", () => resolve(socket));
    socket.on("error", reject);
  });
}

/** A raw socket that has sent connection_init with the token and got connection_ack. */
async function initialised(url: string, token: string): Promise<WebSocket> {
  const socket = await openSocket(url);
  if (typeof socket === "number") throw new Error(`upgrade refused: ${socket}`);
  await new Promise<void>((resolve, reject) => {
    socket.on("message", (data) => {
      if ((JSON.parse(String(data)) as { type: string }).type === "connection_ack") resolve();
    });
    socket.on("close", (code) => reject(new Error(`closed ${code}`)));
    socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${token}` } }));
  });
  return socket;
}

async function writeEvent(partnerId: string): Promise<string> {
  return (await writeEventAt(app, partnerId)).id;
}

async function head(): Promise<number> {
  const [row] = await app.cypher<{ head: number }>("MATCH (s:EventSequence {name: 'channel'}) RETURN toInteger(s.next) - 1 AS head");
  return Number(row.head);
}

describe("(a) a socket that closes while its connection_init is checked", () => {
  it("when 50 sockets send connection_init and are cut at once, then no connection stays registered (the registry returns to 0)", async () => {
    const live = await boundedApp({ LIVE_MAX_PENDING_PER_ADDRESS: "100", LIVE_MAX_CONNECTIONS_PER_USER: "100" });
    const gauge = live.events.hub.gauge;
    const token = await tokenOf(channel.providerUsers.ga);
    const init = JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${token}` } });
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        const socket = await openSocket(live.url);
        if (typeof socket === "number") throw new Error(`upgrade refused: ${socket}`);
        socket.send(init);
        socket.terminate();
      }),
    );
    // Every socket gone on the server and every connection_init check finished: nothing registered.
    await vi.waitFor(() => expect([gauge.sockets, gauge.connecting]).toEqual([0, 0]), WAIT);
    expect(gauge.connections).toBe(0);
    expect(gauge.pending).toBe(0);
    // The server still accepts a connection that stays.
    const socket = await initialised(live.url, token);
    expect(gauge.connections).toBe(1);
    socket.close();
    await vi.waitFor(() => expect(gauge.connections).toBe(0), WAIT);
  });
});

describe("(b) subscribe messages in flight and the request rate", () => {
  it("when a client sends 200 subscribe+complete pairs in one burst, then at most LIVE_MAX_SUBSCRIPTIONS onSubscribe run at once and the rest are refused", async () => {
    const live = await boundedApp({ LIVE_MAX_SUBSCRIPTIONS: "3" });
    const gauge = live.events.hub.gauge;
    gauge.reset();
    const socket = await initialised(live.url, await tokenOf(channel.providerUsers.ga));
    const replies: { id: string; type: string }[] = [];
    socket.on("message", (data) => replies.push(JSON.parse(String(data)) as { id: string; type: string }));
    const frames: string[] = [];
    for (let i = 0; i < 200; i++) {
      frames.push(JSON.stringify({ id: `s${i}`, type: "subscribe", payload: { query: CHANNEL_EVENTS, operationName: "ChannelEvents" } }));
      frames.push(JSON.stringify({ id: `s${i}`, type: "complete" }));
    }
    // One burst: every frame written before the server answers any.
    for (const frame of frames) socket.send(frame);
    // A last subscribe that stays: its answer (events or RATE_LIMITED) comes after the burst was read.
    socket.send(JSON.stringify({ id: "probe", type: "subscribe", payload: { query: "subscription { channelEvents { nope } }" } }));
    await vi.waitFor(() => expect(replies.some((r) => r.id === "probe")).toBe(true), WAIT);
    await vi.waitFor(() => expect(gauge.inFlightSubscribes).toBe(0), WAIT);
    expect(gauge.maxInFlightPerConnection).toBeGreaterThan(0);
    expect(gauge.maxInFlightPerConnection).toBeLessThanOrEqual(3);
    expect(gauge.refusedSubscribes).toBeGreaterThanOrEqual(100);
    expect(socket.readyState).toBe(WebSocket.OPEN);
    socket.close();
  });

  it("when a user sends more subscribe messages than RATE_LIMIT_PER_MINUTE, then the next ones are RATE_LIMITED (the HTTP request bucket)", async () => {
    const live = await boundedApp({ RATE_LIMIT_PER_MINUTE: "3" });
    const token = await tokenOf(channel.providerUsers.ga);
    const client = createClient({ url: wsUrl(live.url), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
    const run = () =>
      new Promise<string[]>((resolve) => {
        client.subscribe(
          { query: "subscription { channelEvents { nope } }" },
          {
            next: () => undefined,
            error: (error) => resolve(Array.isArray(error) ? error.map((e: { extensions?: { code?: string } }) => String(e.extensions?.code)) : ["closed"]),
            complete: () => resolve([]),
          },
        );
      });
    const codes: string[][] = [];
    for (let i = 0; i < 5; i++) codes.push(await run());
    expect(codes).toEqual([["GRAPHQL_VALIDATION_FAILED"], ["GRAPHQL_VALIDATION_FAILED"], ["GRAPHQL_VALIDATION_FAILED"], ["RATE_LIMITED"], ["RATE_LIMITED"]]);
    await client.dispose();
  });
});

describe("(c) resume bounded", () => {
  it("when `after` is more than LIVE_MAX_REPLAY events behind the head, then it is BAD_USER_INPUT naming `after` and the events feed; within the bound every missed event is replayed once, in order", async () => {
    const live = await boundedApp({ LIVE_MAX_REPLAY: "100" });
    const token = await tokenOf(channel.providerUsers.ga);
    // Far behind (seq 0 with an outbox of more than 100 events).
    while ((await head()) <= 100) await writeEvent(channel.provider.id);
    const old = subscribe(live.url, token, { after: encodeEventCursor(0) });
    await vi.waitFor(() => expect(old.codes).toEqual(["BAD_USER_INPUT"]), WAIT);
    expect(old.errors[0].message).toMatch(/^after: .*LIVE_MAX_REPLAY.*`events` feed/);
    expect(live.events.hub.size).toBe(0);
    await old.client.dispose();

    const from = await head();
    const missed = [await writeEvent(channel.provider.id), await writeEvent(channel.provider.id)];
    const resumed = subscribe(live.url, token, { after: encodeEventCursor(from) });
    await vi.waitFor(() => expect(resumed.ids).toEqual(missed), WAIT);
    expect(resumed.codes).toEqual([]);
    await resumed.client.dispose();
  });
});

describe("(c) the replay's pages (LiveEventStream, no database)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const event = (seq: number): SequencedEvent => ({ id: `e${seq}`, type: "ORDER_SUBMITTED" as SequencedEvent["type"], at: new Date(), subjectId: "s", summary: "", seq });
  /** A hub stand-in at H = 1000 (start() registers with it). */
  const fakeHub = { ready: async () => undefined, register: () => ({ from: 1_000, unregister: () => undefined }) } as unknown as EventHub;

  it("when replay pages find none of the organisation's events, then the next page waits for the pause (no tight loop of statements)", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let pages = 0;
    const stream = await new LiveEventStream({
      hub: fakeHub,
      partnerId: "p",
      types: new Set(["ORDER_SUBMITTED"]),
      after: 0,
      maxBuffered: 50,
      replayPauseMs: 100,
      // Each page looks at 10 seqs and finds nothing of this organisation's.
      replay: async (after): Promise<ReplayPage> => {
        pages += 1;
        return { events: [], scannedTo: after + 10 };
      },
      onOverflow: () => undefined,
    }).start();
    void stream.next();
    await vi.advanceTimersByTimeAsync(0);
    expect(pages).toBe(1);
    await vi.advanceTimersByTimeAsync(99);
    expect(pages).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(pages).toBe(2);
    await stream.return();
  });

  it("when live events wait while the replay runs, then a page reads no more than the room left, and replayed plus live events beyond LIVE_MAX_BUFFERED close the stream", async () => {
    let overflowed = 0;
    const rooms: number[] = [];
    const stream = await new LiveEventStream({
      hub: fakeHub,
      partnerId: "p",
      types: new Set(["ORDER_SUBMITTED"]),
      after: 0,
      maxBuffered: 4,
      replay: async (after, _until, _types, room): Promise<ReplayPage> => {
        rooms.push(room);
        const events = Array.from({ length: room }, (_, i) => event(after + 1 + i));
        return { events, scannedTo: after + room };
      },
      onOverflow: (buffered) => (overflowed = buffered),
    }).start();
    // Three live events wait (the client has not pulled yet).
    for (const seq of [1_001, 1_002, 1_003]) stream.deliver(event(seq));
    expect(overflowed).toBe(0);
    // The first pull reads a page of at most 1 (4 - 3 waiting): 4 held, not more than the bound.
    expect((await stream.next()).value).toMatchObject({ seq: 1 });
    expect(rooms).toEqual([1]);
    // The next pull reads one more page; with a fourth live event waiting, 5 are held: the stream ends.
    stream.deliver(event(1_004));
    expect(overflowed).toBe(0);
    await stream.next();
    expect(overflowed).toBe(5);
    expect(stream.ended).toBe(true);
  });
});

describe("(d) connections per user and pending per address", () => {
  it("when a user opens more than LIVE_MAX_CONNECTIONS_PER_USER connections, then the next connection_init is closed 4429", async () => {
    const live = await boundedApp({ LIVE_MAX_CONNECTIONS_PER_USER: "2" });
    const token = await tokenOf(channel.providerUsers.ga);
    const first = await initialised(live.url, token);
    const second = await initialised(live.url, token);
    const third = await openSocket(live.url);
    if (typeof third === "number") throw new Error(`upgrade refused: ${third}`);
    const closed = new Promise<{ code: number; reason: string }>((resolve) => third.on("close", (code, reason) => resolve({ code, reason: String(reason) })));
    third.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${token}` } }));
    const { code, reason } = await closed;
    expect(code).toBe(4429);
    expect(reason).toMatch(/^Too many requests.*LIVE_MAX_CONNECTIONS_PER_USER/);
    // Another user is not affected; a slot freed is usable again.
    const other = await initialised(live.url, await tokenOf(channel.resellerUsers.ga));
    first.close();
    await vi.waitFor(() => expect(live.events.hub.gauge.connections).toBe(2), WAIT);
    const again = await initialised(live.url, token);
    for (const socket of [second, other, again]) socket.close();
  });

  it("when an address holds LIVE_MAX_PENDING_PER_ADDRESS connections not yet initialised, then its next upgrade is refused 429 before the handshake", async () => {
    const live = await boundedApp({ LIVE_MAX_PENDING_PER_ADDRESS: "2", LIVE_INIT_TIMEOUT_MS: "60000" });
    const token = await tokenOf(channel.providerUsers.ga);
    const a = await openSocket(live.url);
    const b = await openSocket(live.url);
    expect(typeof a).not.toBe("number");
    expect(await openSocket(live.url)).toBe(429);
    // One of them initialises: no longer pending, so one more may connect.
    const ready = a as WebSocket;
    await new Promise<void>((resolve) => {
      ready.on("message", () => resolve());
      ready.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${token}` } }));
    });
    const c = await openSocket(live.url);
    expect(typeof c).not.toBe("number");
    for (const socket of [ready, b, c]) (socket as WebSocket).close();
  });
});

describe("(e) the hub during a Neo4j outage (no database)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("when every poll fails, then the polls come after 100, 200, 400 ms (not every 100 ms), and one warning is logged", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    let polls = 0;
    const warn = vi.fn();
    const requests = {
      read: async (name: string) => {
        if (name === "events/since-head") return [{ head: 10 }];
        polls += 1;
        throw Object.assign(new Error("Neo4j away"), { code: "ServiceUnavailable" });
      },
    };
    const hub = new EventHub(
      { forRequest: () => requests } as never,
      { onSequenced: () => () => undefined, handOver: () => () => undefined } as never,
      { pollMs: 100, logger: { warn, info: vi.fn(), error: vi.fn(), debug: vi.fn() } as unknown as Logger },
    );
    hub.start();
    try {
      await hub.ready();
      hub.register({ partnerId: "p", types: new Set(["ORDER_SUBMITTED"]), deliver: () => undefined });
      const seen: number[] = [];
      for (const step of [100, 200, 400]) {
        await vi.advanceTimersByTimeAsync(step - 1);
        seen.push(polls);
        await vi.advanceTimersByTimeAsync(1);
      }
      seen.push(polls);
      expect(seen).toEqual([0, 1, 2, 3]);
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      await hub.stop();
    }
  });
});
