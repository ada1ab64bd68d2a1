import neo4j from "neo4j-driver";
import { BackgroundLoop } from "../../shared/background-loop.js";
import { logger as defaultLogger, type Logger } from "../../shared/logger.js";
import type { Executor } from "../../shared/neo4j/executor.js";
import type { ChannelEventRecord } from "./channel-event.type.js";
import { LiveResultMemo } from "./live-results.js";
import type { EventSequencer, NumberedBatch } from "./sequencer.js";

/** A numbered event (the hub reads only those). */
export type SequencedEvent = ChannelEventRecord & { seq: number };

export interface HubOptions {
  /** How often the hub looks for events other processes numbered (this process's own wake it at once): default 200 ms. */
  pollMs?: number;
  /** Events per read: default 500. */
  batch?: number;
  /**
   * How long a hole in `seq` may last before it is taken for an event deleted since (tests' cleanup
   * does that) and skipped: default 5 s. `seq` is gap-free (notes, 14:50): a hole is a batch being
   * committed, read half-way, and fills within milliseconds.
   */
  gapSkipMs?: number;
  /** The longest wait between polls while Neo4j is away (the background loop's backoff): default 5 s. */
  maxBackoffMs?: number;
  logger?: Logger;
}

/** A hole in `seq` (a batch read half-way through its commit) is read again after this, not at once. */
const HOLE_RETRY_MS = 20;

/**
 * The live path's counters in this process (src/app/subscriptions.ts keeps them up to date; for
 * metrics and tests). Hung off the hub, the one live object of the process that tests reach.
 */
export class LiveGauge {
  /** WebSocket connections open (upgraded, not yet closed). */
  sockets = 0;
  /** Connections registered: connection_init accepted and not yet closed (the recheck walks them). */
  connections = 0;
  /** connection_init handlers still running (reading the viewer). */
  connecting = 0;
  /** Upgraded connections whose connection_init is not accepted yet, all addresses. */
  pending = 0;
  /** Subscribe messages started and not yet ended, all connections. */
  inFlightSubscribes = 0;
  /** The most subscribe messages in flight at once on one connection (since reset()). */
  maxInFlightPerConnection = 0;
  /** Subscribe messages refused by LIVE_MAX_SUBSCRIPTIONS (since reset()). */
  refusedSubscribes = 0;
  /** Messages sent on live connections, and the writes (turns of the event loop) they took (src/app/live-socket.ts). */
  readonly sends = { messages: 0, turns: 0 };

  reset(): void {
    this.maxInFlightPerConnection = 0;
    this.refusedSubscribes = 0;
  }
}

/** What the hub calls for each event a subscriber may see; must not throw. */
export interface HubListener {
  /** The organisation (CONCERNS, D-28, T-1). */
  readonly partnerId: string;
  /** The types delivered: what the user reads (D-28), narrowed by `types`; read at each event (a recheck may narrow it). */
  readonly types: ReadonlySet<string>;
  deliver(event: SequencedEvent): void;
}

/**
 * One per API process (src/modules/events/runtime.ts): follows the outbox in Neo4j in `seq` order
 * (events/since: an ordered seek of the channel_event_seq index) and fans each event out in memory
 * to the live subscriptions (D-29) of the organisations it concerns, for the types each reads. No
 * broker: every process reads the same numbered events, so a subscriber on any process receives
 * what any process wrote.
 *
 * The events this process's sequencer numbers are handed over after its commit (take, issue 14:
 * not read back from Neo4j) when nothing lies between them and what was delivered; otherwise its
 * kick (onSequenced) starts a read at once. Every `pollMs` a read looks for events other
 * processes numbered. Only contiguous `seq` are consumed (the numbers are
 * gap-free): a reader of `seq > n` that sees n+2 before n+1 re-reads, and skips the hole only once
 * it has lasted `gapSkipMs` (an event deleted later). With no subscriber it reads nothing at all
 * (no query while idle); the first subscription reads the head (events/since-head) to start from.
 *
 * `lastSeen` is the highest `seq` handed to every listener registered at the time: a listener that
 * registers when it is H receives every event after H from here, in order, and nothing up to H
 * (a resuming subscription replays those itself, LiveEventStream).
 */
