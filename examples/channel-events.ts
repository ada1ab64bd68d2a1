// Watch your channel's events live (graphql-ws) and, optionally, at a local signed webhook (D-28..D-30).
// Against a running API:  EMAIL=ga@adatum.example PASSWORD=... npx tsx examples/channel-events.ts
// Env: API_URL (default http://127.0.0.1:4000/graphql), EMAIL, PASSWORD, AFTER (a cursor printed earlier: resume after it),
// WEBHOOK_PORT (a global admin only, a development server only: receive signed deliveries on http://127.0.0.1:<port>/).
// Run by test/events/story.test.ts.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const API_URL = process.env.API_URL ?? "http://127.0.0.1:4000/graphql";
const { EMAIL, PASSWORD, WEBHOOK_PORT } = process.env;
type ChannelEvent = { id: string; type: string; at: string; subjectId: string; summary: string };

async function graphql<T>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const response = await fetch(API_URL, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const { data, errors } = (await response.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  if (errors?.length || !data) throw new Error(`${errors?.[0]?.extensions?.code}: ${errors?.[0]?.message}`);
  return data;
}

const signIn = async () =>
  (await graphql<{ signIn: { token: string } }>("mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { token } }", { email: EMAIL, password: PASSWORD })).signIn.token;

const show = (via: string, e: ChannelEvent, note = "") => console.log(`${via.padEnd(7)} ${e.at} ${e.type} ${e.summary} [${e.id}]${note}`);

let token = await signIn();

// ---- Webhook (optional): a receiver on 127.0.0.1 that checks X-Channel-Signature, registered with createWebhook.
let webhookId: string | undefined;
if (WEBHOOK_PORT) {
  let secret = "";
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks); // sign and check the exact bytes received, never re-serialized JSON
      const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(raw).digest("hex")}`);
      const given = Buffer.from(String(req.headers["x-channel-signature"] ?? ""));
      const valid = secret !== "" && given.length === expected.length && timingSafeEqual(given, expected);
      res.writeHead(valid ? 204 : 401).end(); // anything but 2xx: the API retries (30 s, doubling to 1 h, for 24 h)
      if (!valid) return console.log(`webhook REJECTED: bad signature for event ${req.headers["x-channel-event-id"]}`);
      show("webhook", JSON.parse(raw.toString("utf8")) as ChannelEvent, ` signature ok, attempt ${req.headers["x-channel-delivery-attempt"]}`);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(Number(WEBHOOK_PORT), "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${WEBHOOK_PORT}/`;
  const { createWebhook } = await graphql<{ createWebhook: { webhook: { id: string }; secret: string } }>(
    "mutation ($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id } secret } }",
    { input: { url, events: ["PARTNERSHIP_AUTHORIZED", "PARTNERSHIP_DECLINED", "PARTNERSHIP_ENDED", "CUSTOMER_RELATIONSHIP_ACCEPTED", "CUSTOMER_RELATIONSHIP_ENDED", "ORDER_SUBMITTED", "SUBSCRIPTION_UPDATED", "DELEGATED_ADMIN_APPROVED", "DELEGATED_ADMIN_TERMINATED", "DELEGATED_ADMIN_EXPIRING", "DELEGATED_ADMIN_EXPIRED"] } },
    token,
  );
  ({ secret } = createWebhook);
  webhookId = createWebhook.webhook.id;
  console.log(`webhook ${webhookId} -> ${url} (signing secret, shown once: ${secret})`);
}

// ---- Live: channelEvents over WebSocket; on a reconnect, a new subscription resumes after the last cursor seen.
let cursor = process.env.AFTER || undefined;
let connections = 0;
const client = createClient({
  url: API_URL.replace(/^http/, "ws"),
  webSocketImpl: WebSocket,
  // A fresh token on every reconnect (tokens expire after 8 hours).
  connectionParams: async () => ({ authorization: `Bearer ${connections++ === 0 ? token : (token = await signIn())}` }),
  retryAttempts: Infinity,
  shouldRetry: () => true,
});

let unsubscribe = () => {};
function subscribe(): void {
  unsubscribe();
  unsubscribe = client.subscribe<{ channelEvents: { cursor: string; event: ChannelEvent } }>(
    { query: "subscription ($after: String) { channelEvents(after: $after) { cursor event { id type at subjectId summary } } }", variables: { after: cursor } },
    {
      next: ({ data, errors }) => {
        if (errors?.length) return console.error(`error: ${errors[0].message}`);
        if (!data) return;
        cursor = data.channelEvents.cursor; // keep it (a file, a database...) to resume after a restart: AFTER=<cursor>
        show("live", data.channelEvents.event);
      },
      error: (error) => {
        console.error("subscription failed:", error instanceof Error ? error.message : JSON.stringify(error));
        process.exit(1);
      },
      complete: () => {},
    },
  );
}
client.on("connected", (_socket, _payload, wasRetry) => {
  console.log(wasRetry ? `reconnected; resuming after ${cursor ?? "(nothing received yet)"}` : `watching channel events as ${EMAIL} on ${API_URL}`);
  if (wasRetry) subscribe(); // the old subscription would resubscribe with its first `after`: replace it
});
client.on("closed", () => console.log("connection lost; reconnecting..."));
subscribe();

// Ctrl-C: delete the webhook this run created, close the connection.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    unsubscribe();
    await client.dispose();
    if (webhookId) await graphql("mutation ($id: ID!) { deleteWebhook(id: $id) { id } }", { id: webhookId }, token).catch(() => {});
    process.exit(0);
  });
}
