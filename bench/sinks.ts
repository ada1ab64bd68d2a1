/**
 * What receives channel events during the writes bench (bench/writes.ts), in a process of its
 * own so neither the load generator's nor the API's event loop does this work (never by hand):
 *   node --import tsx bench/sinks.ts
 *   - live subscribers: graphql-ws clients on the API's /graphql (the token in connection_init),
 *     each running `subscription { channelEvents { cursor event { id type } } }` and counting the
 *     events it receives (variant C);
 *   - webhook receivers: an HTTP server on 127.0.0.1 answering 200 to every POST, counting the
 *     deliveries per path and the distinct events (X-Channel-Event-Id, or the body's id) (variant D).
 * Commands over IPC from bench/lib/sinks.ts.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";

export const SUBSCRIPTION = "subscription { channelEvents { cursor event { id type } } }";

export type SinkCommand =
  | { id: number; cmd: "subscribe"; url: string; tokens: string[] }
  | { id: number; cmd: "unsubscribe" }
  | { id: number; cmd: "webhook-listen" }
  | { id: number; cmd: "counts" }
  | { id: number; cmd: "reset" }
  | { id: number; cmd: "stop" };

export interface SinkCounts {
  /** Events received per subscriber (in subscribe order). */
  subscribers: number[];
  /** Errors and unexpected closes of subscribers (first few). */
  subscriberErrors: string[];
  /** Per webhook path: POSTs received and distinct events among them. */
  webhooks: Record<string, { posts: number; events: number }>;
}

interface Subscriber {
  client: Client;
  received: number;
  stop: () => void;
}

let subscribers: Subscriber[] = [];
let subscriberErrors: string[] = [];
let hooks: Record<string, { posts: number; ids: Set<string> }> = {};
let server: Server | null = null;

const describe = (error: unknown): string => {
  if (error instanceof Error) return error.message;
  if (Array.isArray(error)) return error.map(describe).join("; ");
  if (error && typeof error === "object" && "code" in error) {
    const e = error as { code: number; reason?: string };
    return `closed ${e.code}${e.reason ? ` ${e.reason}` : ""}`;
  }
  return JSON.stringify(error);
};
const noteError = (line: string) => {
  if (subscriberErrors.length < 20) subscriberErrors.push(line);
};

/** Opens the clients and resolves once each has its connection acknowledged and its subscription sent. */
async function subscribe(url: string, tokens: string[]): Promise<void> {
  const wsUrl = url.replace(/^http/, "ws");
  await Promise.all(
    tokens.map(
      (token, i) =>
        new Promise<void>((resolve, reject) => {
          const subscriber: Subscriber = { client: null as unknown as Client, received: 0, stop: () => undefined };
          const timer = setTimeout(() => reject(new Error(`subscriber ${i}: no connection_ack within 15 s`)), 15_000);
          subscriber.client = createClient({
            url: wsUrl,
            webSocketImpl: WebSocket,
            connectionParams: { authorization: `Bearer ${token}` },
            lazy: false,
            retryAttempts: 0,
            on: {
              connected: () => {
                clearTimeout(timer);
                resolve();
              },
              closed: (event) => {
                const code = (event as { code?: number }).code;
                if (code !== 1000) noteError(`subscriber ${i}: ${describe(event)}`);
              },
              error: (error) => {
                clearTimeout(timer);
                noteError(`subscriber ${i}: ${describe(error)}`);
                reject(new Error(`subscriber ${i}: ${describe(error)}`));
              },
            },
          });
          subscriber.stop = subscriber.client.subscribe(
            { query: SUBSCRIPTION },
            {
              next: (result) => {
                if (result.errors?.length) noteError(`subscriber ${i}: ${JSON.stringify(result.errors).slice(0, 300)}`);
                else subscriber.received += 1;
              },
              error: (error) => noteError(`subscriber ${i}: ${describe(error)}`),
              complete: () => undefined,
            },
          );
          subscribers.push(subscriber);
        }),
    ),
  );
}

async function unsubscribe(): Promise<void> {
  const all = subscribers;
  subscribers = [];
  for (const s of all) s.stop();
  await Promise.all(all.map((s) => s.client.dispose()));
}

function webhookListen(): Promise<number> {
  if (server) return Promise.resolve((server.address() as AddressInfo).port);
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "/";
      const hook = (hooks[path] ??= { posts: 0, ids: new Set() });
      hook.posts += 1;
      let id = req.headers["x-channel-event-id"];
      if (typeof id !== "string") {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { id?: string; event?: { id?: string } };
          id = body.event?.id ?? body.id;
        } catch {
          id = undefined;
        }
      }
      if (typeof id === "string") hook.ids.add(id);
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve) => server!.listen(0, "127.0.0.1", () => resolve((server!.address() as AddressInfo).port)));
}

function counts(): SinkCounts {
  return {
    subscribers: subscribers.map((s) => s.received),
    subscriberErrors: [...subscriberErrors],
    webhooks: Object.fromEntries(Object.entries(hooks).map(([path, h]) => [path, { posts: h.posts, events: h.ids.size }])),
  };
}

process.on("message", (message: SinkCommand) => {
  void (async () => {
    try {
      let result: unknown = null;
      if (message.cmd === "subscribe") await subscribe(message.url, message.tokens);
      else if (message.cmd === "unsubscribe") await unsubscribe();
      else if (message.cmd === "webhook-listen") result = await webhookListen();
      else if (message.cmd === "counts") result = counts();
      else if (message.cmd === "reset") {
        hooks = {};
        subscriberErrors = [];
        for (const s of subscribers) s.received = 0;
      } else if (message.cmd === "stop") {
        await unsubscribe();
        server?.closeAllConnections();
        server?.close();
        process.send?.({ id: message.id, ok: true, result: null }, () => process.exit(0));
        return;
      }
      process.send?.({ id: message.id, ok: true, result });
    } catch (error) {
      process.send?.({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  })();
});
process.on("disconnect", () => process.exit(0));
process.send?.({ type: "ready" });
