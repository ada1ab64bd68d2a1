import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { DelegatedAdminExpirySweep } from "../../src/modules/events/expiry-sweep.js";
import { days, ManualClock } from "../../src/shared/clock.js";
import { startTestApp, tokenGetter, uniqueTag, type GqlResult, type TestApp } from "../support/app.js";
import { createChannel, type Channel } from "../support/fixtures.js";

/**
 * DELEGATED_ADMIN_EXPIRING and DELEGATED_ADMIN_EXPIRED (D-28, D-25, issue 14): a relationship's
 * expiry is computed when read, so the expiry sweep writes their events. The domain's clock is moved
 * by hand (ManualClock) and the sweep run by hand (`runOnce`, no timer in tests), confined to this
 * file's reseller (the test database is shared: a pass at a moved clock must not touch other data).
 */

const clock = new ManualClock();
let app: TestApp;
let app2: TestApp;
let ch: Channel;
const tag = uniqueTag();
const tokenOf = tokenGetter(() => app, () => ch.password);

beforeAll(async () => {
  // Two API processes' runtimes on the same database and clock (each with its own driver and sweep).
  app = await startTestApp({}, { clock });
  app2 = await startTestApp({}, { clock });
  ch = await createChannel(app, tag, { customers: 3 });
}, 60_000);
afterAll(async () => {
  await ch?.remove();
  await app2?.close();
  await app?.close();
});
afterEach(() => clock.reset());

interface RequestPayload {
  requestDelegatedAdmin: { request: { id: string }; relationship: { id: string; status: string }; link: string };
}

function ok<T>(result: GqlResult<T>, step: string): T {
  expect(result.errors, `${step}: ${JSON.stringify(result.errors)}`).toBeUndefined();
  return result.data!;
}

/** A relationship of the reseller with customer `i`, requested (C4) and, unless `pending`, approved through its link at the clock's now. */
async function relationship(i: number, terms: { durationDays: number; autoExtend: boolean; roles?: string[] }, pending = false): Promise<string> {
  const requested = ok(
    await app.lifecycle<RequestPayload>(
      "RequestGranularDelegatedAdmin",
      { customerId: ch.sharedCustomers[i].id, input: { roles: terms.roles ?? ["USER_ADMINISTRATOR"], durationDays: terms.durationDays, autoExtend: terms.autoExtend } },
      await tokenOf(ch.resellerUsers.ga),
    ),
    "request",
  ).requestDelegatedAdmin;
  if (!pending) {
    const token = new URL(requested.link).searchParams.get("token")!;
    ok(await app.op("AcceptRelationshipRequest", { token }), "accept");
  }
  return requested.relationship.id;
}

const scope = () => ({ holderIds: [ch.reseller.id] });

/** The expiry events of a relationship: their types (sorted) and whom each concerns. */
async function expiryEvents(subjectId: string): Promise<{ type: string; concerns: string[]; summary: string }[]> {
  return app.cypher<{ type: string; concerns: string[]; summary: string }>(
    `MATCH (e:ChannelEvent {subjectId: $subjectId}) WHERE e.type IN ['DELEGATED_ADMIN_EXPIRING', 'DELEGATED_ADMIN_EXPIRED']
     RETURN e.type AS type, e.summary AS summary, [(e)-[:CONCERNS]->(p) | p.id] AS concerns ORDER BY e.type DESC`,
    { subjectId },
  );
}

const typesOf = async (id: string) => (await expiryEvents(id)).map((e) => e.type);