export class EventHub {
  private readonly pollMs: number;
  private readonly batch: number;
  private readonly gapSkipMs: number;
  private readonly log: Logger;
  private readonly byPartner = new Map<string, Set<HubListener>>();
  private listenerCount = 0;
  private seen: number | null = null;
  private gapSince: number | null = null;
  private holeTimer: NodeJS.Timeout | undefined;
  private stopped = true;
  private unlisten: (() => void) | undefined;
  private headRead: Promise<void> | null = null;
  /** The polls (src/shared/background-loop.ts): kicks, the interval, backoff while Neo4j is away. */
  readonly loop: BackgroundLoop;
  /** The live path's counters (src/app/subscriptions.ts). */
  readonly gauge = new LiveGauge();
  /** Events delivered as this process's sequencer handed them over, not read back (tests, metrics). */
  handedOver = 0;
  /** Each event's execution of a subscription's selection, shared by the subscribers of the same operation (src/app/subscriptions.ts). */
  readonly results = new LiveResultMemo();

  constructor(
    private readonly executor: Executor,
    private readonly sequencer: EventSequencer,
    options: HubOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 200;
    this.batch = options.batch ?? 500;
    this.gapSkipMs = options.gapSkipMs ?? 5_000;
    this.log = options.logger ?? defaultLogger;
    this.loop = new BackgroundLoop({
      name: "event hub",
      intervalMs: this.pollMs,
      maxBackoffMs: options.maxBackoffMs ?? Math.max(this.pollMs, 5_000),
      logger: this.log,
      pass: () => this.pass(),
    });
  }

  /** The highest `seq` delivered to every registered listener; null until the first read of the head. */
  get lastSeen(): number | null {
    return this.seen;
  }

  /** Live listeners in this process (metrics, tests). */
  get size(): number {
    return this.listenerCount;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const unlisten = this.sequencer.onSequenced((lastSeq) => {
      // Handed over already (take): nothing to read.
      if (this.seen === null || this.seen < lastSeq) this.kick();
    });
    const unhand = this.sequencer.handOver({
      wantsEvents: () => !this.stopped && this.listenerCount > 0 && this.seen !== null,
      take: (batch) => this.take(batch),
    });
    this.unlisten = () => {
      unlisten();
      unhand();
    };
    this.loop.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unlisten?.();
    if (this.holeTimer) clearTimeout(this.holeTimer);
    this.holeTimer = undefined;
    await this.loop.stop();
  }

  /**
   * Resolves once the hub knows where the outbox stands, so that `register` has a position: at
   * once while it follows the outbox for listeners; otherwise (idle: no listener, nothing read)
   * after one read of the head (events/since-head), shared by the callers that wait for it.
   */
  ready(): Promise<void> {
    if (this.stopped) return Promise.reject(new Error("the event hub is not running"));
    if (this.listenerCount > 0 && this.seen !== null) return Promise.resolve();
    this.headRead ??= this.readHead().finally(() => {
      this.headRead = null;
    });
    return this.headRead;
  }

  private async readHead(): Promise<void> {
    const [{ head }] = await this.executor.forRequest({ operation: "events:hub" }).read<{ head: number }>("events/since-head");
    // A listener registered meanwhile has H = seen: the hub must not jump past it.
    if (this.listenerCount === 0 || this.seen === null) {
      this.seen = Math.max(this.seen ?? 0, head);
      this.gapSince = null;
    }
  }

  /**
   * Adds a listener (after `ready()`); returns H, the `seq` from which it receives events (every
   * event with `seq > H`), and the function that removes it. Synchronous, so no pass can run in
   * between: the listener misses nothing after H and gets nothing up to H.
   */
  register(listener: HubListener): { from: number; unregister: () => void } {
    if (this.seen === null) throw new Error("EventHub.register before ready()");
    let set = this.byPartner.get(listener.partnerId);
    if (!set) this.byPartner.set(listener.partnerId, (set = new Set()));
    set.add(listener);
    this.listenerCount += 1;
    let registered = true;
    return {
      from: this.seen,
      unregister: () => {
        if (!registered) return;
        registered = false;
        const current = this.byPartner.get(listener.partnerId);
        if (current?.delete(listener)) this.listenerCount -= 1;
        if (current?.size === 0) this.byPartner.delete(listener.partnerId);
      },
    };
  }

