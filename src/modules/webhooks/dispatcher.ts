import { randomUUID } from "node:crypto";
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { hostname } from "node:os";
import neo4j from "neo4j-driver";
import { recordAudit } from "../../shared/audit.js";
import { BackgroundLoop } from "../../shared/background-loop.js";
import { CAPABILITIES } from "../../shared/auth/capabilities.js";
import type { Config } from "../../shared/config.js";
import type { Services } from "../../shared/context.js";
import { newId } from "../../shared/ids.js";
import { logger as defaultLogger, type Logger } from "../../shared/logger.js";
import { sendAfterCommit } from "../../shared/mail/mailer.js";
import type { Executor, RequestExecutor, Tx } from "../../shared/neo4j/executor.js";
import type { ChannelEventRecord } from "../events/channel-event.type.js";
import type { EventSequencer } from "../events/sequencer.js";
import { lockWebhookCursor } from "./webhook-cursor.js";
import type { WebhookRecord } from "./webhook.type.js";
import { openSecret, signBody, webhookSealingKey } from "./signature.js";
import { UrlPolicy, UrlRefused, type Resolver } from "./url-policy.js";

/**
 * Webhook delivery (D-30), in the background of every API process (EventRuntime): never inside a
 * request, and a slow receiver holds one of WEBHOOK_CONCURRENCY slots, nothing else.
 *
 * A pass starts with one read (webhooks/fan-out-state: head, cursor, and whether any webhook is
 * active, an index seek): with no active webhook it ends there, no transaction, no lock (issue 14;
 * the cursor stays behind, see below). Passes run when this process's sequencer numbered events
 * (onSequenced; kicks within KICK_COALESCE_MS make one pass) and every WEBHOOK_POLL_MS.
 *
 * Fan-out: the sequencer numbers committed events (`seq`); under the one WebhookCursor node's lock
 * (lock-first) a pass reads the cursor's `lastSeq`, waits for the EventSequence lock (so every
 * event numbered so far has committed), marks due each webhook that one of the events after
 * `lastSeq` concerns (webhooks/fan-out: the organisations the event concerns, its type in the
 * webhook's `events`, `seq > fromSeq`; one write per webhook, no task per event, issue 14) and
 * moves `lastSeq`, in one transaction. A cursor far behind (idle passes) starts at the lowest
 * `fromSeq` of the active webhooks (webhooks/fan-out-floor). createWebhook takes the cursor's lock
 * before it reads the head for `fromSeq`: a webhook this transaction does not see gets only events
 * after its head, and an event numbered before a webhook existed is never sent to it.
 *
 * Attempts, per webhook (fairness), in batches, straight from the numbered events: each webhook
 * has its own cursor `deliveredSeq` (every event of it up to there was delivered or has a task).
 * `dueAt` on the Webhook says when it next has an attempt to make; a poll seeks the webhooks due
 * (not their events), longest waiting first, and a claim takes the webhook's write lock first
 * (lock-first), re-checks it is due and not leased, and makes its ONE batch in flight of up to
 * WEBHOOK_BATCH attempts, in one transaction: first its failed events' due tasks (retries), then,
 * when no task waits, its next events after its cursor and up to the fan-out's `lastSeq`, in `seq`
 * order (webhooks/claim-events, an ordered seek of the seq index); each its own attempt and its
 * own log entry, the webhook's lease (`leaseUntil`, database clock, WEBHOOK_TIMEOUT_MS per attempt
 * + 50 s) covering all. So each attempt is made by exactly one process, and one organisation's dead
 * receiver, however many webhooks and events it has, holds at most one delivery slot per webhook.
 * The claim schedules the attempts as if they fail (each task's next attempt after its backoff,
 * and the webhook's circuit: its other events wait for its next retry, `dueAt`, with the backoff
 * of its run of failures), so a dead receiver with k pending events costs one attempt per backoff
 * step, not k, and a process that dies mid-batch still moves the schedule (the next claim turns
 * that batch's events from the cursor into tasks with that attempt made: webhooks/claim-abandoned).
 * The POSTs happen after commit, in a slot claimed for the batch (never queued behind others), in
 * order over one kept-alive connection pinned to the addresses the URL policy just checked (a new
 * connection is checked again), each cut at WEBHOOK_TIMEOUT_MS; the batch stops at its first
 * failure. All answers are recorded in one transaction while the lease is still the batch's: a
 * failed event from the cursor becomes a task (tasks exist only for failures), the cursor moves
 * past the answered events (never past one not answered), 2xx answers delete their tasks and close
 * the circuit (the webhook is due again at once while events are left, behind the webhooks waiting
 * longer: round robin); the attempts not made are undone (a task's attempts, window and `nextAt` as
 * before the claim, no log entry: no request was sent) and wait for the retry with the rest; a
 * failure 24 hours or more after the task's first attempt or the start of the webhook's run of
 * failures disables the webhook and mails the organisation's global admins; so does a claim that
 * finds the last attempt of the 24 hours never answered. A process that dies mid-batch leaves the
 * lease to run out: the next attempts come at the scheduled retry, from whichever process (at least
 * once; the dead one's entries read as abandoned). A pass that meets a webhook deleted under it
 * (deleteWebhook takes its lock first; EntityNotFound) runs its transaction again (goneRetried).
 */

/** D-30: retries run until 24 hours after the first attempt. */
export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;
/** The first retry comes 30 s after the first attempt; each later one waits twice as long... */
export const FIRST_RETRY_MS = 30_000;
/** ...up to an hour. */
export const MAX_RETRY_MS = 60 * 60 * 1000;
/** Each wait is drawn within ±20 % of that, so receivers coming back are not hit by every retry at once. */
export const RETRY_JITTER = 0.2;

