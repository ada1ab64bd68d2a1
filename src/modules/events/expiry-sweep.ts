import neo4j from "neo4j-driver";
import { recordAudit } from "../../shared/audit.js";
import type { Clock } from "../../shared/clock.js";
import type { ChannelEventTypeName } from "../../shared/events.js";
import { logger as defaultLogger, type Logger } from "../../shared/logger.js";
import type { Executor } from "../../shared/neo4j/executor.js";

/** D-28: DELEGATED_ADMIN_EXPIRING comes this many days before `endsAt` of a relationship that will not auto-extend. */
export const EXPIRY_NOTICE_DAYS = 30;

export interface ExpirySweepOptions {
  /** Between passes; null: no timer (tests call runOnce). Default 60 s (config EXPIRY_SWEEP_MS). */
  intervalMs?: number | null;
  /** Relationships per pass (a full batch is followed by another pass at once): default 100. */
  batch?: number;
  /** How long after `endsAt` a relationship not yet marked still gets its EXPIRED event: default 30 days. */
  lookbackDays?: number;
  logger?: Logger;
}

export interface ExpirySweepResult {
  /** Candidates the pass found (events/expiry-due). */
  due: number;
  /** Events this pass wrote (another process may have written the others). */
  expiring: number;
  expired: number;
}

interface MarkRow {
  type: "DELEGATED_ADMIN_EXPIRING" | "DELEGATED_ADMIN_EXPIRED";
  holderId: string;
  customerName: string | null;
  endsAt: Date;
}

/** The event's line (D-28): it concerns the holder only, which sees the customer (T-1, T-2). */
function summary(row: MarkRow): string {
  const customer = row.customerName ?? "a customer";
  const day = row.endsAt.toISOString().slice(0, 10);
  return row.type === "DELEGATED_ADMIN_EXPIRING"
    ? `Delegated admin relationship with ${customer} ends on ${day} and will not auto-extend.`
    : `Delegated admin relationship with ${customer} expired on ${day}.`;
}

/**
 * DELEGATED_ADMIN_EXPIRING and DELEGATED_ADMIN_EXPIRED (D-28, D-25). A relationship's expiry is
 * computed when read (fragments/delegated-admin-status.cypher): nothing happens in the graph when
 * it expires, so this sweep, in every API process, writes the two events at the domain's clock
 * (`services.clock`):
 * - EXPIRING once, when now >= endsAt - 30 days, for a relationship that reads ACTIVE and will not
 *   auto-extend (not for one already past endsAt when first seen: it gets EXPIRED alone);
 * - EXPIRED once, when a stored ACTIVE relationship reads EXPIRED. A PENDING_APPROVAL one whose
 *   request expired reads EXPIRED too but gets no event (it never gave access).
 * Each event concerns the holder only; subjectId is the relationship's id; it goes through
 * recordAudit (operation delegatedAdminExpiring / delegatedAdminExpired, no actor).
 *
 * Once, even with several processes sweeping at the same time: each relationship is handled in a
 * transaction of its own that first takes its write lock (events/expiry-lock), then decides on the
 * committed state and marks it (`expiringEventAt`, `expiredEventAt`, events/expiry-mark) in the
 * transaction that writes the event. A pass is one seek of the (status, autoExtend, endsAt) index
 * (migrations/0014, events/expiry-due) and at most `batch` such transactions.
 */
export class DelegatedAdminExpirySweep {
  private readonly intervalMs: number | null;
  private readonly batch: number;
  private readonly lookbackDays: number;
  private readonly log: Logger;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = true;
  private closing = false;
  private failures = 0;

  constructor(
    private readonly executor: Executor,
    private readonly clock: Clock,
    options: ExpirySweepOptions = {},
  ) {
    this.intervalMs = options.intervalMs === undefined ? 60_000 : options.intervalMs;
    this.batch = options.batch ?? 100;
    this.lookbackDays = options.lookbackDays ?? 30;
    this.log = options.logger ?? defaultLogger;
  }

  /** Starts the timer (none when intervalMs is null): a first pass a few seconds after start, then every intervalMs. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.closing = false;
    if (this.intervalMs !== null) this.schedule(Math.min(5_000, this.intervalMs));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.closing = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running.catch(() => undefined);
  }

  /**
   * One pass at the clock's now: at most `batch` relationships, each event written once. Passes of
   * this process run one after another. `holderIds` confines the pass to these holders'
   * relationships (tests, on a database other files share); omitted, every relationship.
   */
  runOnce(scope: { holderIds?: readonly string[] } = {}): Promise<ExpirySweepResult> {
    const pass = this.running.catch(() => undefined).then(() => this.pass(scope.holderIds ? [...scope.holderIds] : null));
    this.running = pass;
    return pass;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    if (this.stopped) return;
    let full = false;
    try {
      const result = await this.runOnce();
      full = result.due >= this.batch;
      this.failures = 0;
    } catch (error) {
      this.failures += 1;
      // Neo4j away: the first failure of a run of them is logged, then the sweep keeps its interval.
      if (this.failures === 1) this.log.warn({ err: error }, "delegated admin expiry sweep: pass failed");
    }
    this.schedule(full ? 0 : this.intervalMs!);
  }

  private async pass(holderIds: string[] | null): Promise<ExpirySweepResult> {
    const now = neo4j.int(this.clock.now());
    const requests = this.executor.forRequest({ operation: "events:expiry-sweep" });
    const due = await requests.read<{ id: string }>("events/expiry-due", {
      now,
      noticeDays: neo4j.int(EXPIRY_NOTICE_DAYS),
      lookbackDays: neo4j.int(this.lookbackDays),
      holderIds,
      batch: neo4j.int(this.batch),
    });
    const result: ExpirySweepResult = { due: due.length, expiring: 0, expired: 0 };
    for (const { id } of due) {
      // stop(): the rest waits for the next pass (of this process or another).
      if (this.closing) break;
      const written = await requests.transaction("WRITE", async (tx) => {
        await tx.run("events/expiry-lock", { id, now });
        const [row] = await tx.run<MarkRow>("events/expiry-mark", { id, now, noticeDays: neo4j.int(EXPIRY_NOTICE_DAYS) });
        if (!row) return null;
        const type: ChannelEventTypeName = row.type;
        await recordAudit(tx, {
          operation: type === "DELEGATED_ADMIN_EXPIRING" ? "delegatedAdminExpiring" : "delegatedAdminExpired",
          viewer: null,
          partnerId: row.holderId,
          targetIds: [id],
          events: [{ type, subjectId: id, summary: summary(row), partnerIds: [row.holderId] }],
        });
        return type;
      });
      if (written === "DELEGATED_ADMIN_EXPIRING") result.expiring += 1;
      if (written === "DELEGATED_ADMIN_EXPIRED") result.expired += 1;
    }
    return result;
  }
}
