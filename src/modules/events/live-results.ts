import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult } from "graphql";
import type { SequencedEvent } from "./hub.js";

export interface LiveResultMemoOptions {
  /** Results kept at most: default 2,000 (events x distinct operations). */
  maxEntries?: number;
  /** Their size at most (the JSON length of key and result, in UTF-16 bytes): default 4 MB. */
  maxBytes?: number;
}

interface Entry {
  eventId: string;
  result: ExecutionResult;
  bytes: number;
}

/** One subscribe message's operation as the memo knows it: its text, operation name and variables (hashed by the caller). */
export type OperationKey = string;

/**
 * The live results memo (issue 14, D-29): the execution of a `channelEvents` subscription's
 * selection for one event, shared by every subscriber that runs the same operation (document
 * text, operation name, variables) and receives that event.
 *
 * Why sharing is exact: the result of executing a channelEvents selection for an event depends
 * only on the operation and the event: the resolver returns `{ cursor: seq, event }`, the
 * event's fields are stored values (`summary` names only what every organisation the event
 * concerns may see, T-3, src/shared/events.ts), and the one permission on the way
 * (Subscription.channelEvents: canAny C16, C1, C4, src/app/permissions.ts) is the one
 * liveEventsRefusal checks before the stream starts (a subscription that failed it has no
 * stream, so nothing to share), cached per subscription's context by graphql-shield. WHICH events
 * a subscriber gets is not decided here: the hub hands each subscription only its organisation's
 * events of the types it reads (CONCERNS, D-28, T-1; narrowed or ended by the rechecks), and only
 * those are looked up here. A subscribe message reaches this only after the connection's limits
 * (safelist, length, tokens, depth, cost, rate: src/app/subscriptions.ts, onSubscribe).
 *
 * Results with errors are never kept (each subscriber executes its own), nor the last message of
 * a subscription the server ends (LiveStreamEnded). Bounded in entries and bytes, oldest first
 * out: events come in `seq` order, so the oldest is the one every subscriber has had.
 */
export class LiveResultMemo {
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly entries = new Map<string, Entry>();
  /** Executions in flight (at most maxEntries), so that the subscribers of one event wait for one. */
  private readonly running = new Map<string, { eventId: string; result: Promise<ExecutionResult> }>();
  private size = 0;
  /** Executions of a selection for an event, and results served from the memo instead (metrics, tests). */
  readonly counts = { executions: 0, shared: 0 };

  constructor(options: LiveResultMemoOptions = {}) {
    this.maxEntries = options.maxEntries ?? 2_000;
    this.maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
  }

  /** Entries and their bytes now (tests). */
  get stats(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.size };
  }

  /**
   * The result of `operation` for `event`: from the memo, or `run()` once. Subscribers woken by
   * the same event ask at the same moment: they wait for the one execution in flight (a
   * result with errors is then executed again by each, never shared).
   */
  async resultFor(operation: OperationKey, event: SequencedEvent, run: () => ExecutionResult | Promise<ExecutionResult>): Promise<ExecutionResult> {
    const key = `${operation}:${event.seq}`;
    const kept = this.entries.get(key);
    if (kept && kept.eventId === event.id) {
      this.counts.shared += 1;
      return kept.result;
    }
    const inFlight = this.running.get(key);
    if (inFlight && inFlight.eventId === event.id) {
      const result = await inFlight.result.catch(() => null);
      if (result && !result.errors) {
        this.counts.shared += 1;
        return result;
      }
    }
    this.counts.executions += 1;
    const execution = Promise.resolve().then(run);
    const mine = !this.running.has(key) && this.running.size < this.maxEntries;
    if (mine) this.running.set(key, { eventId: event.id, result: execution });
    try {
      const result = await execution;
      if (!result.errors) this.keep(key, event.id, result);
      return result;
    } finally {
      if (mine) this.running.delete(key);
    }
  }

  private keep(key: string, eventId: string, result: ExecutionResult): void {
    const bytes = 2 * (key.length + eventId.length + JSON.stringify(result).length);
    if (bytes > this.maxBytes) return;
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.size -= previous.bytes;
    }
    this.entries.set(key, { eventId, result, bytes });
    this.size += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.size <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.size -= entry.bytes;
    }
  }
}

function isSequencedEvent(payload: unknown): payload is SequencedEvent {
  return (
    typeof payload === "object" &&
    payload !== null &&
    typeof (payload as SequencedEvent).seq === "number" &&
    typeof (payload as SequencedEvent).id === "string"
  );
}

/**
 * graphql-js's `subscribe` (createSourceEventStream, then each event executed with the event as
 * root value, as graphql-js maps them), with each event's execution looked up in `memo` under
 * `operation` (undefined: no sharing, as graphql-js). The returned iterator forwards return() and
 * throw() to the source stream, so completing or closing a subscription ends its LiveEventStream.
 */
export async function subscribeSharing(
  args: ExecutionArgs,
  memo: LiveResultMemo,
  operation: OperationKey | undefined,
): Promise<AsyncGenerator<ExecutionResult, void, void> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in (source as object))) return source as ExecutionResult;
  const iterator = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  const executeFor = (payload: unknown): Promise<ExecutionResult> => {
    const run = () => execute({ ...args, rootValue: payload });
    if (operation !== undefined && isSequencedEvent(payload)) return memo.resultFor(operation, payload, run);
    return Promise.resolve(run());
  };
  const mapped = async (step: IteratorResult<unknown>): Promise<IteratorResult<ExecutionResult, void>> => {
    if (step.done) return { value: undefined, done: true };
    try {
      return { value: await executeFor(step.value), done: false };
    } catch (error) {
      // As graphql-js's mapAsyncIterator: the source ends, the error goes to the consumer.
      if (typeof iterator.return === "function") {
        try {
          await iterator.return();
        } catch {
          // the error that matters is the one thrown below
        }
      }
      throw error;
    }
  };
  const generator: AsyncGenerator<ExecutionResult, void, void> = {
    async next() {
      return mapped(await iterator.next());
    },
    async return() {
      return typeof iterator.return === "function" ? mapped(await iterator.return()) : { value: undefined, done: true };
    },
    async throw(error?: unknown) {
      if (typeof iterator.throw === "function") return mapped(await iterator.throw(error));
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return generator;
}
