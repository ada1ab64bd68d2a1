import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { EventSequencer, sequencerWindowMs } from "../../src/modules/events/sequencer.js";
import { recordAudit } from "../../src/shared/audit.js";
import { loadConfig } from "../../src/shared/config.js";
import { newId } from "../../src/shared/ids.js";
import { Executor } from "../../src/shared/neo4j/executor.js";
import { startTestApp, tokenGetter, uniqueTag, type TestApp } from "../support/app.js";
import { createChannel, type Channel } from "../support/fixtures.js";

let app: TestApp;
let channel: Channel;
const tokenOf = tokenGetter(() => app, () => channel.password);

beforeAll(async () => {
  app = await startTestApp();
  channel = await createChannel(app, uniqueTag());
});
afterAll(async () => {
  await channel?.remove();
  await app?.close();
});

interface EventRow {
  id: string;
  type: string;
  seq: number | null;
  unsequenced: boolean;
  concerns: string[];
}

async function eventsOf(subjectId: string): Promise<EventRow[]> {
  return app.cypher<EventRow>(
    `MATCH (e:ChannelEvent {subjectId: $subjectId})
     RETURN e.id AS id, e.type AS type, toInteger(e.seq) AS seq, e:UnsequencedEvent AS unsequenced,
            [(e)-[:CONCERNS]->(p) | p.id] AS concerns`,
    { subjectId },
  ).then((rows) => rows.map((row) => ({ ...row, seq: row.seq === null ? null : Number(row.seq), concerns: [...row.concerns].sort() })));
}

