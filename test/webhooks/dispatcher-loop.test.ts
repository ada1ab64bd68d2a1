import { afterEach, describe, expect, it, vi } from "vitest";
import { KICK_COALESCE_MS, WebhookDispatcher, type DispatcherDeps } from "../../src/modules/webhooks/dispatcher.js";
import { ManualClock } from "../../src/shared/clock.js";
import { loadConfig } from "../../src/shared/config.js";
import type { Logger } from "../../src/shared/logger.js";

/**
 * The dispatcher's loop without a database (fake executors, fake timers; the assertions count
 * reads and transactions, never time):
 * - while Neo4j is away (issue 14 review): its polls back off (twice the interval per failed pass
 *   in a row, up to 30 s) instead of hitting the database every WEBHOOK_POLL_MS, and the outage is
 *   logged once;
 * - with no active webhook (issue 14): a pass is one read, and the sequencer's kicks after commits
 *   coalesce into one pass per KICK_COALESCE_MS.
 */

afterEach(() => {
  vi.useRealTimers();
});

describe("the webhook dispatcher during a Neo4j outage", () => {
  it("when every poll fails, then the polls come after 100, 200, 400, 800 ms (not every 100 ms), and one warning is logged", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    let reads = 0;
    const warn = vi.fn();
    const requests = {
      read: async () => {
        reads += 1;
        throw Object.assign(new Error("Neo4j away"), { code: "ServiceUnavailable" });
      },
    };
    const deps = {
      config: { production: false, webhooks: { delivery: true, pollMs: 100, concurrency: 4, timeoutMs: 10_000, maxPerOrganisation: 10 } },
      executor: { forRequest: () => requests },
      services: { clock: new ManualClock() },
      sequencer: { onSequenced: () => () => undefined },
      logger: { warn, info: vi.fn(), error: vi.fn(), debug: vi.fn() } as unknown as Logger,
    } as unknown as DispatcherDeps;
    const dispatcher = new WebhookDispatcher(deps);
    dispatcher.start();
    try {
      const seen: number[] = [];
      for (const step of [100, 200, 400, 800]) {
        await vi.advanceTimersByTimeAsync(step - 1);
        seen.push(reads);
        await vi.advanceTimersByTimeAsync(1);
      }
      seen.push(reads);
      // Before each step's end, no new poll; at its end, one.
      expect(seen).toEqual([0, 1, 2, 3, 4]);
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      await dispatcher.stop();
    }
  });
  it("when no webhook is active, then each pass is one read (fan-out-state): no transaction, no cursor lock, no due read, however far the cursor is behind", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const reads: string[] = [];
    let transactions = 0;
    let sequenced: (() => void) | undefined;
    const requests = {
      read: async (name: string) => {
        reads.push(name);
        return name === "webhooks/fan-out-state" ? [{ head: 1_000, lastSeq: 5, active: false }] : [];
      },
      transaction: async () => {
        transactions += 1;
        throw new Error("no transaction expected");
      },
    };
    const deps = {
      config: { production: false, webhooks: { delivery: true, pollMs: 1_000, concurrency: 4, timeoutMs: 10_000, maxPerOrganisation: 10, batch: 20 } },
      executor: { forRequest: () => requests },
      services: { clock: new ManualClock() },
      sequencer: { onSequenced: (listener: () => void) => ((sequenced = listener), () => undefined) },
      logger: { warn: vi.fn(), info: vi.fn(), error: vi.fn(), debug: vi.fn() } as unknown as Logger,
    } as unknown as DispatcherDeps;
    const dispatcher = new WebhookDispatcher(deps);
    dispatcher.start();
    try {
      // The sequencer numbers events after each of 150 commits in one second: passes coalesce (KICK_COALESCE_MS).
      for (let i = 0; i < 150; i++) {
        sequenced!();
        await vi.advanceTimersByTimeAsync(1_000 / 150);
      }
      await vi.advanceTimersByTimeAsync(KICK_COALESCE_MS);
      expect(transactions).toBe(0);
      expect(new Set(reads)).toEqual(new Set(["webhooks/fan-out-state"]));
      // One pass per coalescing window (and the poll), not one per kick.
      expect(reads.length).toBeGreaterThanOrEqual(1_000 / KICK_COALESCE_MS);
      expect(reads.length).toBeLessThanOrEqual(1_000 / KICK_COALESCE_MS + 3);
      expect(await dispatcher.runOnce()).toEqual({ tasks: 0, attempts: 0 });
      expect(transactions).toBe(0);
    } finally {
      await dispatcher.stop();
    }
  });
});

describe("WEBHOOK_BATCH (issue 14)", () => {
  it("when WEBHOOK_BATCH is unset, then a batch is 20; when it is 1 or 100, then that; when it is 0, 101, 2.5 or words, then the start stops naming the variable and its range", () => {
    const env = { NODE_ENV: "test", JWT_SECRET: "x".repeat(40) };
    expect(loadConfig(env).webhooks.batch).toBe(20);
    expect(loadConfig({ ...env, WEBHOOK_BATCH: "1" }).webhooks.batch).toBe(1);
    expect(loadConfig({ ...env, WEBHOOK_BATCH: " 100 " }).webhooks.batch).toBe(100);
    for (const bad of ["0", "101", "2.5", "twenty", "-3"]) {
      expect(() => loadConfig({ ...env, WEBHOOK_BATCH: bad })).toThrow(`WEBHOOK_BATCH must be an integer from 1 to 100 (attempts of one webhook per claim), got "${bad}"`);
    }
  });
});
