/**
 * Live channel events' latency (issue 14 point 3, D-29): from the commit of a change to a
 * graphql-ws client, with two API processes on one Neo4j. Process B takes the writes (SubmitOrder
 * over HTTP, one at a time, spaced at random so they do not fall in step with the hub's poll);
 * a subscriber on process A (the other process: woken by its poll, LIVE_POLL_MS) and one on B
 * (the writing process: woken by its own sequencer) receive each event.
 *
 *   NEO4J_URI=... NEO4J_PASSWORD=... npx tsx bench/live-latency.ts [--orders 200] [--poll-ms 200]
 *
 * Per event, two measures, both on this machine's clock (Neo4j, the API processes and this script
 * share it):
 *   - at -> client: from the event's `at` (the database's time when the change's statement ran,
 *     just before its commit) to the message's arrival: an upper bound of commit-to-client;
 *   - answer -> client: from the HTTP answer to SubmitOrder (after the commit) to the message:
 *     a lower bound (negative when the event arrives first).
 * Uses the writes bench's fixture (bench/lib/write-fixture.ts), removed at the end.
 */
import "reflect-metadata";
import { randomBytes } from "node:crypto";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { openBenchDatabase } from "./lib/neo4j.js";
import { contractOperation } from "./lib/operations.js";
import { ChildServer, serverEnv } from "./lib/servers.js";
import { createWriteFixture, removeLeftovers, type WriteFixture } from "./lib/write-fixture.js";

const say = (line = "") => process.stdout.write(`${line}\n`);

function option(argv: string[], name: string, fallback: number): number {
  const at = argv.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(argv[at + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} needs a positive number`);
  return value;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(label: string, values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const f = (v: number) => `${Math.round(v)} ms`.padStart(8);
  return `${label.padEnd(34)} n=${String(sorted.length).padStart(4)}  p50 ${f(percentile(sorted, 50))}  p90 ${f(percentile(sorted, 90))}  p99 ${f(percentile(sorted, 99))}  max ${f(sorted[sorted.length - 1] ?? NaN)}`;
}

interface Arrival {
  at: number;
  received: number;
}

function subscriber(url: string, token: string, arrivals: Map<string, Arrival>, errors: string[]): Client {
  const client = createClient({
    url: url.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  client.subscribe<{ channelEvents: { cursor: string; event: { subjectId: string; at: string } } | null }>(
    { query: "subscription { channelEvents(types: [ORDER_SUBMITTED]) { cursor event { subjectId at } } }" },
    {
      next: (result) => {
        const received = Date.now();
        const message = result.data?.channelEvents;
        if (message) arrivals.set(message.event.subjectId, { at: Date.parse(message.event.at), received });
        if (result.errors) errors.push(JSON.stringify(result.errors));
      },
      error: (error) => errors.push(`subscription ended: ${JSON.stringify(error)}`),
      complete: () => undefined,
    },
  );
  return client;
}

async function gql(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

async function main(argv: string[]): Promise<void> {
  const orders = option(argv, "--orders", 200);
  const pollMs = option(argv, "--poll-ms", 200);
  const db = await openBenchDatabase(say);
  let fixture: WriteFixture | null = null;
  const servers: ChildServer[] = [];
  const clients: Client[] = [];
  try {
    await removeLeftovers(db);
    const secret = randomBytes(48).toString("base64url");
    fixture = await createWriteFixture(db, { customers: 20, readCustomers: 1, secret: new TextEncoder().encode(secret) });
    const env = serverEnv(db, secret, { DEMO: "off", LIVE_POLL_MS: String(pollMs) });
    const [a, b] = await Promise.all([ChildServer.start("api", env), ChildServer.start("api", env)]);
    servers.push(a, b);
    const token = fixture.write.provider.admin.token;
    const onA = new Map<string, Arrival>();
    const onB = new Map<string, Arrival>();
    const errors: string[] = [];
    clients.push(subscriber(a.url, token, onA, errors), subscriber(b.url, token, onB, errors));

    const submitOrder = contractOperation("SubmitOrder");
    const write = async (i: number) => {
      const customerId = fixture!.write.customerIds[i % fixture!.write.customerIds.length];
      const answer = await gql(b.url, token, submitOrder, {
        input: { customerId, resellerId: fixture!.write.reseller.id, lineItems: [{ offerId: fixture!.offerId, quantity: 1 }] },
      });
      const order = (answer.data?.submitOrder as { order?: { id: string } } | undefined)?.order;
      if (!order) throw new Error(`SubmitOrder failed: ${JSON.stringify(answer.errors).slice(0, 300)}`);
      return { id: order.id, answered: Date.now() };
    };
    // Both subscriptions running: a first order reaches both (and warms both processes up).
    let warm = 0;
    for (; warm < 50; warm += 1) {
      const { id } = await write(warm);
      if (await waitFor(() => onA.has(id) && onB.has(id), 2_000)) break;
    }
    if (warm === 50) throw new Error(`the subscribers received nothing: ${errors.join("; ")}`);
    for (let i = 0; i < 10; i += 1) await write(i);

    say(`${orders} SubmitOrder through process B, one at a time, 0-100 ms apart; LIVE_POLL_MS=${pollMs}.`);
    const written: { id: string; answered: number }[] = [];
    for (let i = 0; i < orders; i += 1) {
      written.push(await write(i));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 100));
    }
    const all = await waitFor(() => written.every((w) => onA.has(w.id) && onB.has(w.id)), 10_000);
    const lost = written.filter((w) => !onA.has(w.id) || !onB.has(w.id)).length;
    say();
    for (const [label, arrivals] of [
      ["subscriber on A (other process)", onA],
      ["subscriber on B (writing process)", onB],
    ] as const) {
      const seen = written.filter((w) => arrivals.has(w.id));
      say(summary(`${label}, at -> client`, seen.map((w) => arrivals.get(w.id)!.received - arrivals.get(w.id)!.at)));
      say(summary(`${label}, answer -> client`, seen.map((w) => arrivals.get(w.id)!.received - w.answered)));
    }
    say();
    say(all ? "Every event reached both subscribers." : `${lost} event(s) did not reach a subscriber within 10 s.`);
    if (errors.length) say(`Errors: ${errors.slice(0, 5).join("; ")}`);
  } finally {
    for (const client of clients) await client.dispose();
    for (const server of servers) await server.stop();
    if (fixture) await fixture.remove();
    await db.driver.close();
    await db.local?.stop();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