describe("the outbox (D-28)", () => {
  it("when a provider submits an order, then one ORDER_SUBMITTED event concerning the provider and the reseller is committed with it, and the sequencer numbers it", async () => {
    const offers = await app.cypher<{ id: string }>("MATCH (o:Offer {name: 'Microsoft 365 E3'}) RETURN o.id AS id");
    const result = await app.op<{ submitOrder: { order: { id: string } } }>(
      "SubmitOrder",
      { input: { customerId: channel.sharedCustomers[0].id, resellerId: channel.reseller.id, lineItems: [{ offerId: offers[0].id, quantity: 3 }] } },
      await tokenOf(channel.providerUsers.ga),
    );
    expect(result.errors).toBeUndefined();
    const orderId = result.data!.submitOrder.order.id;
    await app.events.sequencer.drain();
    const events = await eventsOf(orderId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "ORDER_SUBMITTED", unsequenced: false });
    expect(events[0].seq).toBeGreaterThan(0);
    expect(events[0].concerns).toEqual([channel.provider.id, channel.reseller.id].sort());
  });

  it("when a transaction writes its events and then fails, then no event of it exists and the sequencer is not told", async () => {
    const subjectId = newId("Order");
    let told = 0;
    const stop = app.executor.onEventsCommitted(() => (told += 1));
    try {
      await expect(
        app.executor.forRequest({ operation: "test" }).transaction("WRITE", async (tx) => {
          await recordAudit(tx, {
            operation: "test",
            viewer: null,
            partnerId: channel.provider.id,
            targetIds: [subjectId],
            events: [{ type: "ORDER_SUBMITTED", subjectId, summary: "never", partnerIds: [channel.provider.id] }],
          });
          throw new Error("the change fails after its event was written");
        }),
      ).rejects.toThrow("the change fails");
    } finally {
      stop();
    }
    expect(told).toBe(0);
    expect(await eventsOf(subjectId)).toEqual([]);
  });

  it("when 50 events commit one after another within the debounce window, then the sequencer numbers them in far fewer transactions than commits (one pass per window), and drain() numbers whatever is left", async () => {
    // A process of its own (its own executor and sequencer): every transaction it runs is counted.
    const executor = new Executor(app.executor.driver, { database: inject("neo4j").database, timeoutMs: 30_000 });
    let transactions = 0;
    executor.observe({ transactionEnded: () => void (transactions += 1) });
    // A window longer than the 50 commits take (no timing is asserted: only counts of work).
    const sequencer = new EventSequencer(executor, { intervalMs: null, debounceMs: 5_000 });
    sequencer.start();
    const subjects: string[] = [];
    try {
      for (let i = 0; i < 50; i += 1) {
        const subjectId = newId("Order");
        subjects.push(subjectId);
        await executor.forRequest({ operation: "test" }).transaction("WRITE", (tx) =>
          recordAudit(tx, {
            operation: "test",
            viewer: null,
            partnerId: channel.provider.id,
            targetIds: [subjectId],
            events: [{ type: "ORDER_SUBMITTED", subjectId, summary: "burst", partnerIds: [channel.provider.id] }],
          }),
        );
      }
      const writes = 50;
      const unnumbered = async () =>
        Number(
          (await app.cypher<{ n: number }>("MATCH (e:ChannelEvent) WHERE e.subjectId IN $subjects AND e.seq IS NULL RETURN count(e) AS n", { subjects }))[0].n,
        );
      // The passes the commits asked for (the app's own safety pass may number some too).
      await vi.waitFor(async () => {
        expect(sequencer.counts.passes).toBeGreaterThan(0);
        expect(await unnumbered()).toBe(0);
      }, { timeout: 30_000, interval: 100 });
      // One pass per debounce window, each straight to the lock (no count read after commits): the
      // code before issue 14's change ran a pass (a count read and a lock transaction) per commit
      // or two, 9 or more transactions during the 50 commits alone.
      expect(transactions - writes).toBeLessThanOrEqual(4);
      // drain() stays exact: nothing is left unnumbered after it, whatever the window.
      const subjectId = newId("Order");
      subjects.push(subjectId);
      await executor.forRequest({ operation: "test" }).transaction("WRITE", (tx) =>
        recordAudit(tx, { operation: "test", viewer: null, partnerId: channel.provider.id, targetIds: [subjectId], events: [{ type: "ORDER_SUBMITTED", subjectId, summary: "drained", partnerIds: [channel.provider.id] }] }),
      );
      await sequencer.drain();
      expect(await unnumbered()).toBe(0);
    } finally {
      await sequencer.stop();
    }
  });

  it("when commits keep coming, then the passes they ask for start EVENT_SEQUENCER_SPACING_MS apart; after a quiet spell a commit waits only the debounce window", async () => {
    // The window (src/modules/events/sequencer.ts): the debounce, and not before the spacing after the last pass began.
    expect(sequencerWindowMs(1_000, Number.NEGATIVE_INFINITY, 20, 250)).toBe(20);
    expect(sequencerWindowMs(1_000, 900, 20, 250)).toBe(150);
    expect(sequencerWindowMs(1_000, 500, 20, 250)).toBe(20);
    expect(sequencerWindowMs(1_000, 900, 20, 0)).toBe(20);

    const executor = new Executor(app.executor.driver, { database: inject("neo4j").database, timeoutMs: 30_000 });
    const spacingMs = 300;
    const sequencer = new EventSequencer(executor, { intervalMs: null, debounceMs: 1, spacingMs });
    sequencer.start();
    const subjects: string[] = [];
    const commit = async (summary: string) => {
      const subjectId = newId("Order");
      subjects.push(subjectId);
      await executor.forRequest({ operation: "test" }).transaction("WRITE", (tx) =>
        recordAudit(tx, { operation: "test", viewer: null, partnerId: channel.provider.id, targetIds: [subjectId], events: [{ type: "ORDER_SUBMITTED", subjectId, summary, partnerIds: [channel.provider.id] }] }),
      );
    };
    const unnumbered = async () =>
      Number((await app.cypher<{ n: number }>("MATCH (e:ChannelEvent) WHERE e.subjectId IN $subjects AND e.seq IS NULL RETURN count(e) AS n", { subjects }))[0].n);
    try {
      // Quiet: the first commit is numbered by the pass it asks for (the debounce, 1 ms), not held for the spacing.
      await commit("first");
      await vi.waitFor(async () => expect(await unnumbered()).toBe(0), { timeout: 30_000, interval: 50 });
      expect(sequencer.counts.passes).toBe(1);
      // Then 40 commits at least 10 ms apart: passes start at least 300 ms apart, however slow the
      // machine (a slower one only spaces them more). Only the count is asserted, against the time
      // the commits took: without the spacing, a 1 ms window makes a pass per commit or two.
      const started = performance.now();
      for (let i = 0; i < 40; i += 1) {
        await commit(`steady ${i}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await vi.waitFor(async () => expect(await unnumbered()).toBe(0), { timeout: 30_000, interval: 50 });
      const elapsed = performance.now() - started;
      const passes = sequencer.counts.passes - 1;
      expect(passes).toBeGreaterThan(0);
      expect(passes).toBeLessThanOrEqual(Math.ceil(elapsed / spacingMs) + 1);
    } finally {
      await sequencer.stop();
    }
  });

  it("when EVENT_SEQUENCER_DEBOUNCE_MS is not an integer from 0 to 1000 (EVENT_SEQUENCER_SPACING_MS from 0 to 5000), then the configuration is refused naming the variable; unset they are 20 and 250 ms, 0 turns each off", () => {
    expect(loadConfig({ ...process.env, EVENT_SEQUENCER_DEBOUNCE_MS: "" }).eventSequencerDebounceMs).toBe(20);
    expect(loadConfig({ ...process.env, EVENT_SEQUENCER_DEBOUNCE_MS: "0" }).eventSequencerDebounceMs).toBe(0);
    expect(loadConfig({ ...process.env, EVENT_SEQUENCER_DEBOUNCE_MS: "50" }).eventSequencerDebounceMs).toBe(50);
    for (const bad of ["-1", "1.5", "10ms", "1001", "off"]) {
      expect(() => loadConfig({ ...process.env, EVENT_SEQUENCER_DEBOUNCE_MS: bad })).toThrow(/^EVENT_SEQUENCER_DEBOUNCE_MS must be an integer from 0 .* to 1000 milliseconds, got "/);
    }
    expect(loadConfig({ ...process.env, EVENT_SEQUENCER_SPACING_MS: "" }).eventSequencerSpacingMs).toBe(250);
    expect(loadConfig({ ...process.env, EVENT_SEQUENCER_SPACING_MS: "0" }).eventSequencerSpacingMs).toBe(0);
    for (const bad of ["-1", "2.5", "5001", "off"]) {
      expect(() => loadConfig({ ...process.env, EVENT_SEQUENCER_SPACING_MS: bad })).toThrow(/^EVENT_SEQUENCER_SPACING_MS must be an integer from 0 .* to 5000 milliseconds, got "/);
    }
  });
});