describe("the delegated admin expiry sweep (D-28, D-25)", () => {
  it("when a 60-day relationship that does not auto-extend is swept at +20, +31 (twice) and +61 days, then nothing, one EXPIRING (not a second), then one EXPIRED; each concerns the holder only, with its audit event, and is in its feed", async () => {
    const id = await relationship(0, { durationDays: 60, autoExtend: false });
    const sweep = app.events.expirySweep;

    clock.advance(days(20));
    await sweep.runOnce(scope());
    expect(await typesOf(id)).toEqual([]);

    clock.reset();
    clock.advance(days(31));
    const first = await sweep.runOnce(scope());
    expect(first.expiring).toBeGreaterThanOrEqual(1);
    await sweep.runOnce(scope());
    const expiring = await expiryEvents(id);
    expect(expiring.map((e) => e.type)).toEqual(["DELEGATED_ADMIN_EXPIRING"]);
    expect(expiring[0].concerns).toEqual([ch.reseller.id]);
    expect(expiring[0].summary).toContain(ch.sharedCustomers[0].name);
    expect(expiring[0].summary).toContain("will not auto-extend");

    clock.reset();
    clock.advance(days(61));
    await sweep.runOnce(scope());
    await sweep.runOnce(scope());
    const both = await expiryEvents(id);
    expect(both.map((e) => e.type)).toEqual(["DELEGATED_ADMIN_EXPIRING", "DELEGATED_ADMIN_EXPIRED"]);
    expect(both[1].concerns).toEqual([ch.reseller.id]);

    const audit = await app.cypher<{ operation: string; actor: string | null }>(
      `MATCH (:Partner {id: $holder})-[:HAS_AUDIT_EVENT]->(a:AuditEvent) WHERE $id IN a.targetIds AND a.operation STARTS WITH 'delegatedAdminExpir'
       RETURN a.operation AS operation, a.actorUserId AS actor ORDER BY a.operation`,
      { holder: ch.reseller.id, id },
    );
    expect(audit).toEqual([
      { operation: "delegatedAdminExpired", actor: null },
      { operation: "delegatedAdminExpiring", actor: null },
    ]);

    // The holder's feed lists both (D-28: C4 or C1), the provider's none.
    const feed = await app.eventOp<{ events: { edges: { node: { type: string; subjectId: string } }[] } }>(
      "Events",
      { first: 100, where: { types: ["DELEGATED_ADMIN_EXPIRING", "DELEGATED_ADMIN_EXPIRED"] } },
      await tokenOf(ch.resellerUsers.aa),
    );
    expect(ok(feed, "feed").events.edges.filter((e) => e.node.subjectId === id).map((e) => e.node.type)).toEqual([
      "DELEGATED_ADMIN_EXPIRED",
      "DELEGATED_ADMIN_EXPIRING",
    ]);
    const providers = await app.eventOp<{ events: { edges: { node: { subjectId: string } }[] } }>("Events", { first: 100 }, await tokenOf(ch.providerUsers.ga));
    expect(ok(providers, "provider feed").events.edges.filter((e) => e.node.subjectId === id)).toEqual([]);
  });

  it("when an auto-extending relationship of 60 days is swept at +31, +61 and +241 days, then it never gets EXPIRING or EXPIRED", async () => {
    const id = await relationship(1, { durationDays: 60, autoExtend: true });
    for (const at of [31, 61, 241]) {
      clock.reset();
      clock.advance(days(at));
      await app.events.expirySweep.runOnce(scope());
    }
    expect(await typesOf(id)).toEqual([]);
  });

  it("when the first pass that sees a relationship comes after its end, then it gets EXPIRED alone (no late EXPIRING)", async () => {
    const id = await relationship(2, { durationDays: 10, autoExtend: false, roles: ["GLOBAL_ADMINISTRATOR"] });
    clock.advance(days(11));
    await app.events.expirySweep.runOnce(scope());
    await app.events.expirySweep.runOnce(scope());
    expect(await typesOf(id)).toEqual(["DELEGATED_ADMIN_EXPIRED"]);
  });

  it("when a terminated relationship or a PENDING_APPROVAL one whose request expired (it reads EXPIRED) is swept, then neither gets an event", async () => {
    const terminated = await relationship(0, { durationDays: 40, autoExtend: false });
    ok(await app.lifecycle("TerminateDelegatedAdmin", { id: terminated }, await tokenOf(ch.resellerUsers.ga)), "terminate");
    const pending = await relationship(1, { durationDays: 40, autoExtend: false }, true);
    clock.advance(days(15)); // the request's link (14 days) has expired: the relationship reads EXPIRED
    await app.events.expirySweep.runOnce(scope());
    clock.reset();
    clock.advance(days(41));
    await app.events.expirySweep.runOnce(scope());
    expect(await typesOf(terminated)).toEqual([]);
    expect(await typesOf(pending)).toEqual([]);
  });

  it("when three sweeps of two processes run at the same time over the same due relationships, then each event is written once", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await relationship(i % 3, { durationDays: 60, autoExtend: false }));
    // A third sweep on app's executor: a runtime of its own (passes of one sweep run one after another).
    const third = new DelegatedAdminExpirySweep(app.executor, clock, { intervalMs: null });
    const sweeps = [app.events.expirySweep, app2.events.expirySweep, third];

    clock.advance(days(31));
    const expiring = await Promise.all(sweeps.map((s) => s.runOnce(scope())));
    console.log(`[expiry] concurrent sweeps found ${expiring.map((r) => r.due).join(", ")} due, wrote ${expiring.map((r) => r.expiring).join(", ")}`);
    expect(expiring.reduce((n, r) => n + r.expiring, 0)).toBe(ids.length);
    for (const id of ids) expect(await typesOf(id)).toEqual(["DELEGATED_ADMIN_EXPIRING"]);

    clock.reset();
    clock.advance(days(61));
    const expired = await Promise.all(sweeps.map((s) => s.runOnce(scope())));
    expect(expired.reduce((n, r) => n + r.expired, 0)).toBe(ids.length);
    for (const id of ids) expect(await typesOf(id)).toEqual(["DELEGATED_ADMIN_EXPIRING", "DELEGATED_ADMIN_EXPIRED"]);
  }, 60_000);
});