/** How long after attempt `attempt` (1, 2, ...) failed the next one comes: 30 s, 1, 2, 4, 8, 16, 32 min, then 1 h, each ±20 %. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(FIRST_RETRY_MS * 2 ** Math.min(attempt - 1, 30), MAX_RETRY_MS);
  return Math.round(base * (1 - RETRY_JITTER + 2 * RETRY_JITTER * random()));
}

/**
 * When attempt `attempt + 1` is due after attempt `attempt` failed at `now` (the first was at
 * `firstAt`), or null when the 24 hours are over: then the webhook is disabled. The last retry
 * comes at `firstAt` + 24 h at the latest.
 */
export function nextAttemptAt(attempt: number, now: number, firstAt: number, random: () => number = Math.random): number | null {
  const end = firstAt + RETRY_WINDOW_MS;
  if (now >= end) return null;
  return Math.min(now + retryDelayMs(attempt, random), end);
}

/** What a receiver gets (the body, signed as sent). README: "Webhooks". */
export interface WebhookPayload {
  id: string;
  type: string;
  at: string;
  subjectId: string;
  summary: string;
  webhookId: string;
}

export function payloadOf(event: ChannelEventRecord, webhookId: string): WebhookPayload {
  return {
    id: event.id,
    type: event.type,
    at: new Date(event.at).toISOString(),
    subjectId: event.subjectId,
    summary: event.summary,
    webhookId,
  };
}

export const USER_AGENT = "CSP-Channel-Webhooks/1.0";

/** Events fanned out per transaction. */
const FAN_OUT_BATCH = 500;
/** Events a claim's read from a webhook's cursor looks at per statement (webhooks/claim-events: an ordered seek of the seq index), and such reads per claim at most. */
const CURSOR_SCAN = 1_000;
const CURSOR_SCANS = 20;
/** Claim rounds of runOnce at most (each claims at least one attempt, or it ends). */
const RUN_ONCE_ROUNDS = 1_000;
/** How long a kick (this process's sequencer numbered events) waits, so kicks after commits at 150/s make a pass every 100 ms, not 150 (issue 14). */
export const KICK_COALESCE_MS = 100;
/** Transactions of a pass that found a node deleted under it by a concurrent deleteWebhook (EntityNotFound) are run again, at most this often. */
const GONE_RETRIES = 3;
/**
 * How long a webhook whose signing secret this process cannot open (sealed under another
 * JWT_SECRET: a process of another deployment or configuration on the same database, such as a
 * development server beside a benchmark, or a rolling change of JWT_SECRET) is left to the other
 * processes, from when it became due: they make its attempts (and sign them) in the meantime.
 * Only a webhook still due after that gets its attempt here, which fails as the README says for a
 * changed JWT_SECRET (logged, retried, disabled after 24 hours).
 */
export const FOREIGN_SECRET_GRACE_MS = 60_000;
/** Bytes of an answer's body read (and dropped) before the connection is cut. */
const MAX_ANSWER_BYTES = 64 * 1024;

const PENDING = "no answer recorded yet (attempt in progress)";
const NOT_SENT = "not sent: the batch it was claimed in stopped before it (its lease had run out); the next attempt was made by another process";
const ABANDONED = "no answer recorded: the process making this attempt stopped (its lease ran out; the next attempt was made by another)";

/** One attempt of a claimed batch, as webhooks/start-attempt made it. */
interface Claimed {
  /** The failed event's task (a retry), or null: an event read from the webhook's cursor (the healthy path, no task). */
  key: string | null;
  webhookId: string;
  deliveryId: string;
  attempt: number;
  firstAt: number;
  /** The event's `seq`: the webhook's cursor moves past it once it is answered. */
  seq: number;
  webhook: { id: string; url: string; secretSealed: string };
  event: ChannelEventRecord;
  /** The task as it was before this claim (null: no task): what undoing an attempt that was not made gives back. */
  before: TaskState | null;
}

/** A webhook's claimed batch (WEBHOOK_BATCH attempts at most: its due tasks, then events from its cursor), under one lease named by its first delivery. */
interface ClaimedBatch {
  webhookId: string;
  leaseId: string;
  attempts: Claimed[];
  /** Where the webhook's cursor goes when every attempt of the batch succeeds (the events read past the last one were not the webhook's); null: as the answers say. */
  scannedTo: number | null;
}

/** A task as webhooks/claim reads it under the webhook's lock. */
interface TaskState {
  key: string;
  due: boolean;
  nextAt: number;
  deliverable: boolean;
  attempts: number;
  firstAt: number | null;
  lastAttemptAt: number | null;
}

/** What webhooks/claim reads under the webhook's lock. */
interface ClaimState {
  tasks: TaskState[];
  /** Entries of the webhook's last batch never answered (its lease ran out), of events read from its cursor. */
  abandoned: string[];
  partnerId: string;
  types: string[];
  fromSeq: number;
  /** The webhook's cursor: every event of it up to there was delivered or has a task. */
  deliveredSeq: number;
  /** The first event fanned out to it since its cursor last caught up (none of its events lies between the cursor and it), or null. */
  nextSeq: number | null;
  /** Its last event fanned out (`fannedOutSeq`): every event up to there has committed, and none of its events lies after it yet. */
  fannedOut: number;
  failures: number;
  failingSince: number | null;
  lastAttemptAt: number | null;
  /** The signing secret, sealed (signature.ts): a process that cannot open it leaves the webhook to the others (FOREIGN_SECRET_GRACE_MS). */
  secretSealed: string;
  /** Since when it is due (the domain clock's milliseconds). */
  dueAt: number | null;
}

