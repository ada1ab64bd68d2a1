import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BackgroundLoop, type PassResult } from "../../src/shared/background-loop.js";
import type { Logger } from "../../src/shared/logger.js";

/**
 * The one background loop (src/shared/background-loop.ts) with fake passes and fake timers: the
 * assertions are on counts and orders of passes and on the delays the loop chose, never on time
 * measured.
 */

function fakeLogger() {
  const warn = vi.fn();
  const info = vi.fn();
  return { logger: { warn, info, error: vi.fn(), debug: vi.fn() } as unknown as Logger, warn, info };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

let loops: BackgroundLoop[] = [];
function loop(options: ConstructorParameters<typeof BackgroundLoop>[0]): BackgroundLoop {
  const made = new BackgroundLoop(options);
  loops.push(made);
  return made;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(async () => {
  for (const made of loops.splice(0)) await made.stop();
  vi.useRealTimers();
});

describe("BackgroundLoop", () => {
  it("when kicked many times while a pass runs, then exactly one more pass follows, and then the loop waits for its interval", async () => {
    let gate = deferred();
    let passes = 0;
    const { logger } = fakeLogger();
    const l = loop({ name: "t", intervalMs: 10_000, logger, pass: async () => { passes += 1; await gate.promise; } });
    l.start();
    l.kick();
    l.kick();
    await vi.advanceTimersByTimeAsync(1);
    expect(passes).toBe(1);
    for (let i = 0; i < 5; i++) l.kick();
    const first = gate;
    gate = deferred();
    first.resolve();
    await vi.advanceTimersByTimeAsync(1);
    expect(passes).toBe(2);
    gate.resolve();
    await vi.advanceTimersByTimeAsync(1);
    expect(passes).toBe(2);
    expect(l.lastDelayMs).toBe(10_000);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(passes).toBe(3);
  });

  it("when passes fail in a row, then the wait doubles per failure up to the cap, the first failure alone is logged, and a success brings the interval back", async () => {
    let failing = true;
    let passes = 0;
    const { logger, warn, info } = fakeLogger();
    const l = loop({
      name: "t",
      intervalMs: 10,
      maxBackoffMs: 80,
      logger,
      pass: async () => {
        passes += 1;
        if (failing) throw new Error("Neo4j away");
      },
    });
    l.start();
    const delays: (number | null)[] = [];
    for (let i = 0; i < 5; i++) {
      const before = passes;
      await vi.advanceTimersByTimeAsync(l.lastDelayMs!);
      expect(passes).toBe(before + 1);
      delays.push(l.lastDelayMs);
    }
    expect(delays).toEqual([20, 40, 80, 80, 80]);
    expect(l.failures).toBe(5);
    expect(warn).toHaveBeenCalledTimes(1);
    failing = false;
    await vi.advanceTimersByTimeAsync(80);
    expect(l.failures).toBe(0);
    expect(l.lastDelayMs).toBe(10);
    expect(info).toHaveBeenCalledTimes(1);
    failing = true;
    await vi.advanceTimersByTimeAsync(10);
    expect(warn).toHaveBeenCalledTimes(2); // a new run of failures is logged again
  });

  it("when stop() is called while a pass runs, then it resolves only after that pass ends, and no pass starts after it", async () => {
    const gate = deferred();
    const order: string[] = [];
    let passes = 0;
    const l = loop({
      name: "t",
      intervalMs: 5,
      logger: fakeLogger().logger,
      pass: async () => {
        passes += 1;
        order.push("pass started");
        await gate.promise;
        order.push("pass ended");
      },
    });
    l.start();
    await vi.advanceTimersByTimeAsync(5);
    expect(passes).toBe(1);
    const stopped = l.stop().then(() => order.push("stopped"));
    l.kick();
    await vi.advanceTimersByTimeAsync(1);
    expect(order).toEqual(["pass started"]);
    gate.resolve();
    await stopped;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(order).toEqual(["pass started", "pass ended", "stopped"]);
    expect(passes).toBe(1);
  });

  it("when a pass answers again (a full batch with progress), then the next comes at once; when it answers no progress, then the loop waits for the interval (no spin)", async () => {
    const answers: PassResult[] = [{ again: true }, { again: true }, { again: false }, { again: false }];
    let passes = 0;
    const l = loop({ name: "t", intervalMs: 1_000, logger: fakeLogger().logger, pass: async () => answers[passes++] ?? undefined });
    l.start();
    // "At once" is a 0 ms timer, which Node (and the fake timers) run after 1 ms.
    await vi.advanceTimersByTimeAsync(1_000);
    await vi.advanceTimersByTimeAsync(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(passes).toBe(3);
    expect(l.lastDelayMs).toBe(1_000);
    await vi.advanceTimersByTimeAsync(999);
    expect(passes).toBe(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(passes).toBe(4);
  });

  it("when exclusive work is asked for while a pass runs, then it runs after that pass and before the next, one at a time", async () => {
    const gate = deferred();
    const order: string[] = [];
    const l = loop({
      name: "t",
      intervalMs: 1_000,
      logger: fakeLogger().logger,
      pass: async () => {
        order.push("pass");
        await gate.promise;
        order.push("pass end");
      },
    });
    l.start();
    l.kick();
    await vi.advanceTimersByTimeAsync(1);
    const a = l.exclusive(async () => void order.push("a"));
    const b = l.exclusive(async () => {
      order.push("b");
      throw new Error("b failed");
    });
    gate.resolve();
    await a;
    await expect(b).rejects.toThrow("b failed");
    expect(order).toEqual(["pass", "pass end", "a", "b"]);
    expect(l.failures).toBe(0); // exclusive work's errors are its caller's, not the loop's backoff
  });

  it("when the interval is null, then only kicks run passes", async () => {
    let passes = 0;
    const l = loop({ name: "t", intervalMs: null, logger: fakeLogger().logger, pass: async () => void (passes += 1) });
    l.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(passes).toBe(0);
    l.kick();
    await vi.advanceTimersByTimeAsync(1);
    expect(passes).toBe(1);
  });
  it("when kicked 150 times over one second with kickDelayMs 100, then about ten passes run (one per window), not 150, and each comes 100 ms after the window's first kick", async () => {
    let passes = 0;
    const l = loop({ name: "t", intervalMs: 60_000, kickDelayMs: 100, logger: fakeLogger().logger, pass: async () => void (passes += 1) });
    l.start();
    l.kick();
    await vi.advanceTimersByTimeAsync(99);
    expect(passes).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(passes).toBe(1);
    // 150 commits a second, each kicking the loop.
    for (let i = 0; i < 150; i++) {
      l.kick();
      await vi.advanceTimersByTimeAsync(1_000 / 150);
    }
    await vi.advanceTimersByTimeAsync(100);
    expect(passes).toBeGreaterThanOrEqual(10);
    expect(passes).toBeLessThanOrEqual(12);
  });

  it("when kicked with a delay while a pass runs, then one more pass follows after that delay; a kick asking for less (kick(0)) brings a delayed pass forward", async () => {
    let gate = deferred();
    let passes = 0;
    const l = loop({ name: "t", intervalMs: 60_000, kickDelayMs: 100, logger: fakeLogger().logger, pass: async () => { passes += 1; await gate.promise; } });
    l.start();
    l.kick(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(passes).toBe(1);
    l.kick();
    l.kick();
    const first = gate;
    gate = deferred();
    first.resolve();
    await vi.advanceTimersByTimeAsync(1);
    expect(l.lastDelayMs).toBe(100);
    await vi.advanceTimersByTimeAsync(98);
    expect(passes).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(passes).toBe(2);
    gate.resolve();
    await vi.advanceTimersByTimeAsync(1);
    l.kick();
    await vi.advanceTimersByTimeAsync(10);
    expect(passes).toBe(2);
    l.kick(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(passes).toBe(3);
  });

  it("when no kickDelayMs is given, then a kick runs its pass at once (as before)", async () => {
    let passes = 0;
    const l = loop({ name: "t", intervalMs: 60_000, logger: fakeLogger().logger, pass: async () => void (passes += 1) });
    l.start();
    l.kick();
    await vi.advanceTimersByTimeAsync(1);
    expect(passes).toBe(1);
    expect(l.lastDelayMs).toBe(60_000);
  });
});