describe("the expiry sweep's timer (its passes' schedule, not their Cypher)", () => {
  it("when a timed pass finds a full batch of candidates but can mark none of them, then the next pass waits for the interval (no spin); when it wrote events, then the next comes at once", async () => {
    // The pass is replaced by a fake answer (no database): what is asserted is how many passes the
    // timer runs, under fake timers, never how long anything took.
    const sweep = new DelegatedAdminExpirySweep(app.executor, clock, { intervalMs: 60_000, batch: 100 });
    let calls = 0;
    // Passes 1 and 2: a full batch, nothing written; pass 3: a full batch with an event written; then nothing.
    const pass = vi
      .spyOn(sweep as unknown as { pass(...args: unknown[]): Promise<unknown> }, "pass")
      .mockImplementation(async () => ({ due: 100, expiring: ++calls === 3 ? 1 : 0, expired: 0, last: { endsAtMs: 0, id: "dar_x" } }));
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    try {
      sweep.start();
      await vi.advanceTimersByTimeAsync(5_000); // the first pass, a few seconds after start
      expect(pass).toHaveBeenCalledTimes(1);
      for (let i = 0; i < 20; i++) await vi.advanceTimersByTimeAsync(1);
      expect(pass).toHaveBeenCalledTimes(1); // 100 candidates, none marked: no pass at once
      await vi.advanceTimersByTimeAsync(60_000 - 20);
      expect(pass).toHaveBeenCalledTimes(2);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(pass).toHaveBeenCalledTimes(3);
      // Pass 3 wrote an event in a full batch: more may be due, the next pass comes at once...
      await vi.advanceTimersByTimeAsync(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(pass).toHaveBeenCalledTimes(4);
      // ...and pass 4 wrote none: the interval again.
      for (let i = 0; i < 20; i++) await vi.advanceTimersByTimeAsync(1);
      expect(pass).toHaveBeenCalledTimes(4);
    } finally {
      await sweep.stop();
      vi.useRealTimers();
    }
  });
});