interface Outcome {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

interface Disabled {
  webhook: WebhookRecord;
  partnerId: string;
  partnerName: string;
  admins: string[];
  firstAt: number;
  lastError: string | null;
}

/**
 * Whose attempts a pass claims: `partnerIds`, only those of these organisations' webhooks
 * (webhooks/due-of-partners); none, every webhook's (production). The fan-out is global either way.
 * Tests on the shared test database scope every pass to their own organisations, as the expiry
 * sweep's `runOnce({ holderIds })`, so no test file claims another's attempts (other clocks, other
 * receivers). The loop's scope: WEBHOOK_ONLY_PARTNERS (unset: every webhook).
 */
export interface WebhookScope {
  partnerIds?: readonly string[] | null;
}

export interface DispatcherDeps {
  config: Config;
  executor: Executor;
  services: Services;
  sequencer: EventSequencer;
  logger?: Logger;
  /** The DNS resolution of the URL policy (tests give a fake one). */
  resolve?: Resolver;
}

/**
 * D-30's schedule after attempt `attempt` of a run that started at `since`, made at `now`: the
 * backoff, never past `since` + 24 h; once that is reached (the last attempt), the backoff anyway
 * (the next claim or answer disables the webhook).
 */
function retryAt(attempt: number, now: number, since: number): number {
  return nextAttemptAt(attempt, now, since) ?? now + retryDelayMs(attempt);
}

export class WebhookDispatcher {
  /** The delivery-time URL check (D-30): replaceable by tests (a lookup that answers a private address). */
  policy: UrlPolicy;
  /** This process, as leases name it. */
  readonly holder = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  private readonly log: Logger;
  private readonly inFlight = new Map<Promise<void>, AbortController>();
  /** Delivery slots taken: batches in flight plus slots reserved by a claim round under way (at most WEBHOOK_CONCURRENCY). */
  private busy = 0;
  private slotWaiters: (() => void)[] = [];
  /** Passes after this process's events are numbered (kick, coalesced over KICK_COALESCE_MS), every WEBHOOK_POLL_MS, backoff while Neo4j is away. */
  private readonly loop: BackgroundLoop;
  private unlisten: (() => void) | undefined;
  /**
   * Webhooks whose signing secret this process cannot open, each until when it leaves them to the
   * other processes (their `dueAt` + FOREIGN_SECRET_GRACE_MS): its due reads skip them, so it never
   * takes (and fails) an attempt another process can make, nor holds their lock in a claim.
   */
  private readonly foreign = new Map<string, number>();

  constructor(private readonly deps: DispatcherDeps) {
    this.policy = new UrlPolicy({ production: deps.config.production, resolve: deps.resolve });
    this.log = deps.logger ?? defaultLogger;
    this.loop = new BackgroundLoop({
      name: "webhooks",
      intervalMs: deps.config.webhooks.pollMs,
      kickDelayMs: Math.min(KICK_COALESCE_MS, deps.config.webhooks.pollMs),
      logger: this.log,
      pass: () => this.pass(),
    });
  }

  private get settings(): Config["webhooks"] {
    return this.deps.config.webhooks;
  }

  private get batchSize(): number {
    return this.settings.batch ?? 20;
  }

  /** A batch's lease: WEBHOOK_TIMEOUT_MS for each of its attempts (each POST is cut at that), and 50 s for the rest. */
  private leaseMs(attempts: number): number {
    return attempts * this.settings.timeoutMs + 50_000;
  }

  /** The background loop (WEBHOOK_DELIVERY): passes after this process's events are numbered, and every WEBHOOK_POLL_MS. */
  start(): void {
    if (this.loop.running || !this.settings.delivery) return;
    this.unlisten = this.deps.sequencer.onSequenced(() => this.kick());
    this.loop.start();
  }

  /** Stops the loop; batches in flight are cut short (the attempt under way recorded as failed, the rest undone; retried later by whichever process). */
  async stop(): Promise<void> {
    this.unlisten?.();
    this.unlisten = undefined;
    await this.loop.stop();
    for (const controller of this.inFlight.values()) controller.abort();
    await Promise.allSettled([...this.inFlight.keys()]);
  }

  /** A pass soon: kicks within KICK_COALESCE_MS (and while a pass runs) make one pass. */
  kick(): void {
    this.loop.kick();
  }

  /**
   * Everything due now, to the end: fans out every numbered event, then claims as many due
   * batches as this process has free delivery slots (never more: a claimed batch starts at
   * once, so its lease cannot run out while it waits), waits for their answers, and claims again
   * until none is due. For tests (after moving the clock) and scripts; the loop does the same
   * without waiting. `scope.partnerIds`: claims only those organisations' attempts (tests on the
   * shared database); default the loop's scope (WEBHOOK_ONLY_PARTNERS, unset: every webhook).
   * `attempts`: the POSTs made.
   */
  async runOnce(scope: WebhookScope = {}): Promise<{ tasks: number; attempts: number }> {
    const state = await this.fanOutState();
    if (!state.active) return { tasks: 0, attempts: 0 };
    const tasks = await this.fanOut({ state });
    const partnerIds = scope.partnerIds ?? this.settings.onlyPartnerIds ?? null;
    let attempts = 0;
    for (let round = 0; round < RUN_ONCE_ROUNDS; round++) {
      const claimed = await this.claimFree(partnerIds);
      if (claimed === null) {
        // Every slot is taken by batches of the loop: wait for one to free.
        await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
        continue;
      }
      if (claimed.length === 0) break;
      const made = await Promise.all(claimed.map((batch) => this.track(batch)));
      attempts += made.reduce((a, b) => a + b, 0);
    }
    return { tasks, attempts };
  }

