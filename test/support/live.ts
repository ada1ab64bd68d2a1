import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { recordAudit } from "../../src/shared/audit.js";
import type { ChannelEventTypeName } from "../../src/shared/events.js";
import { newId } from "../../src/shared/ids.js";
import { EVENTS_OPERATIONS, operationOf, type TestApp } from "./app.js";

/**
 * Live channel events in tests (D-29): a graphql-ws client running the contract's ChannelEvents,
 * and an event written as a mutation writes it. Shared by test/events/live*.test.ts.
 */

export const CHANNEL_EVENTS = operationOf(EVENTS_OPERATIONS, "ChannelEvents");

export interface LiveMessage {
  cursor: string;
  event: { id: string; type: string; at: string; subjectId: string; summary: string };
}

export interface LiveError {
  message: string;
  extensions?: { code?: string };
}

export interface Subscriber {
  /** The channelEvents messages received, in order. */
  messages: LiveMessage[];
  /** The errors of `next` messages (a subscription the server ended) and of an `error` message. */
  errors: LiveError[];
  /** What ended the subscription: a close event ({ code }), an error list, or null while it runs. */
  failure: unknown;
  completed: boolean;
  client: Client;
  /** The event ids received, in order. */
  readonly ids: string[];
  /** The error codes received (next and error messages), in order. */
  readonly codes: string[];
  close(): Promise<void>;
}

export function wsUrl(httpUrl: string): string {
  return httpUrl.replace(/^http/, "ws");
}

/** A graphql-ws client running ChannelEvents as the contract writes it. `token` null: no authorization in connection_init. */
export function subscribe(url: string, token: string | null, variables: { types?: string[]; after?: string } = {}): Subscriber {
  const client = createClient({
    url: wsUrl(url),
    webSocketImpl: WebSocket,
    connectionParams: token === null ? {} : { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: true,
  });
  const subscriber: Subscriber = {
    messages: [],
    errors: [],
    failure: null,
    completed: false,
    client,
    get ids() {
      return subscriber.messages.map((message) => message.event.id);
    },
    get codes() {
      return subscriber.errors.map((error) => String(error.extensions?.code));
    },
    async close() {
      unsubscribe();
      await client.dispose();
    },
  };
  const unsubscribe = client.subscribe<{ channelEvents: LiveMessage | null }>(
    { query: CHANNEL_EVENTS, operationName: "ChannelEvents", variables },
    {
      next: (result) => {
        if (result.errors) subscriber.errors.push(...(result.errors as LiveError[]));
        if (result.data?.channelEvents) subscriber.messages.push(result.data.channelEvents);
      },
      error: (error) => {
        if (Array.isArray(error)) subscriber.errors.push(...(error as LiveError[]));
        subscriber.failure = error;
      },
      complete: () => {
        subscriber.completed = true;
      },
    },
  );
  return subscriber;
}

/**
 * One event concerning `partnerIds`, written as a mutation writes it (recordAudit in a write
 * transaction), then numbered (the sequencer's drain: no waiting for its debounce).
 */
export async function writeEvent(
  app: TestApp,
  partnerIds: string | string[],
  type: ChannelEventTypeName = "ORDER_SUBMITTED",
): Promise<{ id: string; subjectId: string }> {
  const concerned = typeof partnerIds === "string" ? [partnerIds] : partnerIds;
  const subjectId = newId("Order");
  await app.executor.forRequest({ operation: "test" }).transaction("WRITE", (tx) =>
    recordAudit(tx, {
      operation: "test",
      viewer: null,
      partnerId: concerned[0],
      targetIds: [subjectId],
      events: [{ type, subjectId, summary: `test ${type}`, partnerIds: concerned }],
    }),
  );
  await app.events.sequencer.drain();
  const [row] = await app.cypher<{ id: string }>("MATCH (e:ChannelEvent {subjectId: $subjectId}) RETURN e.id AS id", { subjectId });
  return { id: row.id, subjectId };
}
