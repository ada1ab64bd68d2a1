import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit } from "../../src/shared/audit.js";
import { newId } from "../../src/shared/ids.js";
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
});