  /** A pass as soon as possible (one more after the running one, if one runs; kicks coalesce). */
  kick(): void {
    if (this.stopped) return;
    this.loop.kick();
  }

  /**
   * One poll (a pass of the background loop): reads what follows `seen` in batches while they come
   * full. A failure (Neo4j away) is the loop's: logged once per run of failures, the next poll after
   * its backoff (interval x 2 per failure, at most maxBackoffMs); a kick (this process numbered
   * events) still comes at once.
   */
  private async pass(): Promise<void> {
    // Idle (no listener): nothing is read; the next subscription reads the head first (ready()).
    if (this.seen === null || this.listenerCount === 0) return;
    const requests = this.executor.forRequest({ operation: "events:hub" });
    for (;;) {
      const after: number = this.seen;
      const rows = await requests.read<{ event: SequencedEvent; partnerIds: string[] }>("events/since", {
        after: neo4j.int(after),
        limit: neo4j.int(this.batch),
      });
      if (this.stopped) return;
      let holed = false;
      for (const { event, partnerIds } of rows) {
        // `seen` as it is now: this process's sequencer may have handed over some of these while
        // the read was under way (take); each event goes out once.
        const seen: number = this.seen;
        if (event.seq <= seen) continue;
        if (event.seq !== seen + 1) {
          const now = performance.now();
          this.gapSince ??= now;
          if (now - this.gapSince < this.gapSkipMs) {
            holed = true;
            break;
          }
          this.log.warn({ from: seen + 1, to: event.seq - 1 }, "event hub: skipping seq numbers missing for too long (events deleted)");
        }
        this.gapSince = null;
        this.seen = event.seq;
        this.fanOut(event, partnerIds);
      }
      // A hole: read again shortly (the batch is being committed), not in a tight loop.
      if (holed) {
        if (!this.holeTimer && !this.stopped) {
          this.holeTimer = setTimeout(() => {
            this.holeTimer = undefined;
            this.kick();
          }, Math.min(HOLE_RETRY_MS, this.pollMs));
          this.holeTimer.unref();
        }
        return;
      }
      if (rows.length < this.batch) return;
    }
  }

  /**
   * The events this process's sequencer just numbered and committed (issue 14: no read of them
   * back). Taken only when they follow `seen` with nothing between: then every event up to them
   * has been delivered (numbers are gap-free and the batch is contiguous, numbered under the
   * sequence lock). A batch further on (another process numbered events before it that the hub
   * has not read yet) is left to the pass the sequencer's kick starts, which reads all of them.
   */
  private take(batch: NumberedBatch): void {
    if (this.stopped || this.seen === null || this.listenerCount === 0) return;
    if (batch.first > this.seen + 1) return;
    for (const { event, partnerIds } of batch.events) {
      if (event.seq <= this.seen) continue;
      if (event.seq !== this.seen + 1) return;
      this.gapSince = null;
      this.seen = event.seq;
      this.handedOver += 1;
      this.fanOut(event, partnerIds);
    }
  }

  private fanOut(event: SequencedEvent, partnerIds: readonly string[]): void {
    for (const partnerId of partnerIds) {
      const listeners = this.byPartner.get(partnerId);
      if (!listeners) continue;
      for (const listener of listeners) {
        if (!listener.types.has(event.type)) continue;
        try {
          listener.deliver(event);
        } catch (error) {
          this.log.error({ err: error }, "event hub: a listener threw");
        }
      }
    }
  }
}

/** A page of a resuming subscription's replay (events/since-scoped). */
export interface ReplayPage {
  events: SequencedEvent[];
  /** The last `seq` the page looked at; null when nothing was left in the range. */
  scannedTo: number | null;
}

