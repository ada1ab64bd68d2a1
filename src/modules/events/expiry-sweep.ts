import neo4j from "neo4j-driver";
import { recordAudit } from "../../shared/audit.js";
import type { Clock } from "../../shared/clock.js";
import type { ChannelEventTypeName } from "../../shared/events.js";
import { BackgroundLoop } from "../../shared/background-loop.js";
import { logger as defaultLogger, type Logger } from "../../shared/logger.js";
import type { Executor } from "../../shared/neo4j/executor.js";

/** D-28: DELEGATED_ADMIN_EXPIRING comes this many days before `endsAt` of a relationship that will not auto-extend. */
export const EXPIRY_NOTICE_DAYS = 30;

export interface ExpirySweepOptions {
  /** Between passes; null: no timer (tests call runOnce). Default 60 s (config EXPIRY_SWEEP_MS). */
  intervalMs?: number | null;
  /** Relationships per pass (a full batch that wrote events is followed by another pass at once; the next pass continues after a full batch): default 100. */
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
  private readonly batch: number;
  private readonly lookbackDays: number;
  /** The timer's passes (every intervalMs, backoff after failures, src/shared/background-loop.ts); runOnce runs beside none of them. */
  private readonly loop: BackgroundLoop;
  private closing = false;
  /**
   * Where the timer's next pass starts (keyset: endsAt, id of the last candidate of a full batch),
   * so candidates that cannot be marked (a full batch of them) never hide the ones after them;
   * null: from the start.
   */
  private after: { endsAtMs: number; id: string } | null = null;

  constructor(
    private readonly executor: Executor,
    private readonly clock: Clock,
    options: ExpirySweepOptions = {},
  ) {
    const intervalMs = options.intervalMs === undefined ? 60_000 : options.intervalMs;
    this.batch = options.batch ?? 100;
    this.lookbackDays = options.lookbackDays ?? 30;
    this.loop = new BackgroundLoop({
      name: "delegated admin expiry sweep",
      intervalMs,
      firstDelayMs: intervalMs === null ? undefined : Math.min(5_000, intervalMs),
      logger: options.logger ?? defaultLogger,
      pass: async () => {
        const result = await this.pass(null, this.after);
        this.after = result.due >= this.batch ? result.last : null;
        // A full batch runs again at once only when this pass wrote events (progress): a full batch
        // of candidates that cannot be marked waits for the interval (continuing after them), never spins.
        return { again: result.due >= this.batch && result.expiring + result.expired > 0 };
      },
    });
  }

  /** Starts the timer (none when intervalMs is null): a first pass a few seconds after start, then every intervalMs. */
  start(): void {
    this.closing = false;
    this.loop.start();
  }

  async stop(): Promise<void> {
    this.closing = true;
    await this.loop.stop();
  }

  /**
   * One pass at the clock's now: at most `batch` relationships, each event written once. Passes of
   * this process run one after another. `holderIds` confines the pass to these holders'
   * relationships (tests, on a database other files share); omitted, every relationship.
   */
  async runOnce(scope: { holderIds?: readonly string[] } = {}): Promise<ExpirySweepResult> {
    const { due, expiring, expired } = await this.loop.exclusive(() => this.pass(scope.holderIds ? [...scope.holderIds] : null, null));
    return { due, expiring, expired };
  }

  private async pass(holderIds: string[] | null, after: { endsAtMs: number; id: string } | null = null): Promise<ExpirySweepResult & { last: { endsAtMs: number; id: string } | null }> {
    const now = neo4j.int(this.clock.now());
    const requests = this.executor.forRequest({ operation: "events:expiry-sweep" });
    const due = await requests.read<{ id: string; endsAtMs: number }>("events/expiry-due", {
      now,
      noticeDays: neo4j.int(EXPIRY_NOTICE_DAYS),
      lookbackDays: neo4j.int(this.lookbackDays),
      holderIds,
      batch: neo4j.int(this.batch),
      afterMs: after ? neo4j.int(after.endsAtMs) : null,
      afterId: after?.id ?? null,
    });
    const last = due.at(-1);
    const result = { due: due.length, expiring: 0, expired: 0, last: last ? { endsAtMs: last.endsAtMs, id: last.id } : null };
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