  /**
   * One pass of the loop: one read first (issue 14): with no active webhook it ends there (no
   * transaction, no lock). Else the fan-out, then as many due batches as free slots, not awaited
   * (a freed slot kicks the next pass).
   */
  private async pass(): Promise<void> {
    const state = await this.fanOutState();
    if (!state.active) return;
    await this.fanOut({ state });
    const claimed = await this.claimFree(this.settings.onlyPartnerIds ?? null);
    for (const batch of claimed ?? []) void this.track(batch);
  }

  /** Claims up to the free slots (reserved first, so runOnce and the loop never claim more than WEBHOOK_CONCURRENCY); null: none free. */
  private async claimFree(partnerIds: readonly string[] | null): Promise<ClaimedBatch[] | null> {
    const free = this.settings.concurrency - this.busy;
    if (free <= 0) return null;
    this.busy += free;
    let claimed: ClaimedBatch[] = [];
    try {
      claimed = await this.claimDue(free, partnerIds);
    } finally {
      this.release(free - claimed.length);
    }
    return claimed;
  }

  private release(slots: number): void {
    if (slots <= 0) return;
    this.busy -= slots;
    for (const wake of this.slotWaiters.splice(0)) wake();
  }

  private requests(operation: string): RequestExecutor {
    return this.deps.executor.forRequest({ operation });
  }