export interface LiveStreamOptions {
  hub: EventHub;
  partnerId: string;
  types: ReadonlySet<string>;
  /** Resume after this `seq` (a cursor); null: live from now. */
  after: number | null;
  /**
   * Events waiting for the client at most, live ones and replayed ones together (a page of the
   * replay is read only when the client pulls, and never holds more than the room left); past it,
   * onOverflow and the stream ends.
   */
  maxBuffered: number;
  /**
   * One replay page: events after `after`, up to `until`, of the organisation and `types` (the
   * stream's current ones), looking at no more than `room` events (what the buffer may still hold).
   */
  replay(after: number, until: number, types: ReadonlySet<string>, room: number): Promise<ReplayPage>;
  /** The pause before each further replay page read by one pull (a page with none of the organisation's events): default 0 (a yield). */
  replayPauseMs?: number;
  /** The client reads too slowly (called once, synchronously from the hub's fan-out). */
  onOverflow(buffered: number): void;
  /** Called once when the stream ends, however it ends (the client, the server, an overflow, `end`). */
  onFinish?(): void;
}

/**
 * The last item of a stream ended by the server (`LiveEventStream.end`): the subscription's
 * resolver turns it into its error (the client gets it in a `next` message, then `complete`).
 */
export class LiveStreamEnded {
  constructor(readonly error: Error) {}
}

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * One `channelEvents` subscription (D-29): an async iterator of events in `seq` order, without
 * gaps or repeats across the switch from replay to live.
 *
 * `start()` registers with the hub first (H: the hub delivers every event after H), so nothing
 * that commits while the replay runs is lost: the hub's events wait in a bounded buffer. Then, with
 * `after` below H, the replay reads the organisation's events in (after, H] from Neo4j page by page
 * as the client pulls them (events/since-scoped), then the buffer, then live. Every event is
 * delivered only if its `seq` is above the last one delivered (dedupe by seq), so an event is
 * never delivered twice. The iterator is a plain object, not an async generator: `return()` ends
 * it at once, even while it waits for the next event.
 *
 * A client that does not keep up (more than `maxBuffered` events waiting) is not buffered
 * further: the buffer is dropped, `onOverflow` closes the connection, and the client resumes with
 * the cursor of the last event it received.
 */
export class LiveEventStream implements AsyncIterableIterator<SequencedEvent | LiveStreamEnded> {
  private readonly queue: SequencedEvent[] = [];
  private replayed: SequencedEvent[] = [];
  private replayFrom = 0;
  private replayUntil = 0;
  private lastDelivered = 0;
  private closed = false;
  private waiting: ((result: IteratorResult<SequencedEvent | LiveStreamEnded, undefined>) => void) | null = null;
  private unregister: (() => void) | null = null;
  /** Set by `end`: handed out once by `next`, then the stream is done. */
  private ending: LiveStreamEnded | null = null;
  readonly partnerId: string;
  private typeSet: ReadonlySet<string>;

  constructor(private readonly options: LiveStreamOptions) {
    this.partnerId = options.partnerId;
    this.typeSet = options.types;
  }

  /** The types delivered (the hub reads them at each event). */
  get types(): ReadonlySet<string> {
    return this.typeSet;
  }

  /** After start(): how many `seq` the replay still has to cover (H - after; 0 when live from now). */
  get backlog(): number {
    return Math.max(0, this.replayUntil - this.replayFrom);
  }

  /** Whether the stream has ended (the client, the server, an overflow, `end`). */
  get ended(): boolean {
    return this.closed;
  }

  /**
   * A recheck found the user reads fewer types (D-28): from now on only `types` (a subset of the
   * current ones; never widened) are delivered, and events of the others waiting in the buffers
   * are dropped.
   */
  narrow(types: ReadonlySet<string>): void {
    if (this.closed) return;
    const kept = new Set([...this.typeSet].filter((type) => types.has(type)));
    if (kept.size === this.typeSet.size) return;
    this.typeSet = kept;
    const allowed = (event: SequencedEvent) => kept.has(event.type);
    this.replayed = this.replayed.filter(allowed);
    const queued = this.queue.filter(allowed);
    this.queue.length = 0;
    this.queue.push(...queued);
  }

