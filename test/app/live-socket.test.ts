import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { connect, type AddressInfo, type NetConnectOpts, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { LiveWebSocket } from "../../src/app/live-socket.js";

/**
 * The live connection's sends (src/app/live-socket.ts, issue 14): graphql-ws sends a message and
 * waits for its callback before it takes the next event; LiveWebSocket lets the messages of one
 * turn of the event loop leave in one write, and still holds a sender back while the client does
 * not read. Real sockets on 127.0.0.1; no Neo4j.
 */

interface Served {
  server: Server;
  wss: WebSocketServer;
  /** The server side of the one connection, and the TCP socket under it. */
  socket: WebSocket;
  raw: Socket;
  /** The client, and its TCP socket (paused to play a client that does not read). */
  client: WebSocket;
  clientRaw: Socket;
  received: string[];
}

const opened: Served[] = [];

afterEach(async () => {
  for (const s of opened.splice(0)) {
    s.client.terminate();
    s.wss.close();
    s.server.closeAllConnections();
    await new Promise((resolve) => s.server.close(resolve));
  }
});

async function serve(kind: "live" | "plain"): Promise<Served> {
  const server = createServer();
  const wss = new WebSocketServer({ server, ...(kind === "live" ? { WebSocket: LiveWebSocket } : {}) });
  const connected = new Promise<{ socket: WebSocket; raw: Socket }>((resolve) =>
    wss.on("connection", (socket: WebSocket, req: IncomingMessage) => {
      if (socket instanceof LiveWebSocket) socket.coalesce(req.socket);
      resolve({ socket, raw: req.socket });
    }),
  );
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  let clientRaw: Socket | undefined;
  const client = new WebSocket(`ws://127.0.0.1:${port}`, {
    createConnection: ((options: NetConnectOpts) => (clientRaw = connect(options))) as typeof connect,
  });
  const received: string[] = [];
  client.on("message", (data: Buffer) => received.push(data.toString("utf8")));
  await once(client, "open");
  const { socket, raw } = await connected;
  const served = { server, wss, socket, raw, client, clientRaw: clientRaw!, received };
  opened.push(served);
  return served;
}

/** Counts the writes the TCP socket hands to the system (Writable's _write and _writev). */
function countWrites(raw: Socket): { count: number } {
  const counter = { count: 0 };
  const target = raw as unknown as Record<"_write" | "_writev", (...args: unknown[]) => unknown>;
  for (const name of ["_write", "_writev"] as const) {
    const original = target[name].bind(raw);
    target[name] = (...args: unknown[]) => {
      counter.count += 1;
      return original(...args);
    };
  }
  return counter;
}

/** As graphql-ws sends: each message after the previous one's callback. */
async function sendInTurn(socket: WebSocket, messages: string[], progress?: { done: number }): Promise<void> {
  for (const message of messages) {
    await new Promise<void>((resolve, reject) => socket.send(message, (error) => (error ? reject(error) : resolve())));
    if (progress) progress.done += 1;
  }
}

async function until(condition: () => boolean, polls = 500): Promise<boolean> {
  for (let i = 0; i < polls && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return condition();
}

describe("live sends (src/app/live-socket.ts)", () => {
  it("when 5 messages are sent each after the previous one's callback, then they leave in one write and arrive in order (a plain ws socket takes 5)", async () => {
    const messages = Array.from({ length: 5 }, (_, i) => JSON.stringify({ id: "1", type: "next", payload: { data: { n: i } } }));

    const live = await serve("live");
    const liveWrites = countWrites(live.raw);
    await sendInTurn(live.socket, messages);
    expect(await until(() => live.received.length === 5)).toBe(true);
    expect(live.received).toEqual(messages);
    expect(liveWrites.count).toBe(1);
    expect((live.socket as LiveWebSocket).sends).toEqual({ messages: 5, turns: 1 });

    const plain = await serve("plain");
    const plainWrites = countWrites(plain.raw);
    await sendInTurn(plain.socket, messages);
    expect(await until(() => plain.received.length === 5)).toBe(true);
    expect(plainWrites.count).toBe(5);
  });

  it("when the client stops reading, then the sender is held back with at most a buffer's worth waiting in the process, and every message arrives in order once it reads again", async () => {
    const live = await serve("live");
    live.clientRaw.pause();
    const big = "x".repeat(64 * 1024);
    const messages = Array.from({ length: 400 }, (_, i) => `${i}:${big}`);
    const progress = { done: 0 };
    const sending = sendInTurn(live.socket, messages, progress);
    // Held back: the socket's buffer over its high-water mark, a callback waiting for its `drain`
    // (a sender never held back has sent all 400 within the first turn, and waits for nothing).
    expect(await until(() => live.raw.listenerCount("drain") > 0 && live.raw.writableNeedDrain && progress.done < messages.length)).toBe(true);
    const heldAt = progress.done;
    // 25 MB to send; the kernel's buffers take some, the process keeps no more than its buffer and the message in hand.
    expect(heldAt).toBeLessThan(messages.length);
    expect(live.raw.writableLength).toBeLessThanOrEqual(live.raw.writableHighWaterMark + 2 * (big.length + 16));
    live.clientRaw.resume();
    await sending;
    expect(await until(() => live.received.length === messages.length)).toBe(true);
    expect(live.received.map((m) => Number(m.slice(0, m.indexOf(":"))))).toEqual(messages.map((_, i) => i));
  });

  it("when the connection is closed, then a send's callback gets ws's error, as on a plain socket", async () => {
    const live = await serve("live");
    live.client.close();
    await once(live.socket, "close");
    const error = await new Promise<Error | undefined>((resolve) => live.socket.send("late", resolve));
    expect(error).toBeInstanceOf(Error);
  });
});
