import { afterEach, describe, expect, it, vi } from "vitest";
import { WebhookDispatcher, type DispatcherDeps } from "../../src/modules/webhooks/dispatcher.js";
import { ManualClock } from "../../src/shared/clock.js";
import type { Logger } from "../../src/shared/logger.js";

/**
 * The dispatcher's loop while Neo4j is away (issue 14 review): its polls back off (twice the
 * interval per failed pass in a row, up to 30 s) instead of hitting the database every
 * WEBHOOK_POLL_MS, and the outage is logged once. No database: an executor whose every read fails;
 * fake timers; the assertions count reads, never time.
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
});