  /**
   * Ends the stream from the server (a recheck: the user may read none of its types, T-6, D-4):
   * nothing more is delivered; the client's next (or pending) read gets `ended`, then done.
   */
  end(error: Error): void {
    if (this.closed) return;
    this.ending = new LiveStreamEnded(error);
    const waiting = this.waiting;
    this.waiting = null;
    this.finish();
    if (waiting) {
      const ending = this.ending;
      this.ending = null;
      waiting({ value: ending, done: false });
    }
  }

  /** Registers with the hub (after it is ready); from here on no event is missed. */
  async start(): Promise<this> {
    await this.options.hub.ready();
    if (this.closed) return this;
    const { from, unregister } = this.options.hub.register(this);
    this.unregister = unregister;
    const after = this.options.after;
    this.lastDelivered = after ?? from;
    this.replayFrom = after ?? from;
    this.replayUntil = after !== null && after < from ? from : this.replayFrom;
    return this;
  }

  /** From the hub: an event after H of this organisation and these types. */
  deliver(event: SequencedEvent): void {
    if (this.closed || event.seq <= this.lastDelivered) return;
    if (this.waiting && this.replayFrom >= this.replayUntil && this.replayed.length === 0 && this.queue.length === 0) {
      const resolve = this.waiting;
      this.waiting = null;
      this.lastDelivered = event.seq;
      resolve({ value: event, done: false });
      return;
    }
    this.queue.push(event);
    this.checkOverflow();
  }

  /** Live and replayed events waiting together beyond maxBuffered: the client is too slow. */
  private checkOverflow(): boolean {
    const buffered = this.queue.length + this.replayed.length;
    if (buffered <= this.options.maxBuffered) return false;
    this.finish();
    this.options.onOverflow(buffered);
    return true;
  }

  async next(): Promise<IteratorResult<SequencedEvent | LiveStreamEnded, undefined>> {
    let pages = 0;
    for (;;) {
      if (this.ending) {
        const ending = this.ending;
        this.ending = null;
        return { value: ending, done: false };
      }
      if (this.closed) return DONE;
      const replayedEvent = this.take(this.replayed);
      if (replayedEvent) return { value: replayedEvent, done: false };
      if (this.replayFrom < this.replayUntil) {
        // A page with nothing of this organisation's: the next one after a pause (a yield), never a tight loop of statements.
        if (pages > 0) {
          await new Promise((resolve) => setTimeout(resolve, this.options.replayPauseMs ?? 0));
          if (this.closed) continue;
        }
        pages += 1;
        const room = Math.max(1, this.options.maxBuffered - this.queue.length);
        const page = await this.options.replay(this.replayFrom, this.replayUntil, this.typeSet, room);
        if (this.closed) continue;
        this.replayFrom = page.scannedTo ?? this.replayUntil;
        // A narrow() while the page was read.
        this.replayed = page.events.filter((event) => this.typeSet.has(event.type));
        // Replayed events count against maxBuffered with the live ones waiting.
        this.checkOverflow();
        continue;
      }
      const live = this.take(this.queue);
      if (live) return { value: live, done: false };
      if (this.waiting) throw new Error("LiveEventStream: next() called while another next() waits");
      return new Promise((resolve) => {
        this.waiting = resolve;
      });
    }
  }

  async return(): Promise<IteratorResult<SequencedEvent | LiveStreamEnded, undefined>> {
    this.ending = null;
    this.finish();
    return DONE;
  }

  async throw(error?: unknown): Promise<IteratorResult<SequencedEvent | LiveStreamEnded, undefined>> {
    this.ending = null;
    this.finish();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The first event of `list` above the last delivered (older ones are dropped: dedupe by seq). */
  private take(list: SequencedEvent[]): SequencedEvent | null {
    while (list.length > 0) {
      const event = list.shift()!;
      if (event.seq > this.lastDelivered) {
        this.lastDelivered = event.seq;
        return event;
      }
    }
    return null;
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.replayed = [];
    this.unregister?.();
    this.unregister = null;
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.(DONE);
    try {
      this.options.onFinish?.();
    } catch {
      // A bookkeeping callback; nothing to do about it here.
    }
  }
}
