import neo4j from "neo4j-driver";
import { logger as defaultLogger, type Logger } from "../../shared/logger.js";
import type { Executor } from "../../shared/neo4j/executor.js";

export interface SequencerOptions {
  /** The safety pass, for events another process committed and did not sequence (it stopped): default 500 ms; null: none (only the passes commits trigger). */
  intervalMs?: number | null;
  /** Events per sequencing transaction: default 500. */
  batch?: number;
  logger?: Logger;
}

/**
 * Gives committed channel events their `seq` (D-29, migrations/0012). A change's transaction only
 * creates its event (label UnsequencedEvent, audit/record): numbering it there would make every
 * event-writing transaction wait for one lock. Here, one short transaction per pass takes the
 * EventSequence node's lock, then numbers what has committed, in one batch. So `seq` order is the
 * order events became visible to readers, and a reader of `seq > n` never misses an event that
 * committed late: the guarantee the live subscriptions' `after` and the webhook fan-out rest on.
 *
 * A pass runs right after this process commits events (Executor.onEventsCommitted), and every
 * `intervalMs` for events of processes that stopped before sequencing theirs. Passes of several
 * processes serialize on the lock; one finding nothing to number costs one count-store read.
 */
export class EventSequencer {
  private readonly intervalMs: number | null;
  private readonly batch: number;
  private readonly log: Logger;
  private readonly listeners = new Set<(lastSeq: number) => void>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private unlisten: (() => void) | undefined;
  private failures = 0;

  constructor(
    private readonly executor: Executor,
    options: SequencerOptions = {},
  ) {
    this.intervalMs = options.intervalMs === undefined ? 500 : options.intervalMs;
    this.batch = options.batch ?? 500;
    this.log = options.logger ?? defaultLogger;
  }

  /** Called with the highest `seq` after every pass that numbered events (listeners must not throw). */
  onSequenced(listener: (lastSeq: number) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unlisten = this.executor.onEventsCommitted(() => this.kick());
    this.scheduleNext();
  }

  /** The next safety pass: the interval, doubled after each failed pass in a row (Neo4j away), at most 30 s. */
  private scheduleNext(): void {
    if (this.intervalMs === null) return;
    this.schedule(Math.min(this.intervalMs * 2 ** Math.min(this.failures, 10), Math.max(this.intervalMs, 30_000)));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unlisten?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** A pass as soon as possible (one more after the running one, if one runs). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.again = false;
    this.schedule(0);
  }

  /**
   * Numbers every committed, unsequenced event (several batches if need be); resolves with the
   * highest `seq` given, or null when there was none to number. Tests call it to wait for their
   * events instead of sleeping.
   */
  async drain(): Promise<number | null> {
    while (this.running) await this.running.catch(() => undefined);
    let last: number | null = null;
    const pass = this.pass().then((seq) => {
      last = seq;
    });
    this.running = pass;
    try {
      await pass;
    } finally {
      this.running = null;
      if (this.again) this.kick();
    }
    return last;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    if (this.stopped) return;
    if (this.running) {
      // drain() is running a pass: this one comes after it.
      this.again = true;
      return;
    }
    this.again = false;
    const pass = this.pass().then(
      () => {
        this.failures = 0;
      },
      (error: unknown) => {
        this.failures += 1;
        // Neo4j away: log the first failure of a run of them, then keep trying at the interval.
        if (this.failures === 1) this.log.warn({ err: error }, "event sequencer: pass failed");
      },
    );
    this.running = pass;
    await pass;
    this.running = null;
    if (this.again && this.failures === 0) this.schedule(0);
    else this.scheduleNext();
  }

  private async pass(): Promise<number | null> {
    const requests = this.executor.forRequest({ operation: "events:sequence" });
    const [{ waiting }] = await requests.read<{ waiting: number }>("events/unsequenced-count");
    if (waiting === 0) return null;
    let last: number | null = null;
    for (;;) {
      const row = await requests.transaction("WRITE", async (tx) => {
        await tx.run("events/sequence-lock");
        const [numbered] = await tx.run<{ sequenced: number; last: number }>("events/sequence-batch", { batch: neo4j.int(this.batch) });
        return numbered ?? null;
      });
      if (!row) break;
      last = row.last;
      if (row.sequenced < this.batch) break;
    }
    if (last !== null) for (const listener of this.listeners) listener(last);
    return last;
  }
}
