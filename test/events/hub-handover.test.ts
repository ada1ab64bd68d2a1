import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { EventHub, type HubListener, type SequencedEvent } from "../../src/modules/events/hub.js";
import { EventSequencer } from "../../src/modules/events/sequencer.js";
import { recordAudit } from "../../src/shared/audit.js";
import { newId } from "../../src/shared/ids.js";
import type { Executor, RequestExecutor } from "../../src/shared/neo4j/executor.js";
import { startTestApp, uniqueTag, type TestApp } from "../support/app.js";
import { createChannel, type Channel } from "../support/fixtures.js";

/**
 * The live hub takes the events its own process's sequencer numbers from that transaction, after
 * its commit, instead of reading them back (issue 14: the write bench's variant C read each batch
 * again, 0.1 reads of events/since per write). Other processes number events too (every test file
 * runs its own app on the shared database): a batch that does not follow what the hub delivered is
 * left to a read. Either way each event reaches a listener once, in `seq` order. Bounded by work
 * (events written, reads counted), never by time.
 */

let app: TestApp;
let channel: Channel;

beforeAll(async () => {
  app = await startTestApp();
  channel = await createChannel(app, uniqueTag());
});
afterAll(async () => {
  await channel?.remove();
  await app?.close();
});

const WAIT = { timeout: 15_000, interval: 25 };

/** One event concerning the channel's provider, committed as a mutation commits it (not numbered yet). */
async function commitEvent(): Promise<string> {
  const subjectId = newId("Order");
  await app.executor.forRequest({ operation: "test" }).transaction("WRITE", (tx) =>
    recordAudit(tx, {
      operation: "test",
      viewer: null,
      partnerId: channel.provider.id,
      targetIds: [subjectId],
      events: [{ type: "ORDER_SUBMITTED", subjectId, summary: "test ORDER_SUBMITTED", partnerIds: [channel.provider.id] }],
    }),
  );
  return subjectId;
}

function listener(into: SequencedEvent[]): HubListener {
  return { partnerId: channel.provider.id, types: new Set(["ORDER_SUBMITTED"]), deliver: (event) => void into.push(event) };
}

/** The app's executor, counting the hub's reads of events/since (the real executor underneath). */
function countingExecutor(reads: { since: number }): Executor {
  return {
    forRequest: (meta: Parameters<Executor["forRequest"]>[0]) => {
      const requests = app.executor.forRequest(meta);
      const read = requests.read.bind(requests) as RequestExecutor["read"];
      requests.read = ((name: string, ...rest: unknown[]) => {
        if (name === "events/since") reads.since += 1;
        return (read as (...args: unknown[]) => unknown)(name, ...rest);
      }) as RequestExecutor["read"];
      return requests;
    },
  } as unknown as Executor;
}

function expectOnceInOrder(received: SequencedEvent[], subjects: string[]): void {
  const ids = received.map((e) => e.id);
  expect(new Set(ids).size).toBe(ids.length);
  const seqs = received.map((e) => e.seq);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  expect(received.map((e) => e.subjectId).filter((s) => subjects.includes(s))).toEqual(subjects);
}

describe("the live hub and its process's sequencer (issue 14, D-29)", () => {
  it("when this process numbers events that follow what its hub delivered, then the hub delivers them from the sequencer's commit, without reading them back", async () => {
    // A hub that never polls (one hour: every read it makes is one a kick asked for) and a
    // sequencer of its own (numbering only when drained); the app's sequencer stopped meanwhile, so
    // that this file's commits are numbered by the drain that follows them (another file's
    // sequencer may still number one first).
    const reads = { since: 0 };
    const sequencer = new EventSequencer(app.executor, { intervalMs: null, debounceMs: 0 });
    const hub = new EventHub(countingExecutor(reads), sequencer, { pollMs: 3_600_000 });
    hub.start();
    await app.events.sequencer.stop();
    const received: SequencedEvent[] = [];
    try {
      await hub.ready();
      const { unregister } = hub.register(listener(received));
      const subjects: string[] = [];
      // Until 5 events were handed over, at most 50 written.
      for (let i = 0; i < 50 && hub.handedOver < 5; i++) {
        const readsBefore = reads.since;
        const takenBefore = hub.handedOver;
        subjects.push(await commitEvent());
        // Another file's sequencer numbered it first (null): the hub finds it by a read, as its poll would.
        if ((await sequencer.drain()) === null) hub.kick();
        await vi.waitFor(() => expect(received.filter((e) => e.subjectId === subjects.at(-1)).length).toBe(1), WAIT);
        // Taken from the drain's commit: the hub read nothing for it, not even an empty read (the
        // hub never polls here: every read is one a kick asked for).
        if (hub.handedOver > takenBefore) expect(reads.since).toBe(readsBefore);
      }
      unregister();
      expect(hub.handedOver).toBeGreaterThanOrEqual(5);
      expectOnceInOrder(received, subjects);
    } finally {
      app.events.sequencer.start();
      await hub.stop();
    }
  });

  it("when the hub has no listener, then the sequencer asks its statement for no events, and the hub takes and reads none", async () => {
    const reads = { since: 0 };
    const sequencer = new EventSequencer(app.executor, { intervalMs: null, debounceMs: 0 });
    const asked: boolean[] = [];
    const handOver = sequencer.handOver.bind(sequencer);
    sequencer.handOver = (taker) =>
      handOver({ wantsEvents: () => (asked.push(taker.wantsEvents()), asked.at(-1)!), take: (batch) => taker.take(batch) });
    const hub = new EventHub(countingExecutor(reads), sequencer, { pollMs: 3_600_000 });
    hub.start();
    try {
      await commitEvent();
      await sequencer.drain();
      expect(asked.length).toBeGreaterThan(0);
      expect(asked.every((wants) => wants === false)).toBe(true);
      expect(hub.handedOver).toBe(0);
      expect(reads.since).toBe(0);
    } finally {
      await hub.stop();
    }
  });

  it("when the hub's own reads run beside its process's hand-overs (a poll every 20 ms), then every event reaches the listener once, in seq order", async () => {
    const sequencer = new EventSequencer(app.executor, { intervalMs: null, debounceMs: 0 });
    const hub = new EventHub(app.executor, sequencer, { pollMs: 20 });
    hub.start();
    const received: SequencedEvent[] = [];
    try {
      await hub.ready();
      const { unregister } = hub.register(listener(received));
      const subjects: string[] = [];
      for (let round = 0; round < 10; round++) {
        // Three commits, then one drain: a batch of three (and whatever else committed).
        for (let i = 0; i < 3; i++) subjects.push(await commitEvent());
        void sequencer.drain();
      }
      await sequencer.drain();
      await vi.waitFor(() => expect(received.filter((e) => subjects.includes(e.subjectId)).length).toBeGreaterThanOrEqual(subjects.length), WAIT);
      unregister();
      expectOnceInOrder(received, subjects);
    } finally {
      await hub.stop();
    }
  });
});
