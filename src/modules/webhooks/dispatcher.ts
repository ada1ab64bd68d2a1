import { randomUUID } from "node:crypto";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
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
import type { WebhookRecord } from "./webhook.type.js";
import { openSecret, signBody, webhookSealingKey } from "./signature.js";
import { UrlPolicy, UrlRefused, type Resolver } from "./url-policy.js";

/**
 * Webhook delivery (D-30), in the background of every API process (EventRuntime): never inside a
 * request, and a slow receiver holds one of WEBHOOK_CONCURRENCY slots, nothing else.
 *
 * Fan-out: the sequencer numbers committed events (`seq`); under the one WebhookCursor node's lock
 * (lock-first) a pass reads the cursor's `lastSeq`, waits for the EventSequence lock (so every
 * event numbered so far has committed), makes one WebhookTask per (event, webhook) for the events
 * after `lastSeq` (webhooks/fan-out: the organisations the event concerns, its type in the
 * webhook's `events`) and moves `lastSeq`, in one transaction: once per event, whichever process.
 * A pass runs when this process's sequencer numbered events (onSequenced) and every
 * WEBHOOK_POLL_MS (other processes' events), after one cheap read finds the cursor behind.
 *
 * Attempts, per webhook (fairness): `dueAt` on the Webhook says when it next has an attempt to make;
 * a poll seeks the webhooks due (not their tasks), longest waiting first, and a claim takes the
 * webhook's write lock first (lock-first), re-checks it is due and not leased, and makes its oldest
 * due task its ONE attempt in flight: the webhook's lease (`leaseUntil`, database clock,
 * WEBHOOK_TIMEOUT_MS + 50 s), the attempt number and its log entry. So each attempt is made by
 * exactly one process, and one organisation's dead receiver, however many webhooks and events it
 * has, holds at most one delivery slot per webhook. The claim schedules the attempt as if it
 * fails (the task's next attempt after its backoff, and the webhook's circuit: its other tasks wait
 * for its next retry, `dueAt`, with the backoff of its run of failures), so a dead receiver with k
 * pending events costs one attempt per backoff step, not k, and a process that dies mid-attempt
 * still moves the schedule. The POST happens after commit, in a slot claimed for it (never queued
 * behind others); its answer is recorded while the lease is still its own: a 2xx deletes the task
 * and closes the circuit (the webhook's next task is due at once, behind the webhooks waiting
 * longer: round robin); a failure 24 hours or more after the task's first attempt or the start of
 * the webhook's run of failures disables the webhook and mails the organisation's global admins;
 * so does a claim that finds the last attempt of the 24 hours never answered. A process that dies
 * mid-attempt leaves the lease to run out: the next attempt comes at the scheduled retry, from
 * whichever process (at least once; the dead one's entry reads as abandoned).
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
/** Claim rounds of runOnce at most (each claims at least one attempt, or it ends). */
const RUN_ONCE_ROUNDS = 1_000;
/** Bytes of an answer's body read (and dropped) before the connection is cut. */
const MAX_ANSWER_BYTES = 64 * 1024;

const PENDING = "no answer recorded yet (attempt in progress)";
const ABANDONED = "no answer recorded: the process making this attempt stopped (its lease ran out; the next attempt was made by another)";

interface Claimed {
  key: string;
  webhookId: string;
  deliveryId: string;
  attempt: number;
  firstAt: number;
  webhook: { id: string; url: string; secretSealed: string };
  event: ChannelEventRecord;
}

/** What webhooks/claim reads under the webhook's lock. */
interface ClaimState {
  key: string | null;
  taskDue: boolean | null;
  taskNextAt: number | null;
  deliverable: boolean;
  attempts: number;
  firstAt: number | null;
  taskLastAttemptAt: number | null;
  failures: number;
  failingSince: number | null;
  lastAttemptAt: number | null;
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
  /** Delivery slots taken: attempts in flight plus slots reserved by a claim round under way (at most WEBHOOK_CONCURRENCY). */
  private busy = 0;
  private slotWaiters: (() => void)[] = [];
  /** Passes after this process's events are numbered (kick), every WEBHOOK_POLL_MS, backoff while Neo4j is away. */
  private readonly loop: BackgroundLoop;
  private unlisten: (() => void) | undefined;

  constructor(private readonly deps: DispatcherDeps) {
    this.policy = new UrlPolicy({ production: deps.config.production, resolve: deps.resolve });
    this.log = deps.logger ?? defaultLogger;
    this.loop = new BackgroundLoop({ name: "webhooks", intervalMs: deps.config.webhooks.pollMs, logger: this.log, pass: () => this.pass() });
  }