  /**
   * `fn` again when a statement of it met a node deleted under it (EntityNotFound: a webhook, its
   * task or log entry deleted by deleteWebhook, which takes the webhook's lock first, while this
   * transaction waited for that lock). The transaction rolled back; run again, it no longer sees
   * the webhook. Handled here, not in the executor (it is not transient for a request).
   */
  private async goneRetried<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (error) {
        if (!isEntityNotFound(error) || attempt >= GONE_RETRIES) throw error;
        this.log.debug?.({ err: error }, "webhooks: a webhook was deleted under a pass; running its transaction again");
      }
    }
  }

  /** The first read of a pass: head, cursor and whether any webhook is active (webhooks/fan-out-state). */
  private async fanOutState(): Promise<FanOutState> {
    const [state] = await this.requests("webhooks:fan-out").read<FanOutState>("webhooks/fan-out-state");
    return state ?? { head: 0, lastSeq: null, active: false };
  }

  /**
   * Fans out every numbered event not yet fanned out (several transactions if many); the tasks
   * made. `locked`: tests only, called in the first transaction once it holds the cursor's lock
   * (to order a concurrent createWebhook or deleteWebhook against it).
   */
  async fanOut(options: { state?: FanOutState; locked?: () => Promise<void> } = {}): Promise<number> {
    const requests = this.requests("webhooks:fan-out");
    let total = 0;
    let state: FanOutState | undefined = options.state;
    for (let batch = 0; batch < 1_000; batch++) {
      state ??= await this.fanOutState();
      if (!options.locked && state.lastSeq !== null && state.head <= state.lastSeq) break;
      const locked = batch === 0 ? options.locked : undefined;
      state = undefined;
      const moved = await this.goneRetried(() =>
        requests.transaction("WRITE", async (tx) => {
          const lastSeq = await lockWebhookCursor(tx);
          await locked?.();
          const [barrier] = await tx.run<{ head: number }>("webhooks/sequence-barrier");
          const head = barrier?.head ?? 0;
          if (head <= lastSeq) return { tasks: 0, more: false };
          let from = lastSeq;
          if (head - lastSeq > FAN_OUT_BATCH) {
            // Behind by more than a batch (passes were idle while no webhook was active): no event
            // at or below the lowest fromSeq of the active webhooks goes to any of them.
            const [{ floor }] = await tx.run<{ floor: number | null }>("webhooks/fan-out-floor");
            from = Math.min(head, Math.max(lastSeq, floor ?? head));
          }
          const to = Math.min(head, from + FAN_OUT_BATCH);
          let tasks = 0;
          if (to > from) {
            [{ tasks }] = await tx.run<{ tasks: number }>("webhooks/fan-out", {
              from: neo4j.int(from),
              to: neo4j.int(to),
              now: neo4j.int(this.deps.services.clock.now()),
            });
          }
          await tx.run("webhooks/cursor-advance", { to: neo4j.int(to) });
          return { tasks, more: to < head };
        }),
      );
      total += moved.tasks;
      if (!moved.more) break;
    }
    return total;
  }

  /**
   * Claims up to `limit` batches, at most one per webhook (each in its own transaction: the
   * webhook's lock, re-check, lease). More webhooks are read than wanted: those at the head of the
   * index may be claimed by another process between the read and the claim. `partnerIds`: only
   * those organisations' webhooks (WebhookScope).
   */
  private async claimDue(limit: number, partnerIds: readonly string[] | null = null): Promise<ClaimedBatch[]> {
    const requests = this.requests("webhooks:claim");
    const now = this.deps.services.clock.now();
    for (const [id, until] of this.foreign) if (until <= now) this.foreign.delete(id);
    const params = { now: neo4j.int(now), limit: neo4j.int(Math.max(limit * 2, 16)), skip: [...this.foreign.keys()] };
    const due = await this.goneRetried(() =>
      partnerIds
        ? requests.read<{ webhookId: string }>("webhooks/due-of-partners", { ...params, partnerIds: [...partnerIds] })
        : requests.read<{ webhookId: string }>("webhooks/due", params),
    );
    const claimed: ClaimedBatch[] = [];
    for (const { webhookId } of due) {
      if (claimed.length >= limit) break;
      const batch = await this.goneRetried(() => this.claim(requests, webhookId));
      if (batch) claimed.push(batch);
    }
    return claimed;
  }

  /**
   * One claim (D-30): under the webhook's lock, its one batch in flight, up to WEBHOOK_BATCH
   * attempts, each its own attempt with its own log entry, the webhook's lease covering all: first
   * its failed events' due tasks (oldest first), then, when no task waits, its next events after
   * its cursor (`deliveredSeq`) in `seq` order (webhooks/claim-events; the healthy path makes no
   * task). Scheduled as if the first fails: each task's next attempt after its backoff, the
   * webhook's circuit (none of its events before its retry: a dead receiver costs one attempt per
   * backoff step, however many events wait). A previous batch whose process stopped before any
   * answer was recorded (its lease ran out) had its events from the cursor turned into tasks with
   * that attempt made (webhooks/claim-abandoned). When the webhook's last attempt was its last one
   * (24 hours into a run of failures) and no answer was ever recorded, the webhook is disabled here.
   */
  private async claim(requests: RequestExecutor, webhookId: string): Promise<ClaimedBatch | null> {
    const result = await requests.transaction("WRITE", async (tx): Promise<ClaimedBatch | Disabled | null> => {
      const [locked] = await tx.run("webhooks/claim-lock", { webhookId });
      if (!locked) return null;
      const now = this.deps.services.clock.now();
      const read = async () =>
        (await tx.run<ClaimState>("webhooks/claim", { webhookId, now: neo4j.int(now), batch: neo4j.int(this.batchSize), pendingError: PENDING }))[0];
      let state = await read();
      if (!state) return null; // another process holds it, or it is not due any more
      const sorted = (of: ClaimState) => [...of.tasks].sort((a, b) => a.nextAt - b.nextAt || (a.key < b.key ? -1 : 1));
      let tasks = sorted(state);
      let first = tasks[0];
      // The last attempt of a window was made and its answer never recorded (its process stopped): the 24 hours are over.
      const webhookWindowOver = state.failingSince !== null && state.lastAttemptAt !== null && state.lastAttemptAt >= state.failingSince + RETRY_WINDOW_MS;
      const taskWindowOver = first !== undefined && first.due && first.firstAt !== null && first.lastAttemptAt !== null && first.lastAttemptAt >= first.firstAt + RETRY_WINDOW_MS;
      if (webhookWindowOver || taskWindowOver) {
        const since = Math.min(state.failingSince ?? now, first?.firstAt ?? now);
        return this.disable(tx, webhookId, now, since, "no answer recorded (the process making it stopped)");
      }
      if (!this.canSign(webhookId, state.secretSealed)) {
        // Sealed under another JWT_SECRET: not this process's to attempt while another may (the
        // write bench's stall: a development server on the same database took the bench's batches,
        // failed them unsent and opened their circuits). Nothing written but the lock's stamp.
        const until = (state.dueAt ?? now) + FOREIGN_SECRET_GRACE_MS;
        if (now < until) {
          if (!this.foreign.has(webhookId)) {
            this.log.warn(
              { webhookId, until: new Date(until).toISOString() },
              "webhooks: this process cannot open the webhook's signing secret (sealed under another JWT_SECRET); its deliveries are left to the other processes until then",
            );
          }
          this.foreign.set(webhookId, until);
          return null;
        }
      }
      if (state.abandoned.length > 0) {
        await tx.run("webhooks/claim-abandoned", {
          webhookId,
          deliveryIds: state.abandoned,
          deliveredSeq: neo4j.int(state.deliveredSeq),
          now: neo4j.int(now),
        });
        state = await read();
        if (!state) return null;
        tasks = sorted(state);
        first = tasks[0];
      }
      if (first && !first.due) {
        // The circuit is open: nothing of this webhook before its failed event's retry.
        await tx.run("webhooks/claim-idle", { webhookId, dueAt: neo4j.int(first.nextAt), deliveredSeq: null, caughtUp: false });
        return null;
      }
      const due = tasks.filter((task) => task.due);
      const gone = due.filter((task) => !task.deliverable).map((task) => task.key);
      if (gone.length > 0) await tx.run("webhooks/drop-task", { keys: gone });
      const batch = due.filter((task) => task.deliverable);
      // Events from the cursor, in seq order, when no task is left waiting beyond this batch.
      let events: { eventId: string; seq: number }[] = [];
      let scannedTo: number | null = null;
      const room = this.batchSize - batch.length;
      if (due.length === tasks.length && tasks.length < this.batchSize && room > 0) {
        // From the cursor, or from just before the first event fanned out to it when that is further on.
        let after = Math.max(state.deliveredSeq, (state.nextSeq ?? 0) - 1);
        scannedTo = after > state.deliveredSeq ? after : null;
        for (let scan = 0; scan < CURSOR_SCANS && after < state.fannedOut; scan++) {
          const until = Math.min(state.fannedOut, after + CURSOR_SCAN);
          events = await tx.run<{ eventId: string; seq: number }>("webhooks/claim-events", {
            partnerId: state.partnerId,
            types: state.types,
            fromSeq: neo4j.int(state.fromSeq),
            after: neo4j.int(after),
            until: neo4j.int(until),
            limit: neo4j.int(room),
          });
          scannedTo = events.length >= room ? events.at(-1)!.seq : until;
          if (events.length > 0) break;
          after = until;
        }
      }
      if (batch.length === 0 && events.length === 0) {
        // Nothing to attempt: the cursor moves past the events read (none of them the webhook's);
        // still due while more are fanned out (or tasks beyond the batch), else nothing pending.
        const cursor = Math.max(state.deliveredSeq, scannedTo ?? state.deliveredSeq);
        const more = tasks.length > gone.length || cursor < state.fannedOut;
        await tx.run("webhooks/claim-idle", {
          webhookId,
          dueAt: more ? neo4j.int(now) : null,
          deliveredSeq: cursor > state.deliveredSeq ? neo4j.int(cursor) : null,
          caughtUp: cursor >= state.fannedOut,
        });
        return null;
      }
      const failures = state.failures + 1;
      const failingSince = state.failingSince ?? now;
      const attempts = batch.map((task) => ({
        key: task.key,
        deliveryId: newId("WebhookDelivery"),
        taskNextAt: neo4j.int(retryAt(task.attempts + 1, now, task.firstAt ?? now)),
      }));
      const fresh = events.map((event) => ({ eventId: event.eventId, deliveryId: newId("WebhookDelivery") }));
      const order = new Map([...attempts, ...fresh].map((a, i) => [a.deliveryId, i]));
      const leaseId = (attempts[0] ?? fresh[0])!.deliveryId;
      const started = await tx.run<Omit<Claimed, "webhookId" | "before">>("webhooks/start-attempt", {
        webhookId,
        attempts,
        events: fresh,
        leaseId,
        now: neo4j.int(now),
        failures: neo4j.int(failures),
        failingSince: neo4j.int(failingSince),
        dueAt: neo4j.int(retryAt(failures, now, failingSince)),
        leaseMs: neo4j.int(this.leaseMs(order.size)),
        holder: this.holder,
        pendingError: PENDING,
        abandonedError: ABANDONED,
      });
      if (started.length === 0) return null;
      const before = new Map(batch.map((task) => [task.key, task]));
      const made = started
        .map((row) => ({ ...row, webhookId, before: row.key === null ? null : (before.get(row.key) ?? null) }))
        .sort((a, b) => order.get(a.deliveryId)! - order.get(b.deliveryId)!);
      return { webhookId, leaseId, attempts: made, scannedTo: events.length > 0 ? scannedTo : null };
    });
    if (result === null) return null;
    if ("leaseId" in result) return result;
    await this.mailDisabled(result);
    return null;
  }

  /** Disables a webhook whose 24 hours of failures are over (D-30), under its lock (held by the caller's first statement). */
  private async disable(tx: Tx, webhookId: string, now: number, since: number, lastError: string | null): Promise<Disabled | null> {
    const [row] = await tx.run<{ webhook: WebhookRecord; partnerId: string; partnerName: string; admins: string[] }>("webhooks/disable", {
      webhookId,
      now: neo4j.int(now),
      reason: `Deliveries failed for 24 hours from ${new Date(since).toISOString()} (D-30); the last attempt: ${lastError ?? "no answer"}.`,
      adminRoles: [...CAPABILITIES.C18.adminRoles],
    });
    if (!row) return null; // already disabled
    await recordAudit(tx, { operation: "disableWebhook", viewer: null, partnerId: row.partnerId, targetIds: [webhookId] });
    return { ...row, firstAt: since, lastError };
  }

  private async mailDisabled(disabled: Disabled): Promise<void> {
    for (const to of disabled.admins) {
      await sendAfterCommit(this.deps.services.mailer, disabledMail(to, disabled.partnerName, disabled.webhook, disabled.firstAt, disabled.lastError));
    }
  }

  /** Whether this process's JWT_SECRET opens the webhook's sealed signing secret (signature.ts). */
  private canSign(webhookId: string, sealed: string): boolean {
    try {
      openSecret(webhookSealingKey(this.deps.config), webhookId, sealed);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Runs one claimed batch in its slot (taken by the claim), tracked so stop() can cut it short;
   * resolves with the POSTs made. Then a pass: at once after a full batch that all succeeded (a
   * backlog: its next batch is likely due), else coalesced with the sequencer's kicks.
   */
  private track(batch: ClaimedBatch): Promise<number> {
    const controller = new AbortController();
    let made = 0;
    let backlog = false;
    const run = this.deliverBatch(batch, controller.signal)
      .then((result) => {
        made = result.posts;
        backlog = result.delivered === this.batchSize;
      })
      .catch((error: unknown) => this.log.warn({ err: error, webhookId: batch.webhookId }, "webhooks: recording a batch failed"))
      .finally(() => {
        this.inFlight.delete(run);
        this.release(1);
        if (backlog) this.loop.kick(0);
        else this.kick();
      });
    this.inFlight.set(run, controller);
    return run.then(() => made);
  }

  /**
   * One batch: checks the URL again (the connection is pinned to the addresses just checked),
   * POSTs each signed event in order over one kept-alive connection (a new connection, if the
   * receiver closes it, is checked again), stops at the first failure, and records every answer
   * and what comes next in one transaction. Resolves with the POSTs made and the 2xx answers.
   */
  private async deliverBatch(batch: ClaimedBatch, signal: AbortSignal): Promise<{ posts: number; delivered: number }> {
    const outcomes: Outcome[] = [];
    const webhook = batch.attempts[0]!.webhook;
    let agent: HttpAgent | undefined;
    try {
      const secret = openSecret(webhookSealingKey(this.deps.config), webhook.id, webhook.secretSealed);
      const url = this.policy.parse(webhook.url);
      agent = url.protocol === "https:" ? new HttpsAgent({ keepAlive: true, maxSockets: 1 }) : new HttpAgent({ keepAlive: true, maxSockets: 1 });
      const lookup = this.policy.lookupFor(url);
      for (const task of batch.attempts) {
        if (signal.aborted) break; // the rest are undone: not attempts
        const outcome = await this.post(task, url, secret, { agent, lookup, signal });
        outcomes.push(outcome);
        if (!succeeded(outcome)) break;
      }
    } catch (error) {
      // The URL or the secret, before any request: the first attempt fails.
      outcomes.push(this.failure(batch.attempts[0]!, error, 0));
    } finally {
      agent?.destroy();
    }
    await this.goneRetried(() => this.finish(batch, outcomes));
    return { posts: outcomes.length, delivered: outcomes.filter(succeeded).length };
  }

  private failure(task: Claimed, error: unknown, durationMs: number): Outcome {
    if (error instanceof UrlRefused) {
      // The details (the addresses, which range) for the operator only; the log the organisation reads says D-30.
      this.log.warn({ webhookId: task.webhook.id, delivery: task.deliveryId, detail: error.detail }, "webhooks: URL refused at delivery (D-30)");
    }
    return { statusCode: null, durationMs, error: describe(error) };
  }

  private async post(
    task: Claimed,
    url: URL,
    secret: string,
    options: { agent: HttpAgent; lookup: ReturnType<UrlPolicy["lookupFor"]>; signal: AbortSignal },
  ): Promise<Outcome> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const body = JSON.stringify(payloadOf(task.event, task.webhook.id));
      const { statusCode, finished } = await send(url, body, {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "x-channel-event-id": task.event.id,
        "x-channel-event-type": task.event.type,
        "x-channel-delivery-id": task.deliveryId,
        "x-channel-delivery-attempt": String(task.attempt),
        "x-channel-signature": signBody(secret, body),
      }, { ...options, timeoutMs: this.settings.timeoutMs });
      const durationMs = elapsed();
      // The answer's body is read (and dropped) before the next request goes on the same connection; bounded by the request's timer.
      await finished;
      const ok = statusCode >= 200 && statusCode < 300;
      return {
        statusCode,
        durationMs,
        error: ok ? null : statusCode >= 300 && statusCode < 400 ? `HTTP ${statusCode}: redirects are not followed (D-30)` : `HTTP ${statusCode}: not a 2xx answer`,
      };
    } catch (error) {
      return this.failure(task, error, elapsed());
    }
  }

  /**
   * Records a batch's answers under the webhook's lock, in one transaction, while its lease is
   * still this batch's: the attempts not made are undone (webhooks/record-attempt: no log entry,
   * a task's attempts and schedule as before); a failed event read from the cursor becomes a task
   * (webhooks/task-new: tasks exist only for failures); the webhook's cursor moves past every event
   * answered (the failed one has its task now), and past the events read that were not the
   * webhook's when the whole batch succeeded (webhooks/delivered), never past one not answered; the
   * 2xx answers delete their tasks and close the circuit; a failure (the batch's last answer)
   * keeps the schedule the claim set (or, after successes in the same batch, opens the circuit
   * from this failure), or, at or after 24 hours from the task's first attempt or from the start
   * of the webhook's run of failures, disables the webhook and mails its organisation's global
   * admins (after commit).
   */
  private async finish(batch: ClaimedBatch, outcomes: Outcome[]): Promise<void> {
    const now = this.deps.services.clock.now();
    const requests = this.requests("webhooks:record");
    const answered = batch.attempts.slice(0, outcomes.length);
    const untried = batch.attempts.slice(outcomes.length);
    const failed = outcomes.length > 0 && !succeeded(outcomes.at(-1)!) ? answered.at(-1)! : null;
    const done = answered.filter((task) => task !== failed);
    const doneKeys = done.flatMap((task) => (task.key === null ? [] : [task.key]));
    // The cursor: past the last event from the cursor that was answered; past the events read
    // beyond it (not the webhook's) only when every attempt succeeded.
    const fromCursor = answered.filter((task) => task.key === null).map((task) => task.seq);
    let deliveredTo: number | null = fromCursor.length > 0 ? Math.max(...fromCursor) : null;
    if (failed === null && untried.length === 0 && batch.scannedTo !== null) deliveredTo = Math.max(deliveredTo ?? batch.scannedTo, batch.scannedTo);
    const disabled = await requests.transaction("WRITE", async (tx) => {
      const [locked] = await tx.run("webhooks/finish-lock", { webhookId: batch.webhookId });
      if (!locked) return null; // the webhook was deleted
      const [recorded] = await tx.run<{ ours: boolean; failingSince: number | null }>("webhooks/record-attempt", {
        webhookId: batch.webhookId,
        leaseId: batch.leaseId,
        answers: answered.map((task, i) => ({
          key: task.key,
          deliveryId: task.deliveryId,
          statusCode: outcomes[i]!.statusCode === null ? null : neo4j.int(outcomes[i]!.statusCode!),
          durationMs: neo4j.int(outcomes[i]!.durationMs),
          error: outcomes[i]!.error,
        })),
        untried: untried.map((task) => ({
          key: task.key,
          deliveryId: task.deliveryId,
          attempts: neo4j.int(task.before?.attempts ?? 0),
          firstAt: task.before?.firstAt == null ? null : neo4j.int(task.before.firstAt),
          lastAttemptAt: task.before?.lastAttemptAt == null ? null : neo4j.int(task.before.lastAttemptAt),
          nextAt: neo4j.int(task.before?.nextAt ?? now),
        })),
        notSentError: NOT_SENT,
      });
      if (!recorded?.ours) return null; // another process took the webhook over after this lease ran out
      const error = failed === null ? null : outcomes.at(-1)!.error;
      let task: { key: string; firstAt: number | null } | undefined;
      if (failed !== null && failed.key === null) {
        // The first failure of an event read from the cursor: its task, due after the backoff of its first attempt.
        [task] = await tx.run<{ key: string; firstAt: number | null }>("webhooks/task-new", {
          webhookId: batch.webhookId,
          eventId: failed.event.id,
          attemptAt: neo4j.int(failed.firstAt),
          nextAt: neo4j.int(retryAt(1, failed.firstAt, failed.firstAt)),
          error,
        });
      }
      // Nothing answered (stopped before the first request): the claim's schedule stays (its retry).
      if (deliveredTo !== null || done.length > 0) {
        await tx.run("webhooks/delivered", {
          webhookId: batch.webhookId,
          keys: doneKeys,
          deliveredTo: deliveredTo === null ? null : neo4j.int(deliveredTo),
          succeeded: done.length > 0,
          now: neo4j.int(now),
        });
      }
      if (failed === null) return null;
      let failingSince = recorded.failingSince ?? failed.firstAt;
      if (done.length > 0) {
        // Successes before this failure ended the webhook's run of failures: a new one starts here.
        failingSince = now;
        await tx.run("webhooks/circuit-open", {
          webhookId: batch.webhookId,
          failures: neo4j.int(1),
          failingSince: neo4j.int(now),
          dueAt: neo4j.int(retryAt(1, now, now)),
        });
      }
      if (failed.key !== null) [task] = await tx.run<{ key: string; firstAt: number | null }>("webhooks/task-retry", { key: failed.key, error });
      const since = Math.min(task?.firstAt ?? failed.firstAt, failingSince);
      if (now < since + RETRY_WINDOW_MS) return null;
      return this.disable(tx, batch.webhookId, now, since, error);
    });
    if (disabled) await this.mailDisabled(disabled);
  }
}

