import { randomUUID } from "node:crypto";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { hostname } from "node:os";
import neo4j from "neo4j-driver";
import pLimit from "p-limit";
import { recordAudit } from "../../shared/audit.js";
import { CAPABILITIES } from "../../shared/auth/capabilities.js";
import type { Config } from "../../shared/config.js";
import type { Services } from "../../shared/context.js";
import { newId } from "../../shared/ids.js";
import { logger as defaultLogger, type Logger } from "../../shared/logger.js";
import { sendAfterCommit } from "../../shared/mail/mailer.js";
import type { Executor, RequestExecutor } from "../../shared/neo4j/executor.js";
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
 * Attempts: a due task (`nextAt` <= now, the domain clock) is claimed in a transaction whose first
 * statement takes the task's write lock and whose second re-checks it is due and not leased; the
 * claim sets the lease (`leaseUntil`, database clock, WEBHOOK_TIMEOUT_MS + 50 s), the attempt
 * number and the attempt's log entry. So each attempt is made by exactly one process. The POST
 * happens after commit; its answer is recorded, and a failure schedules the next attempt (see
 * nextAttemptAt) or, 24 hours after the first, disables the webhook and mails the organisation's
 * global admins. A process that dies mid-attempt leaves the lease to run out: another process
 * then makes the next attempt (at least once; the dead one's entry reads as abandoned).
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
/** Due tasks read per claim round of runOnce. */
const RUN_ONCE_BATCH = 100;
/** Bytes of an answer's body read (and dropped) before the connection is cut. */
const MAX_ANSWER_BYTES = 64 * 1024;

const PENDING = "no answer recorded yet (attempt in progress)";
const ABANDONED = "no answer recorded: the process making this attempt stopped (its lease ran out; the next attempt was made by another)";

interface Claimed {
  key: string;
  deliveryId: string;
  attempt: number;
  firstAt: number;
  webhook: { id: string; url: string; secretSealed: string };
  event: ChannelEventRecord;
}

interface Outcome {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
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

export class WebhookDispatcher {
  /** The delivery-time URL check (D-30): replaceable by tests (a lookup that answers a private address). */
  policy: UrlPolicy;
  /** This process, as leases name it. */
  readonly holder = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  private readonly log: Logger;
  private readonly limit;
  private readonly inFlight = new Map<Promise<void>, AbortController>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private unlisten: (() => void) | undefined;
  private failures = 0;

  constructor(private readonly deps: DispatcherDeps) {
    this.policy = new UrlPolicy({ production: deps.config.production, resolve: deps.resolve });
    this.log = deps.logger ?? defaultLogger;
    this.limit = pLimit(deps.config.webhooks.concurrency);
  }

  private get settings(): Config["webhooks"] {
    return this.deps.config.webhooks;
  }

  private get leaseMs(): number {
    return this.settings.timeoutMs + 50_000;
  }

  /** The background loop (WEBHOOK_DELIVERY): passes after this process's events are numbered, and every WEBHOOK_POLL_MS. */
  start(): void {
    if (!this.stopped || !this.settings.delivery) return;
    this.stopped = false;
    this.unlisten = this.deps.sequencer.onSequenced(() => this.kick());
    this.schedule(this.settings.pollMs);
  }

  /** Stops the loop; attempts in flight are cut short (recorded as failed, retried later by whichever process). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unlisten?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
    for (const controller of this.inFlight.values()) controller.abort();
    await Promise.allSettled([...this.inFlight.keys()]);
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /**
   * Everything due now, to the end: fans out every numbered event, then claims and makes every due
   * attempt, waiting for their answers (rounds until none is due). For tests (after moving the
   * clock) and scripts; the loop does the same without waiting.
   */
  async runOnce(): Promise<{ tasks: number; attempts: number }> {
    const tasks = await this.fanOut();
    let attempts = 0;
    for (let round = 0; round < 20; round++) {
      const claimed = await this.claimDue(RUN_ONCE_BATCH);
      if (claimed.length === 0) break;
      attempts += claimed.length;
      await Promise.all(claimed.map((task) => this.track(task)));
    }
    return { tasks, attempts };
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    if (this.stopped || this.running) return;
    this.again = false;
    const pass = this.pass().then(
      () => {
        this.failures = 0;
      },
      (error: unknown) => {
        this.failures += 1;
        // Neo4j away: the first failure of a run of them is logged; the loop keeps trying.
        if (this.failures === 1) this.log.warn({ err: error }, "webhooks: pass failed");
      },
    );
    this.running = pass;
    await pass;
    this.running = null;
    this.schedule(this.again ? 0 : this.settings.pollMs);
  }

  /** One pass of the loop: fan-out, then as many due attempts as free slots, not awaited. */
  private async pass(): Promise<void> {
    await this.fanOut();
    const free = this.settings.concurrency - this.inFlight.size;
    if (free <= 0) return;
    const claimed = await this.claimDue(free);
    for (const task of claimed) void this.track(task);
    // A full batch: more may be due; the next pass comes when a slot frees (track) or at the poll.
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
   * Claims up to `limit` due tasks (each in its own transaction: lock, re-check, lease). More are
   * read than wanted: those at the head of the index may be another process's, claimed between
   * the read and the claim.
   */
  private async claimDue(limit: number): Promise<Claimed[]> {
    const requests = this.requests("webhooks:claim");
    const due = await requests.read<{ key: string }>("webhooks/due", {
      now: neo4j.int(this.deps.services.clock.now()),
      limit: neo4j.int(Math.max(limit * 2, 16)),
    });
    const claimed: Claimed[] = [];
    for (const { key } of due) {
      if (claimed.length >= limit) break;
      const task = await this.claim(requests, key);
      if (task) claimed.push(task);
    }
    return claimed;
  }

  private claim(requests: RequestExecutor, key: string): Promise<Claimed | null> {
    return requests.transaction("WRITE", async (tx) => {
      const [locked] = await tx.run("webhooks/claim-lock", { key });
      if (!locked) return null;
      const now = neo4j.int(this.deps.services.clock.now());
      const [check] = await tx.run<{ deliverable: boolean }>("webhooks/claim", { key, now });
      if (!check) return null; // another process holds it, or it is not due any more
      if (!check.deliverable) {
        await tx.run("webhooks/drop-task", { key });
        return null;
      }
      const deliveryId = newId("WebhookDelivery");
      const [started] = await tx.run<Omit<Claimed, "key" | "deliveryId">>("webhooks/start-attempt", {
        key,
        now,
        leaseMs: neo4j.int(this.leaseMs),
        holder: this.holder,
        deliveryId,
        pendingError: PENDING,
        abandonedError: ABANDONED,
      });
      return started ? { ...started, key, deliveryId } : null;
    });
  }

  /** Runs one claimed attempt within the concurrency limit, tracked so stop() can cut it short. */
  private track(task: Claimed): Promise<void> {
    const controller = new AbortController();
    const run = this.limit(() => this.attempt(task, controller.signal))
      .catch((error: unknown) => this.log.warn({ err: error, task: task.key }, "webhooks: recording an attempt failed"))
      .finally(() => {
        this.inFlight.delete(run);
        if (!this.stopped) this.kick();
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
      return { statusCode: null, durationMs: elapsed(), error: describe(error) };
    }
  }

  private async finish(task: Claimed, outcome: Outcome): Promise<void> {
    const now = this.deps.services.clock.now();
    const success = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
    const requests = this.requests("webhooks:record");
    const disabled = await requests.transaction("WRITE", async (tx) => {
      await tx.run("webhooks/finish-lock", { key: task.key });
      const [recorded] = await tx.run<{ ours: boolean }>("webhooks/record-attempt", {
        key: task.key,
        deliveryId: task.deliveryId,
        holder: this.holder,
        attempt: neo4j.int(task.attempt),
        statusCode: outcome.statusCode === null ? null : neo4j.int(outcome.statusCode),
        durationMs: neo4j.int(outcome.durationMs),
        error: outcome.error,
      });
      if (!recorded?.ours) return null; // the webhook was deleted, or another process took the task over
      if (success) {
        await tx.run("webhooks/task-done", { key: task.key });
        return null;
      }
      const next = nextAttemptAt(task.attempt, now, task.firstAt);
      if (next !== null) {
        await tx.run("webhooks/task-retry", { key: task.key, nextAt: neo4j.int(next), error: outcome.error });
        return null;
      }
      await tx.run("webhooks/disable-lock", { webhookId: task.webhook.id });
      const [row] = await tx.run<{ webhook: WebhookRecord; partnerId: string; partnerName: string; admins: string[] }>("webhooks/disable", {
        webhookId: task.webhook.id,
        now: neo4j.int(now),
        reason: `Deliveries failed for 24 hours from ${new Date(task.firstAt).toISOString()} (D-30); the last attempt: ${outcome.error}.`,
        adminRoles: [...CAPABILITIES.C18.adminRoles],
      });
      if (!row) return null; // disabled by another task's last attempt
      await recordAudit(tx, { operation: "disableWebhook", viewer: null, partnerId: row.partnerId, targetIds: [task.webhook.id] });
      return row;
    });
    if (!disabled) return;
    for (const to of disabled.admins) {
      await sendAfterCommit(this.deps.services.mailer, disabledMail(to, disabled.partnerName, disabled.webhook, task.firstAt, outcome.error));
    }
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
  if (error instanceof UrlRefused) return `refused before connecting: the URL ${error.message}`;
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
