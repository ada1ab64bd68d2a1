import type { Driver, Session, Transaction } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDriver } from "../../src/app/database.js";
import { ServiceUnavailableError } from "../../src/shared/errors.js";
import { Executor } from "../../src/shared/neo4j/executor.js";
import { uniqueTag } from "../support/app.js";
import { TcpProxy } from "../support/tcp-proxy.js";

/**
 * The executor's half of the request time budget (issue 10, "Also required"): a request's
 * executor carries its deadline (REQUEST_BUDGET_MS after the request arrived, src/app/context.ts);
 * a statement asked for after it is refused at once, without a round trip, and every statement's
 * transaction timeout is cut to the time left, so Neo4j itself ends one that would run past it.
 * Through a TCP proxy that counts connections, on a driver of its own that has none yet.
 */

const settings = inject("neo4j");
const proxy = TcpProxy.forBoltUri(settings.uri);
const CONFIGURED_TIMEOUT_MS = 30_000;
let driver: Driver;
let direct: Driver;
let executor: Executor;
/** The partner the lock test write-locks, and the transaction that holds the lock. */
const probeId = `ptn_budget_${uniqueTag()}`;
let holder: Session | undefined;
let held: Transaction | undefined;

beforeAll(async () => {
  await proxy.start();
  driver = createDriver({ ...settings, uri: proxy.uri }, { unreachableMs: 2_000 });
  direct = createDriver(settings, { unreachableMs: 2_000 });
  executor = new Executor(driver, { database: settings.database, timeoutMs: CONFIGURED_TIMEOUT_MS });
});

afterAll(async () => {
  if (held?.isOpen()) await held.rollback();
  await holder?.close();
  await direct?.executeQuery("MATCH (p:Partner {id: $probeId}) DETACH DELETE p", { probeId }, { database: settings.database });
  await driver?.close();
  await direct?.close();
  await proxy.kill();
});

describe("when a request's time budget is spent (REQUEST_BUDGET_MS)", () => {
  it("when its deadline has passed, then a read, a write and a transaction are refused with SERVICE_UNAVAILABLE, and nothing reaches Neo4j", async () => {
    const request = executor.forRequest({ requestId: "budget-spent", deadline: Date.now() - 1 });
    const refusals = [
      request.read("offers/list"),
      request.write("leads/create", { viewerPartnerId: "ptn_none", id: "led_none", now: 0, companyName: "x", contactEmail: "x@x.example", source: "OWN_MARKETING" }),
      request.transaction("READ", (tx) => tx.run("offers/list")),
    ];
    for (const refused of refusals) {
      const error = await refused.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect((error as ServiceUnavailableError).extensions.code).toBe("SERVICE_UNAVAILABLE");
      expect((error as Error).message).toMatch(/time budget/);
    }
    expect(request.queryCount).toBe(0);
    expect(proxy.accepted).toBe(0);
  });

  it(
    "when a statement starts with 800 ms left and waits for a lock, then Neo4j ends it at that timeout instead of the configured 30 s, and it answers SERVICE_UNAVAILABLE",
    async () => {
      // A partner of its own, write-locked by an open transaction until afterAll.
      await direct.executeQuery("CREATE (:Partner {id: $probeId, name: 'budget probe', testData: true})", { probeId }, { database: settings.database });
      holder = direct.session({ database: settings.database });
      held = await holder.beginTransaction();
      await held.run("MATCH (p:Partner {id: $probeId}) SET p.heldBy = 'request-budget.test'", { probeId });

      const request = executor.forRequest({ requestId: "budget-left", deadline: Date.now() + 800 });
      const waiting = request.transaction("WRITE", (tx) => tx.run("counters/lock-partners", { partnerIds: [probeId] }));
      // Bounded by the test's timeout: with the configured 30 s it would still be waiting.
      const error = await waiting.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect((error as Error).message).toMatch(/did not answer in time/);
      expect(request.queryCount).toBe(1);
      await held.rollback();
    },
    10_000,
  );

  it("when the deadline passes in the middle of a transaction, then its next statement is refused and the transaction rolled back", async () => {
    const request = executor.forRequest({ requestId: `budget-mid-${process.pid}`, deadline: Date.now() + 300 });
    let statements = 0;
    const outcome = request.transaction("READ", async (tx) => {
      await tx.run("offers/list");
      statements += 1;
      // Not a measurement: only makes sure the deadline has passed.
      await new Promise((resolve) => setTimeout(resolve, 350));
      await tx.run("offers/list");
      statements += 1;
    });
    await expect(outcome).rejects.toThrow(/time budget/);
    expect(statements).toBe(1);
    expect(request.queryCount).toBe(1);
  });
});
