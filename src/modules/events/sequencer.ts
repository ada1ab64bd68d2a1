import neo4j from "neo4j-driver";
import { BackgroundLoop } from "../../shared/background-loop.js";
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
  private readonly batch: number;
  private readonly listeners = new Set<(lastSeq: number) => void>();
  /** The safety pass every `intervalMs`, the kicks after commits, the backoff after failed passes (twice the interval per failure in a row, up to 30 s). */
  private readonly loop: BackgroundLoop;
  private unlisten: (() => void) | undefined;

  constructor(
    private readonly executor: Executor,
    options: SequencerOptions = {},
  ) {
    const intervalMs = options.intervalMs === undefined ? 500 : options.intervalMs;
    this.batch = options.batch ?? 500;
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

  start(): void {
    if (this.loop.running) return;
    this.unlisten = this.executor.onEventsCommitted(() => this.kick());
    this.loop.start();
  }

  async stop(): Promise<void> {
    this.unlisten?.();
    this.unlisten = undefined;
    await this.loop.stop();
  }

  /** A pass as soon as possible (one more after the running one, if one runs). */
  kick(): void {
    this.loop.kick();
  }

  /**
   * Numbers every committed, unsequenced event (several batches if need be); resolves with the
   * highest `seq` given, or null when there was none to number. Tests call it to wait for their
   * events instead of sleeping. Runs after the loop's running pass, never beside it.
   */
  drain(): Promise<number | null> {
    return this.loop.exclusive(() => this.pass());
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
