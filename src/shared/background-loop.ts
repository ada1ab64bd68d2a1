import { logger as defaultLogger, type Logger } from "./logger.js";

/** What a pass may answer: `again` asks for the next pass at once (a full batch that made progress). */
export type PassResult = { again?: boolean } | void;

export interface BackgroundLoopOptions {
  /** Names the loop in the log ("event sequencer", "webhooks", ...). */
  name: string;
  /** One pass of the work. It must not loop forever; a thrown error is a failed pass (logged once per run of failures). */
  pass: () => Promise<PassResult>;
  /** Between passes; null: no timer (only kicks run passes). */
  intervalMs: number | null;
  /** The first timed pass after start(): default intervalMs. */
  firstDelayMs?: number;
  /** The longest wait after failed passes: default max(intervalMs, 30 s). */
  maxBackoffMs?: number;
  /**
   * How long a kick() waits before its pass (default 0: at once). Every kick within that window,
   * and every kick while a pass runs, joins the same one pass: a loop kicked after each of 150
   * commits a second makes about 1000 / kickDelayMs passes a second, not 150 (issue 14).
   */
  kickDelayMs?: number;
  logger?: Logger;
}

/**
 * The one background loop of the API process (event sequencer, webhook dispatcher, expiry sweep):
 * - a pass every `intervalMs` (timers unref()'d: the loop never keeps the process alive);
 * - kick(): a pass now (or after `kickDelayMs`, kick(delayMs) for one kick); kicks while a pass runs
 *   or is scheduled coalesce into one more pass, which waits for the kick delay too;
 * - after a failed pass the timer waits twice as long per failure in a row (interval x 2^failures),
 *   up to `maxBackoffMs`, so an outage (Neo4j away) gets no retry storm; the first failure of a run
 *   of them is logged (warn), the recovery once (info); errors are never thrown out of the loop;
 * - a pass that answers `{ again: true }` is followed by another at once. A pass must answer it only
 *   when it made progress (wrote something): a full batch of work that can never be done must wait
 *   for the interval, never spin. A failed pass's `again` does not exist (it threw);
 * - exclusive(fn): runs fn (tests' runOnce/drain) when no pass runs, one at a time with the passes;
 *   its error goes to its caller, not to the backoff;
 * - stop(): no pass after it; it waits for the running pass (and queued exclusive work).
 */
export class BackgroundLoop {
  private readonly log: Logger;
  private timer: NodeJS.Timeout | undefined;
  /** When the scheduled timer fires (Date.now() based; only to decide whether a kick brings it forward). */
  private timerDue = 0;
  /** The tail of the one-at-a-time chain of passes and exclusive work. */
  private tail: Promise<unknown> = Promise.resolve();
  private passQueued = false;
  private kicked = false;
  /** The shortest delay the kicks during the running pass asked for. */
  private kickedDelayMs = Number.POSITIVE_INFINITY;
  private stopped = true;
  private failuresInRow = 0;
  /** The delay the loop last scheduled (0: at once); for tests and diagnostics. */
  lastDelayMs: number | null = null;
  /** Loop passes run so far (not exclusive work). */
  passes = 0;

  constructor(private readonly options: BackgroundLoopOptions) {
    this.log = options.logger ?? defaultLogger;
  }

  get running(): boolean {
    return !this.stopped;
  }

  /** Failed passes in a row (0: the last pass succeeded). */
  get failures(): number {
    return this.failuresInRow;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.failuresInRow = 0;
    const first = this.options.firstDelayMs ?? this.options.intervalMs;
    if (first !== null && first !== undefined) this.schedule(first);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    await this.tail.catch(() => undefined);
  }

  /**
   * A pass after `delayMs` (default the loop's kickDelayMs, 0: as soon as possible): one more after
   * the running one; several kicks in the meantime make one pass. A pass already scheduled no later
   * than the kick asks for is left as it is.
   */
  kick(delayMs: number = this.options.kickDelayMs ?? 0): void {
    if (this.stopped) return;
    if (this.passQueued) {
      this.kicked = true;
      this.kickedDelayMs = Math.min(this.kickedDelayMs, delayMs);
      return;
    }
    if (this.timer && this.timerDue <= Date.now() + delayMs) return; // a pass is already scheduled by then
    this.schedule(delayMs);
  }

  /** Runs fn after the running pass (and before the next), one at a time with the loop's passes. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.catch(() => undefined).then(fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** The wait before the next timed pass: the interval, doubled per failed pass in a row, at most maxBackoffMs. */
  nextDelayMs(): number | null {
    const interval = this.options.intervalMs;
    if (interval === null) return null;
    if (this.failuresInRow === 0) return interval;
    const cap = this.options.maxBackoffMs ?? Math.max(interval, 30_000);
    return Math.min(interval * 2 ** Math.min(this.failuresInRow, 20), Math.max(cap, interval));
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.clearTimer();
    this.lastDelayMs = delayMs;
    this.timerDue = Date.now() + delayMs;
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    if (this.stopped || this.passQueued) return;
    this.passQueued = true;
    this.kicked = false;
    this.kickedDelayMs = Number.POSITIVE_INFINITY;
    let again = false;
    await this.exclusive(async () => {
      if (this.stopped) return;
      this.passes += 1;
      try {
        const result = await this.options.pass();
        again = result?.again === true;
        if (this.failuresInRow > 0) this.log.info({ failures: this.failuresInRow }, `${this.options.name}: passes succeed again`);
        this.failuresInRow = 0;
      } catch (error) {
        this.failuresInRow += 1;
        if (this.failuresInRow === 1) this.log.warn({ err: error }, `${this.options.name}: pass failed (retrying with backoff)`);
      }
    });
    this.passQueued = false;
    if (this.stopped) return;
    if (again) {
      this.schedule(0);
      return;
    }
    if (this.kicked && this.failuresInRow === 0) {
      this.schedule(Number.isFinite(this.kickedDelayMs) ? this.kickedDelayMs : 0);
      return;
    }
    // Kicked while a failing pass ran: the kick is honoured by the next timed pass, after the backoff.
    this.kicked = false;
    const delay = this.nextDelayMs();
    if (delay !== null) this.schedule(delay);
  }
}