/** What webhooks/fan-out-state reads. */
interface FanOutState {
  head: number;
  lastSeq: number | null;
  active: boolean;
}

function succeeded(outcome: Outcome): boolean {
  return outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
}

/** Neo4j's "the node or relationship was deleted" (a concurrent deleteWebhook; see goneRetried). */
function isEntityNotFound(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "Neo.ClientError.Statement.EntityNotFound";
}

/** The mail to each global admin of a disabled webhook's organisation (D-30). */
export function disabledMail(to: string, partnerName: string, webhook: WebhookRecord, firstAt: number, lastError: string | null) {
  return {
    to,
    subject: `Webhook disabled: ${webhook.url}`,
    text: [
      "Hello,",
      "",
      `The webhook ${webhook.url} of ${partnerName} (id ${webhook.id}) has been disabled: every attempt to deliver to it failed for 24 hours, from ${new Date(firstAt).toISOString()} on (D-30).`,
      `The last attempt: ${lastError ?? "no answer"}.`,
      "",
      "Events that happen from now on are not sent to it. Every attempt is listed by webhookDeliveries. Once the receiver answers again with a 2xx status, create the webhook again (createWebhook) and keep its new signing secret.",
      "",
      "CSP Channel",
    ].join("\n"),
  };
}

/** A failure as the delivery log shows it. */
function describe(error: unknown): string {
  if (error instanceof UrlRefused) return `refused before connecting: ${error.message}`;
  const err = error as NodeJS.ErrnoException;
  if (err?.name === "AbortError") return "cut short: the process delivering it was stopping";
  const text = err?.message ?? String(error);
  return (err?.code && !text.includes(err.code) ? `${err.code}: ${text}` : text).slice(0, 500);
}