  private get settings(): Config["webhooks"] {
    return this.deps.config.webhooks;
  }

  private get leaseMs(): number {
    return this.settings.timeoutMs + 50_000;
  }

  /** The background loop (WEBHOOK_DELIVERY): passes after this process's events are numbered, and every WEBHOOK_POLL_MS. */
  start(): void {
    if (this.loop.running || !this.settings.delivery) return;
    this.unlisten = this.deps.sequencer.onSequenced(() => this.kick());
    this.loop.start();
  }

  /** Stops the loop; attempts in flight are cut short (recorded as failed, retried later by whichever process). */
  async stop(): Promise<void> {
    this.unlisten?.();
    this.unlisten = undefined;
    await this.loop.stop();
    for (const controller of this.inFlight.values()) controller.abort();
    await Promise.allSettled([...this.inFlight.keys()]);
  }

  kick(): void {
    this.loop.kick();
  }

  /**
   * Everything due now, to the end: fans out every numbered event, then claims as many due
   * attempts as this process has free delivery slots (never more: a claimed attempt starts at
   * once, so its lease cannot run out while it waits), waits for their answers, and claims again
   * until none is due. For tests (after moving the clock) and scripts; the loop does the same
   * without waiting. `scope.partnerIds`: claims only those organisations' attempts (tests on the
   * shared database); default the loop's scope (WEBHOOK_ONLY_PARTNERS, unset: every webhook).
   */
  async runOnce(scope: WebhookScope = {}): Promise<{ tasks: number; attempts: number }> {
    const tasks = await this.fanOut();
    const partnerIds = scope.partnerIds ?? this.settings.onlyPartnerIds ?? null;
    let attempts = 0;
    for (let round = 0; round < RUN_ONCE_ROUNDS; round++) {
      const claimed = await this.claimFree(partnerIds);
      if (claimed === null) {
        // Every slot is taken by attempts of the loop: wait for one to free.
        await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
        continue;
      }
      if (claimed.length === 0) break;
      attempts += claimed.length;
      await Promise.all(claimed.map((task) => this.track(task)));
    }
    return { tasks, attempts };
  }

  /** One pass of the loop: fan-out, then as many due attempts as free slots, not awaited (a freed slot kicks the next pass). */
  private async pass(): Promise<void> {
    await this.fanOut();
    const claimed = await this.claimFree(this.settings.onlyPartnerIds ?? null);
    for (const task of claimed ?? []) void this.track(task);
  }

