/**
 * `npm run bench:delivery-floor`: what one event costs to hand over, at the least, on this machine,
 * with nothing of the API around it (issue 14's write goal, read with bench:writes):
 * - a webhook POST (D-30: one event per POST, one attempt at a time per webhook) from Node's
 *   http client as the dispatcher makes it (keep-alive, one connection per batch of 20, signed,
 *   a timer per request, the answer read), to a receiver in another process that answers 200:
 *   the CPU of both sides per POST;
 * - a live push (D-29: a graphql-ws `next` message per subscriber) over `ws`, one send awaited at
 *   a time per socket as graphql-ws sends, to 10 sockets of a client in another process: the CPU
 *   of both sides per push.
 * With 2 webhooks an order is 2 POSTs; with 10 subscribers, 10 pushes: bench:writes' variants D
 * and C. The API can do no less for them; the difference to its measured cost per write is its
 * own work (transactions, the delivery log, graphql-ws, the hub). CPU from process.cpuUsage()
 * (user + system) of each process over the run, divided by the messages.
 */
import { fork } from "node:child_process";
import { createHmac } from "node:crypto";
import { Agent, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { WebSocket, WebSocketServer } from "ws";

const SELF = fileURLToPath(import.meta.url);
const say = (line = "") => process.stdout.write(`${line}\n`);
const cpuMs = (since?: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

/** An event's body as the dispatcher posts it (about its size: ids, type, time, summary). */
const EVENT = {
  id: `evt_${"x".repeat(26)}`,
  type: "ORDER_SUBMITTED",
  at: "2026-12-03T12:00:00.000Z",
  subjectId: `ord_${"y".repeat(26)}`,
  summary: "Order submitted: Contoso Ltd, by Litware (1 line item)",
};

// ------------------------------------------------------------------------------- the other side

type Command = { cmd: "cpu" } | { cmd: "sockets"; port: number; count: number };

async function peer(): Promise<void> {
  const server = createServer((req, res) => {
    req.on("data", () => undefined);
    req.on("end", () => res.writeHead(200, { "content-type": "text/plain" }).end("ok"));
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  let received = 0;
  const sockets: WebSocket[] = [];
  process.on("message", (message: Command) => {
    void (async () => {
      if (message.cmd === "cpu") return process.send!({ cpuMs: cpuMs(), received });
      for (let i = 0; i < message.count; i++) {
        const socket = new WebSocket(`ws://127.0.0.1:${message.port}`);
        socket.on("message", (data: Buffer) => {
          JSON.parse(data.toString("utf8"));
          received += 1;
        });
        await new Promise((resolve) => socket.once("open", resolve));
        sockets.push(socket);
      }
      process.send!({ ok: true });
    })();
  });
  process.send!({ port: (server.address() as AddressInfo).port });
}

// ---------------------------------------------------------------------------------- this side

function post(url: URL, agent: Agent, body: string, secret: string, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: "POST",
      agent,
      signal,
      headers: {
        "content-type": "application/json",
        "x-channel-event-id": EVENT.id,
        "x-channel-delivery-attempt": "1",
        "x-channel-signature": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
        "content-length": String(Buffer.byteLength(body)),
      },
    });
    const timer = setTimeout(() => req.destroy(new Error("no answer within 10 s")), 10_000);
    timer.unref();
    req.on("error", reject);
    req.on("response", (res) => {
      res.on("data", () => undefined);
      res.on("end", () => {
        clearTimeout(timer);
        resolve(res.statusCode ?? 0);
      });
    });
    req.end(body);
  });
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { posts: { type: "string" }, events: { type: "string" }, rounds: { type: "string" } } });
  const posts = Number(values.posts ?? 4000);
  const events = Number(values.events ?? 2000);
  const rounds = Number(values.rounds ?? 3);
  const child = fork(SELF, ["peer"], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const next = <T>() => new Promise<T>((resolve) => child.once("message", (m) => resolve(m as T)));
  const ask = async (command: Command) => {
    const reply = next<{ cpuMs: number; received: number }>();
    child.send(command);
    return reply;
  };
  const { port } = await next<{ port: number }>();
  const url = new URL(`http://127.0.0.1:${port}/hook`);
  const body = JSON.stringify({ ...EVENT, webhookId: "whk_floor" });
  const results: { what: string; sender: number; receiver: number }[] = [];

  // Webhook POSTs: batches of 20 on one kept-alive connection each, one at a time.
  for (let round = 0; round <= rounds; round++) {
    const before = await ask({ cmd: "cpu" });
    const start = process.cpuUsage();
    const controller = new AbortController();
    let agent: Agent | undefined;
    for (let i = 0; i < posts; i++) {
      if (i % 20 === 0) {
        agent?.destroy();
        agent = new Agent({ keepAlive: true, maxSockets: 1 });
      }
      const status = await post(url, agent!, body, "floor-secret", controller.signal);
      if (status !== 200) throw new Error(`the receiver answered ${status}`);
    }
    agent?.destroy();
    const sender = cpuMs(start);
    const after = await ask({ cmd: "cpu" });
    if (round > 0) results.push({ what: "webhook POST", sender: (sender * 1000) / posts, receiver: ((after.cpuMs - before.cpuMs) * 1000) / posts });
  }

  // Live pushes: 10 sockets, each event a `next` message to each, one send awaited at a time per socket.
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise((resolve) => wss.once("listening", resolve));
  const connections: WebSocket[] = [];
  wss.on("connection", (socket) => connections.push(socket));
  const ready = next<{ ok: true }>();
  child.send({ cmd: "sockets", port: (wss.address() as AddressInfo).port, count: 10 } satisfies Command);
  await ready;
  const send = (socket: WebSocket, data: string) => new Promise<void>((resolve, reject) => socket.send(data, (error) => (error ? reject(error) : resolve())));
  for (let round = 0; round <= rounds; round++) {
    const before = await ask({ cmd: "cpu" });
    const start = process.cpuUsage();
    // As the hub hands them over: about 10 events a pass, each to every subscriber.
    for (let e = 0; e < events; e += 10) {
      await Promise.all(
        connections.map(async (socket, i) => {
          for (let k = 0; k < 10; k++) {
            await send(socket, JSON.stringify({ id: `sub${i}`, type: "next", payload: { data: { channelEvents: { cursor: `c1.${e + k}`, event: EVENT } } } }));
          }
        }),
      );
    }
    const sender = cpuMs(start);
    let after = await ask({ cmd: "cpu" });
    while (after.received < before.received + events * connections.length) after = await ask({ cmd: "cpu" });
    const pushes = events * connections.length;
    if (round > 0) results.push({ what: "live push", sender: (sender * 1000) / pushes, receiver: ((after.cpuMs - before.cpuMs) * 1000) / pushes });
  }
  child.kill();
  wss.close();

  say(`Delivery floor (${rounds} rounds after one warm-up; ${posts} POSTs, ${events} events x 10 sockets a round), CPU in microseconds:`);
  say("| what | sender µs | receiver µs |");
  say("|---|---:|---:|");
  for (const r of results) say(`| ${r.what} | ${r.sender.toFixed(0)} | ${r.receiver.toFixed(0)} |`);
  const median = (what: string, side: "sender" | "receiver") => {
    const v = results.filter((r) => r.what === what).map((r) => r[side]).sort((a, b) => a - b);
    return v[Math.floor(v.length / 2)]!;
  };
  const d = 2 * (median("webhook POST", "sender") + median("webhook POST", "receiver"));
  const c = 10 * (median("live push", "sender") + median("live push", "receiver"));
  say();
  say(`Per order, at the least (medians): D, 2 webhooks: ${(d / 1000).toFixed(2)} ms of CPU (API ${((2 * median("webhook POST", "sender")) / 1000).toFixed(2)}); C, 10 subscribers: ${(c / 1000).toFixed(2)} ms (API ${((10 * median("live push", "sender")) / 1000).toFixed(2)}).`);
  say("Compare with bench:writes' CPU per write (API + Neo4j + receivers, plus the load generator's share of the same cores).");
}

if (process.argv[2] === "peer") {
  void peer();
} else {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`bench:delivery-floor: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