/**
 * A POST with a deadline on the whole exchange (its connection, the answer's start and its body)
 * and no redirect following; resolves with the status code when the answer starts, and `finished`
 * when its body was read (or the exchange cut), so that the next request of a batch can go on the
 * same kept-alive connection. `agent`: the batch's (keep-alive, one socket); `lookup`: the URL
 * policy's, so every new connection goes only to the addresses just checked (D-30).
 */
function send(
  url: URL,
  body: string,
  headers: Record<string, string>,
  options: { agent: HttpAgent; lookup: ReturnType<UrlPolicy["lookupFor"]>; timeoutMs: number; signal: AbortSignal },
): Promise<{ statusCode: number; finished: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === "https:" ? httpsRequest : httpRequest)(url, {
      method: "POST",
      headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
      lookup: options.lookup,
      // The batch's connection, opened to an address just checked; never a pooled socket of another batch.
      agent: options.agent,
      signal: options.signal,
    });
    let finish!: () => void;
    const finished = new Promise<void>((done) => (finish = done));
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${options.timeoutMs / 1000} s`)), options.timeoutMs);
    timer.unref();
    const end = () => {
      clearTimeout(timer);
      finish();
    };
    request.on("error", (error) => {
      end();
      reject(error);
    });
    request.on("close", end);
    request.on("response", (response: IncomingMessage) => {
      let read = 0;
      response.on("data", (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_ANSWER_BYTES) response.destroy();
      });
      response.on("error", () => undefined);
      response.on("end", end);
      response.on("close", end);
      resolve({ statusCode: response.statusCode ?? 0, finished });
    });
    request.end(body);
  });
}