  /** Claims up to the free slots (reserved first, so runOnce and the loop never claim more than WEBHOOK_CONCURRENCY); null: none free. */
  private async claimFree(partnerIds: readonly string[] | null): Promise<Claimed[] | null> {
    const free = this.settings.concurrency - this.busy;
    if (free <= 0) return null;
    this.busy += free;
    let claimed: Claimed[] = [];
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

  /** Fans out every numbered event not yet fanned out (several transactions if many); the tasks made. */
  async fanOut(): Promise<number> {
    const requests = this.requests("webhooks:fan-out");
    let total = 0;
    for (let batch = 0; batch < 1_000; batch++) {
      const [state] = await requests.read<{ head: number; lastSeq: number | null }>("webhooks/fan-out-state");
      if (state && state.lastSeq !== null && state.head <= state.lastSeq) break;
      const moved = await requests.transaction("WRITE", async (tx) => {
        const [{ lastSeq }] = await tx.run<{ lastSeq: number }>("webhooks/cursor-lock");
        const [barrier] = await tx.run<{ head: number }>("webhooks/sequence-barrier");
        const head = barrier?.head ?? 0;
        if (head <= lastSeq) return { tasks: 0, more: false };
        const to = Math.min(head, lastSeq + FAN_OUT_BATCH);
        const [{ tasks }] = await tx.run<{ tasks: number }>("webhooks/fan-out", {
          from: neo4j.int(lastSeq),
          to: neo4j.int(to),
          now: neo4j.int(this.deps.services.clock.now()),
        });
        await tx.run("webhooks/cursor-advance", { to: neo4j.int(to) });
        return { tasks, more: to < head };
      });
      total += moved.tasks;
      if (!moved.more) break;
    }
    return total;
  }

  /**
   * Claims up to `limit` attempts, at most one per webhook (each in its own transaction: the
   * webhook's lock, re-check, lease). More webhooks are read than wanted: those at the head of the
   * index may be claimed by another process between the read and the claim. `partnerIds`: only
   * those organisations' webhooks (WebhookScope).
   */
  private async claimDue(limit: number, partnerIds: readonly string[] | null = null): Promise<Claimed[]> {
    const requests = this.requests("webhooks:claim");
    const params = { now: neo4j.int(this.deps.services.clock.now()), limit: neo4j.int(Math.max(limit * 2, 16)) };
    const due = partnerIds
      ? await requests.read<{ webhookId: string }>("webhooks/due-of-partners", { ...params, partnerIds: [...partnerIds] })
      : await requests.read<{ webhookId: string }>("webhooks/due", params);
    const claimed: Claimed[] = [];
    for (const { webhookId } of due) {
      if (claimed.length >= limit) break;
      const task = await this.claim(requests, webhookId);
      if (task) claimed.push(task);
    }
    return claimed;
  }

  /**
   * One claim (D-30): under the webhook's lock, its oldest due task becomes its one attempt in
   * flight, scheduled as if it fails: the task's next attempt after its backoff, the webhook's
   * circuit (no other task of it before its retry: a dead receiver costs one attempt per backoff
   * step, however many events wait). When the webhook's last attempt was its last one (24 hours
   * into a run of failures) and no answer was ever recorded, the webhook is disabled here.
   */
  private async claim(requests: RequestExecutor, webhookId: string): Promise<Claimed | null> {
    const result = await requests.transaction("WRITE", async (tx): Promise<Claimed | Disabled | null> => {
      const [locked] = await tx.run("webhooks/claim-lock", { webhookId });
      if (!locked) return null;
      const now = this.deps.services.clock.now();
      const [state] = await tx.run<ClaimState>("webhooks/claim", { webhookId, now: neo4j.int(now) });
      if (!state) return null; // another process holds it, or it is not due any more
      if (state.key === null || !state.taskDue) {
        await tx.run("webhooks/claim-idle", { webhookId, dueAt: state.taskNextAt === null ? null : neo4j.int(state.taskNextAt) });
        return null;
      }
      // The last attempt of a window was made and its answer never recorded (its process stopped): the 24 hours are over.
      const webhookWindowOver = state.failingSince !== null && state.lastAttemptAt !== null && state.lastAttemptAt >= state.failingSince + RETRY_WINDOW_MS;
      const taskWindowOver = state.firstAt !== null && state.taskLastAttemptAt !== null && state.taskLastAttemptAt >= state.firstAt + RETRY_WINDOW_MS;
      if (webhookWindowOver || taskWindowOver) {
        const since = Math.min(state.failingSince ?? now, state.firstAt ?? now);
        return this.disable(tx, webhookId, now, since, "no answer recorded (the process making it stopped)");
      }
      if (!state.deliverable) {
        await tx.run("webhooks/drop-task", { key: state.key });
        return null;
      }
      const attempt = state.attempts + 1;
      const firstAt = state.firstAt ?? now;
      const failures = state.failures + 1;
      const failingSince = state.failingSince ?? now;
      const deliveryId = newId("WebhookDelivery");
      const [started] = await tx.run<Pick<Claimed, "attempt" | "firstAt" | "webhook" | "event">>("webhooks/start-attempt", {
        webhookId,
        key: state.key,
        now: neo4j.int(now),
        taskNextAt: neo4j.int(retryAt(attempt, now, firstAt)),
        failures: neo4j.int(failures),
        failingSince: neo4j.int(failingSince),
        dueAt: neo4j.int(retryAt(failures, now, failingSince)),
        leaseMs: neo4j.int(this.leaseMs),
        holder: this.holder,
        deliveryId,
        pendingError: PENDING,
        abandonedError: ABANDONED,
      });
      return started ? { ...started, key: state.key, webhookId, deliveryId } : null;
    });
    if (result === null) return null;
    if ("deliveryId" in result) return result;
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

  /** Runs one claimed attempt in its slot (taken by the claim), tracked so stop() can cut it short. */
  private track(task: Claimed): Promise<void> {
    const controller = new AbortController();
    const run = this.attempt(task, controller.signal)
      .catch((error: unknown) => this.log.warn({ err: error, task: task.key }, "webhooks: recording an attempt failed"))
      .finally(() => {
        this.inFlight.delete(run);
        this.release(1);
        this.kick();
      });
    this.inFlight.set(run, controller);
    return run;
  }

  /** One attempt: checks the URL again, POSTs the signed event, records the answer and what comes next. */
  private async attempt(task: Claimed, signal: AbortSignal): Promise<void> {
    const outcome = await this.post(task, signal);
    await this.finish(task, outcome);
  }

  private async post(task: Claimed, signal: AbortSignal): Promise<Outcome> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const secret = openSecret(webhookSealingKey(this.deps.config), task.webhook.id, task.webhook.secretSealed);
      const url = this.policy.parse(task.webhook.url);
      const body = JSON.stringify(payloadOf(task.event, task.webhook.id));
      const statusCode = await send(url, body, {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "x-channel-event-id": task.event.id,
        "x-channel-event-type": task.event.type,
        "x-channel-delivery-id": task.deliveryId,
        "x-channel-delivery-attempt": String(task.attempt),
        "x-channel-signature": signBody(secret, body),
      }, { lookup: this.policy.lookupFor(url), timeoutMs: this.settings.timeoutMs, signal });
      const ok = statusCode >= 200 && statusCode < 300;
      return {
        statusCode,
        durationMs: elapsed(),
        error: ok ? null : statusCode >= 300 && statusCode < 400 ? `HTTP ${statusCode}: redirects are not followed (D-30)` : `HTTP ${statusCode}: not a 2xx answer`,
      };
    } catch (error) {
      if (error instanceof UrlRefused) {
        // The details (the addresses, which range) for the operator only; the log the organisation reads says D-30.
        this.log.warn({ webhookId: task.webhook.id, delivery: task.deliveryId, detail: error.detail }, "webhooks: URL refused at delivery (D-30)");
      }
      return { statusCode: null, durationMs: elapsed(), error: describe(error) };
    }
  }

