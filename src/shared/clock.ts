/**
 * The time the domain reads: when a delegated admin relationship is activated, when it ends, whether
 * it has expired or auto-extended (D-25), when an order or a request was made. One source, so a test
 * can move it forward (test/support/app.ts `startTestApp(env, { clock })`) instead of waiting: a
 * relationship of 30 days expires when the clock is moved 31 days on, with nothing rewritten in the
 * graph. Security time (token expiry, rate limits, the request budget) keeps the system clock.
 */
export interface Clock {
  /** Milliseconds since the epoch, as Date.now(). */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock a test moves by hand: `advance(days(31))`. */
export class ManualClock implements Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}

export const DAY_MS = 24 * 60 * 60 * 1000;

export function days(n: number): number {
  return n * DAY_MS;
}
