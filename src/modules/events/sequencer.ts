import neo4j from "neo4j-driver";
import { BackgroundLoop } from "../../shared/background-loop.js";
import { DEFAULT_SEQUENCER_DEBOUNCE_MS, DEFAULT_SEQUENCER_SPACING_MS } from "../../shared/config.js";
import { logger as defaultLogger, type Logger } from "../../shared/logger.js";
import type { Executor } from "../../shared/neo4j/executor.js";
import type { SequencedEvent } from "./hub.js";

export interface SequencerOptions {
  /** The safety pass, for events another process committed and did not sequence (it stopped): default 500 ms; null: none (only the passes commits trigger). */
  intervalMs?: number | null;
  /**
   * EVENT_SEQUENCER_DEBOUNCE_MS: how long the pass a commit asks for waits for further commits
   * (default 20 ms; 0: none, a pass at once, and no spacing). Commits within the window make one pass.
   */
  debounceMs?: number;
  /**
   * EVENT_SEQUENCER_SPACING_MS: the least time from the start of one pass to the start of the next
   * pass a commit asks for (default 250 ms; 0: none). Under load passes are this far apart, each
   * numbering what committed meanwhile; after a quiet spell a commit waits only `debounceMs`.
   */
  spacingMs?: number;
  /** Events per sequencing transaction: default 500. */
  batch?: number;
  logger?: Logger;
}

/**
 * The events one sequencing transaction of this process numbered, `first`..`last` (gap-free: the
 * sequence lock is held), handed over after its commit (EventSequencer#handOver), each with the
 * organisations it concerns, in `seq` order: what events/since would read back.
 */
export interface NumberedBatch {
  first: number;
  last: number;
  events: { event: SequencedEvent; partnerIds: string[] }[];
}

/** The one taker of the numbered events (the live hub, src/modules/events/hub.ts). */
export interface BatchTaker {
  /** Whether the next transaction should return its events (read at the start of each). */
  wantsEvents(): boolean;
  /** After the commit, in order; must not throw. */
  take(batch: NumberedBatch): void;
}


/**
 * How long the window a commit opens lasts: `debounceMs`, and at least until `spacingMs` after the
 * start of the last pass. So a commit after a quiet spell is numbered `debounceMs` later, and under
 * load passes start `spacingMs` apart (each pass is a write transaction and wakes the hub and the
 * webhook fan-out: fewer, larger passes cost the writes less, issue 14).
 */
export function sequencerWindowMs(now: number, lastPassStartedAt: number, debounceMs: number, spacingMs: number): number {
  return Math.max(debounceMs, lastPassStartedAt + spacingMs - now);
}

/**
 * Gives committed channel events their `seq` (D-29, migrations/0012). A change's transaction only
 * creates its event (label UnsequencedEvent, audit/record): numbering it there would make every
 * event-writing transaction wait for one lock. Here, one short transaction per pass takes the
 * EventSequence node's lock, then numbers what has committed, in one batch. So `seq` order is the
 * order events became visible to readers, and a reader of `seq > n` never misses an event that
 * committed late: the guarantee the live subscriptions' `after` and the webhook fan-out rest on.
 *
 * A pass runs `debounceMs` after this process commits events (Executor.onEventsCommitted; the
 * commits of that window coalesce into that one pass: at 150 commits/s one pass numbers several
 * events, issue 14), and every `intervalMs` for events of processes that stopped before
 * sequencing theirs. Passes of several processes serialize on the lock. A pass that follows
 * commits of this process goes straight to the lock (they are committed: there is something to
 * number, or another process numbered it, and the batch is empty); the safety pass first reads
 * the count store (events/unsequenced-count) and takes no lock when nothing waits.
 */
export class EventSequencer {
  private readonly batch: number;
  private readonly debounceMs: number;
  private readonly spacingMs: number;
  /** performance.now() at the start of the last pass (of any kind). */
  private lastPassStartedAt = Number.NEGATIVE_INFINITY;
  private readonly listeners = new Set<(lastSeq: number) => void>();
  private taker: BatchTaker | null = null;
  /** The safety pass every `intervalMs`, the kicks after commits, the backoff after failed passes (twice the interval per failure in a row, up to 30 s). */
  private readonly loop: BackgroundLoop;
  private unlisten: (() => void) | undefined;
  /** The debounce window's timer: set by the first commit of a window, fires one kick. */
  private debounce: NodeJS.Timeout | undefined;
  /** Commits of this process since the last pass began (each committed before it: that pass's lock sees their events). */
  private commitsWaiting = 0;
  /** A pass runs; a window that ends meanwhile opens another when it is done. */
  private passing = false;
  private windowAfterPass = false;
  /** Transactions the passes ran (reads and writes), and the passes: for metrics and tests. */
  readonly counts = { passes: 0, transactions: 0 };