  /**
   * Records the answer under the webhook's lock, while its lease is still this attempt's: a 2xx
   * deletes the task and closes the circuit; a failure keeps the schedule the claim set, or, at or
   * after 24 hours from the task's first attempt or from the start of the webhook's run of failures,
   * disables the webhook and mails its organisation's global admins (after commit).
   */
  private async finish(task: Claimed, outcome: Outcome): Promise<void> {
    const now = this.deps.services.clock.now();
    const success = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
    const requests = this.requests("webhooks:record");
    const disabled = await requests.transaction("WRITE", async (tx) => {
      const [locked] = await tx.run("webhooks/finish-lock", { webhookId: task.webhookId });
      if (!locked) return null; // the webhook was deleted
      const [recorded] = await tx.run<{ ours: boolean; task: boolean; firstAt: number | null; failingSince: number | null }>("webhooks/record-attempt", {
        webhookId: task.webhookId,
        key: task.key,
        deliveryId: task.deliveryId,
        statusCode: outcome.statusCode === null ? null : neo4j.int(outcome.statusCode),
        durationMs: neo4j.int(outcome.durationMs),
        error: outcome.error,
      });
      if (!recorded?.ours) return null; // another process took the webhook over after this lease ran out
      if (success) {
        await tx.run("webhooks/task-done", { webhookId: task.webhookId, key: task.key, now: neo4j.int(now) });
        return null;
      }
      if (recorded.task) await tx.run("webhooks/task-retry", { key: task.key, error: outcome.error });
      const since = Math.min(recorded.firstAt ?? task.firstAt, recorded.failingSince ?? task.firstAt);
      if (now < since + RETRY_WINDOW_MS) return null;
      return this.disable(tx, task.webhookId, now, since, outcome.error);
    });
    if (disabled) await this.mailDisabled(disabled);
  }
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

/** A POST with a deadline on the whole exchange and no redirect following; resolves with the status code. */
function send(
  url: URL,
  body: string,
  headers: Record<string, string>,
  options: { lookup: ReturnType<UrlPolicy["lookupFor"]>; timeoutMs: number; signal: AbortSignal },
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const request = (url.protocol === "https:" ? httpsRequest : httpRequest)(url, {
      method: "POST",
      headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
      lookup: options.lookup,
      // One connection per attempt, to the address just checked: no pooled socket to an address checked earlier.
      agent: false,
      signal: options.signal,
    });
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${options.timeoutMs / 1000} s`)), options.timeoutMs);
    timer.unref();
    request.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.on("response", (response: IncomingMessage) => {
      let read = 0;
      response.on("data", (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_ANSWER_BYTES) response.destroy();
      });
      response.on("error", () => undefined);
      response.on("close", () => clearTimeout(timer));
      resolve(response.statusCode ?? 0);
    });
    request.end(body);
  });
}