  constructor(
    private readonly executor: Executor,
    options: SequencerOptions = {},
  ) {
    const intervalMs = options.intervalMs === undefined ? 500 : options.intervalMs;
    this.batch = options.batch ?? 500;
    this.debounceMs = options.debounceMs ?? DEFAULT_SEQUENCER_DEBOUNCE_MS;
    this.spacingMs = options.spacingMs ?? DEFAULT_SEQUENCER_SPACING_MS;
    this.loop = new BackgroundLoop({
      name: "event sequencer",
      intervalMs,
      logger: options.logger ?? defaultLogger,
      pass: async () => {
        await this.pass();
      },
    });
  }

  /** Called with the highest `seq` after every pass that numbered events (listeners must not throw). */
  onSequenced(listener: (lastSeq: number) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /**
   * Hands each batch this process numbers, with its events, to `taker` after the commit (issue 14:
   * the live hub delivers them without reading them back from Neo4j). One taker; returns the
   * function that removes it.
   */
  handOver(taker: BatchTaker): () => void {
    this.taker = taker;
    return () => {
      if (this.taker === taker) this.taker = null;
    };
  }

  start(): void {
    if (this.loop.running) return;
    this.unlisten = this.executor.onEventsCommitted(() => this.committed());
    this.loop.start();
  }

  async stop(): Promise<void> {
    this.unlisten?.();
    this.unlisten = undefined;
    this.clearDebounce();
    await this.loop.stop();
  }

  /** A pass as soon as possible (one more after the running one, if one runs). */
  kick(): void {
    this.loop.kick();
  }

  /**
   * This process committed events: a pass at the end of the window the first commit of a window
   * opens (sequencerWindowMs: `debounceMs`, and not before `spacingMs` after the last pass began). A
   * window that ends while a pass runs opens a new one when that pass is done, so under load passes
   * start `spacingMs` apart, each numbering what committed meanwhile, instead of running back to
   * back with one or two events each.
   */
  private committed(): void {
    this.commitsWaiting += 1;
    if (this.debounceMs <= 0) return this.kick();
    this.openWindow();
  }

  private openWindow(): void {
    if (this.debounce || !this.loop.running) return;
    this.debounce = setTimeout(
      () => {
        this.debounce = undefined;
        if (this.passing) this.windowAfterPass = true;
        else this.kick();
      },
      sequencerWindowMs(performance.now(), this.lastPassStartedAt, this.debounceMs, this.spacingMs),
    );
    this.debounce.unref();
  }

  private clearDebounce(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = undefined;
  }

  /**
   * Numbers every committed, unsequenced event (several batches if need be); resolves with the
   * highest `seq` given, or null when there was none to number. Tests call it to wait for their
   * events instead of sleeping. Runs after the loop's running pass, never beside it; it does not
   * wait for the debounce window (a pass it makes unneeded finds nothing: one count-store read).
   */
  drain(): Promise<number | null> {
    return this.loop.exclusive(() => this.pass());
  }

  private async pass(): Promise<number | null> {
    this.passing = true;
    try {
      return await this.numberCommitted();
    } finally {
      this.passing = false;
      if (this.windowAfterPass) {
        this.windowAfterPass = false;
        // Commits that came during the pass and were not numbered by it: their window starts now.
        if (this.commitsWaiting > 0) this.openWindow();
      }
    }
  }

  private async numberCommitted(): Promise<number | null> {
    this.counts.passes += 1;
    this.lastPassStartedAt = performance.now();
    const afterCommits = this.commitsWaiting > 0;
    this.commitsWaiting = 0;
    // Every commit so far is covered by this pass (its lock comes after them): their window is moot.
    this.clearDebounce();
    const requests = this.executor.forRequest({ operation: "events:sequence" });
    if (!afterCommits) {
      this.counts.transactions += 1;
      const [{ waiting }] = await requests.read<{ waiting: number }>("events/unsequenced-count");
      if (waiting === 0) return null;
    }
    let last: number | null = null;
    for (;;) {
      this.counts.transactions += 1;
      const taker = this.taker;
      const withEvents = taker?.wantsEvents() ?? false;
      const row = await requests.transaction("WRITE", async (tx) => {
        await tx.run("events/sequence-lock");
        const [numbered] = await tx.run<{ first: number; sequenced: number; last: number; events: NumberedBatch["events"] }>("events/sequence-batch", {
          batch: neo4j.int(this.batch),
          withEvents,
        });
        return numbered ?? null;
      });
      if (!row || row.sequenced === 0) break;
      last = row.last;
      // Committed: the taker may hand them on (the events of a transaction that rolled back never get here).
      if (withEvents && taker && row.events.length === row.sequenced) taker.take({ first: row.first, last: row.last, events: row.events });
      if (row.sequenced < this.batch) break;
    }
    if (last !== null) for (const listener of this.listeners) listener(last);
    return last;
  }
}
