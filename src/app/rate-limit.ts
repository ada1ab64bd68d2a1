import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import pLimit, { type LimitFunction } from "p-limit";
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { bearerToken, verifyToken } from "../shared/auth/jwt.js";
import { hashPassword, verifyPassword } from "../shared/auth/password.js";
import type { Config } from "../shared/config.js";
import type { PasswordGuard } from "../shared/context.js";
import { RateLimitedError } from "../shared/errors.js";
import { logger } from "../shared/logger.js";
import { sendGraphQLError } from "./http-errors.js";

/**
 * Rate limits (issue 10, point 3), with rate-limiter-flexible:
 * - every caller's request rate on /graphql (`requests`, an Express middleware mounted before the
 *   body is read): the signed-in user when the bearer token verifies, else the client address;
 * - failed password attempts per account email and per client address (`passwords.attempt`),
 *   for signIn and changePassword;
 * - password checks and hashes (scrypt, 32 MiB and ~0.1 s of CPU each) running at once in this
 *   process (`passwords.verify` and `passwords.hash`, p-limit with a bounded queue).
 * Every refusal is RATE_LIMITED, HTTP 429, `Retry-After` and `extensions.retryAfter` (seconds).
 *
 * The counters live in this process's memory (RateLimiterMemory). Several API processes each
 * count on their own: pass `store` to count in a shared store instead (rate-limiter-flexible's
 * RateLimiterRedis, RateLimiterPostgres, ...; it has no Neo4j store).
 */

/** Makes one limiter; the default keeps its counters in this process's memory. */
export type LimiterStore = (options: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract;

const memoryStore: LimiterStore = (options) => new RateLimiterMemory(options);

export interface RateLimits {
  /** Mount on /graphql before any body parsing. */
  requests: RequestHandler;
  /**
   * Charges one request to a signed-in user's request-rate bucket (the one `requests` charges for
   * that user's HTTP requests): each live subscribe message (src/app/subscriptions.ts). Throws
   * RateLimitedError when the user is over the limit.
   */
  chargeUser(userId: string): Promise<void>;
  passwords: PasswordGuard;
}

/**
 * Password checks (scrypt) of this process, across every guard: running now, the most seen at once
 * and started since `reset()`, and turned away because the queue was full.
 */
export const passwordCheckGauge = {
  active: 0,
  maxActive: 0,
  started: 0,
  refused: 0,
  reset(): void {
    this.maxActive = this.active;
    this.started = 0;
    this.refused = 0;
  },
};

async function observed<T>(work: () => Promise<T>): Promise<T> {
  passwordCheckGauge.started++;
  passwordCheckGauge.active++;
  passwordCheckGauge.maxActive = Math.max(passwordCheckGauge.maxActive, passwordCheckGauge.active);
  try {
    return await work();
  } finally {
    passwordCheckGauge.active--;
  }
}

/** The client's address: Express's `req.ip` (per "trust proxy", TRUST_PROXY), else the socket's. */
export function clientAddress(req: IncomingMessage): string {
  return (req as IncomingMessage & { ip?: string }).ip ?? req.socket.remoteAddress ?? "unknown";
}

/** An email is at most 254 characters (RFC 5321); a longer "account" is kept as its hash, not its text. */
function accountKey(account: string): string {
  return account.length <= 254 ? account : `sha256:${createHash("sha256").update(account).digest("base64url")}`;
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * The limits of `config.rateLimit`, each with its own counters. `passwords` replaces the password
 * guard (tests, or one shared by several apps of a process).
 */
export function createRateLimits(config: Config, options: { store?: LimiterStore; passwords?: PasswordGuard } = {}): RateLimits {
  const settings = config.rateLimit;
  if (!settings.enabled) {
    return {
      requests: (_req, _res, next) => next(),
      chargeUser: async () => undefined,
      passwords: options.passwords ?? unlimitedPasswords,
    };
  }
  const store = options.store ?? memoryStore;
  const requests = store({ keyPrefix: "rl-requests", points: settings.requestsPerMinute, duration: 60 });
  return {
    requests: requestRateLimit(requests, config),
    chargeUser: (userId) => chargeUser(requests, config, userId),
    passwords:
      options.passwords ??
      new LimitedPasswordGuard(
        store({ keyPrefix: "rl-signin-account", points: settings.signInMaxFailures, duration: settings.signInWindowSeconds }),
        store({ keyPrefix: "rl-signin-address", points: settings.signInMaxFailuresPerAddress, duration: settings.signInWindowSeconds }),
        pLimit(settings.passwordCheckConcurrency),
        settings.passwordCheckQueue,
      ),
  };
}

const unlimitedPasswords: PasswordGuard = {
  attempt: (_account, _address, check) => check(),
  verify: (password, stored) => observed(() => verifyPassword(password, stored)),
  hash: (password) => observed(() => hashPassword(password)),
};

/**
 * The caller of a request, in O(size of the Authorization header) and before the body is read:
 * `user:<id>` when the bearer token verifies (jose's HMAC, then the verified-token cache of
 * jwt.ts), else `address:<client address>`. A bad or expired token counts against its address
 * (and the request is refused as UNAUTHENTICATED later, in the context).
 */
async function callerKey(req: Request, config: Config): Promise<string> {
  if (req.headers.authorization) {
    try {
      const token = bearerToken(req.headers.authorization);
      if (token) return `user:${(await verifyToken(token, config.jwtSecret)).userId}`;
    } catch {
      // not a valid token: the address is the caller
    }
  }
  return `address:${clientAddress(req)}`;
}

/** A GraphQL JSON response for a refusal made before Apollo sees the request. */
function refuse(res: Response, retryAfter: number, message: string): void {
  sendGraphQLError(res, 429, "RATE_LIMITED", message, { retryAfter }, { "Retry-After": String(retryAfter), "Cache-Control": "no-store" });
}

function requestRateLimit(limiter: RateLimiterAbstract, config: Config): RequestHandler {
  const perMinute = config.rateLimit.requestsPerMinute;
  return (req: Request, res: Response, next: NextFunction) => {
    callerKey(req, config)
      .then((key) => limiter.consume(key))
      .then(
        () => next(),
        (rejection: unknown) => {
          if (rejection instanceof RateLimiterRes) {
            const retryAfter = seconds(rejection.msBeforeNext);
            refuse(res, retryAfter, `Too many requests: at most ${perMinute} a minute per caller; try again in ${retryAfter} s.`);
            return;
          }
          // A shared store that fails (say, Redis down) does not take the API down with it.
          logger.warn({ err: rejection }, "request rate limiter unavailable; request let through");
          next();
        },
      );
  };
}

async function chargeUser(limiter: RateLimiterAbstract, config: Config, userId: string): Promise<void> {
  try {
    await limiter.consume(`user:${userId}`);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      const retryAfter = seconds(rejection.msBeforeNext);
      throw new RateLimitedError(`Too many requests: at most ${config.rateLimit.requestsPerMinute} a minute per caller (subscribe messages count); try again in ${retryAfter} s.`, retryAfter);
    }
    // As for HTTP requests: a failing shared store lets the request through.
    logger.warn({ err: rejection }, "request rate limiter unavailable; subscribe let through");
  }
}

/**
 * Failed password attempts per account and per address, counted in fixed windows of
 * `signInWindowSeconds` that start at an account's (an address's) first counted attempt.
 * An attempt takes one point from both counters before any work (so concurrent guesses cannot
 * overshoot the limit: exactly `signInMaxFailures` checks per window), and gives them back when it
 * was refused by the other counter, failed for another reason (Neo4j) or succeeded: a success
 * clears the account's count but only returns its own point to the address, so signing in to
 * one's own account does not hide guesses against others from the same address.
 */
class LimitedPasswordGuard implements PasswordGuard {
  constructor(
    private readonly accounts: RateLimiterAbstract,
    private readonly addresses: RateLimiterAbstract,
    private readonly checks: LimitFunction,
    private readonly queue: number,
  ) {}

  async attempt<T>(email: string, address: string, check: () => Promise<T | null>): Promise<T | null> {
    // A full queue refuses at once, before any counting or database read (verify checks again).
    if (this.queueFull()) throw this.busy();
    const account = accountKey(email);
    const [byAccount, byAddress] = await Promise.allSettled([this.accounts.consume(account), this.addresses.consume(address)]);
    if (byAccount.status === "rejected" || byAddress.status === "rejected") {
      // Give back the point of the counter that let the attempt through; the other is over its
      // limit already, and its window ends as it would have.
      await Promise.all([
        byAccount.status === "fulfilled" ? this.accounts.reward(account) : null,
        byAddress.status === "fulfilled" ? this.addresses.reward(address) : null,
      ]);
      throw this.refusal(byAccount, byAddress);
    }
    let value: T | null;
    try {
      value = await check();
    } catch (error) {
      await Promise.all([this.accounts.reward(account), this.addresses.reward(address)]);
      throw error;
    }
    if (value !== null) await Promise.all([this.accounts.delete(account), this.addresses.reward(address)]);
    return value;
  }

  private refusal(byAccount: PromiseSettledResult<RateLimiterRes>, byAddress: PromiseSettledResult<RateLimiterRes>): Error {
    for (const settled of [byAccount, byAddress]) {
      if (settled.status === "rejected" && !(settled.reason instanceof RateLimiterRes)) return settled.reason as Error;
    }
    const wait = (settled: PromiseSettledResult<RateLimiterRes>) =>
      settled.status === "rejected" ? seconds((settled.reason as RateLimiterRes).msBeforeNext) : 0;
    const retryAfter = Math.max(wait(byAccount), wait(byAddress));
    const what = byAccount.status === "rejected" ? "for this email" : "from this address";
    return new RateLimitedError(`Too many failed sign-ins ${what}; try again in ${retryAfter} s.`, retryAfter);
  }

  verify(password: string, stored: string | null | undefined): Promise<boolean> {
    if (this.queueFull()) return Promise.reject(this.busy());
    return this.checks(() => observed(() => verifyPassword(password, stored)));
  }

  hash(password: string): Promise<string> {
    if (this.queueFull()) return Promise.reject(this.busy());
    return this.checks(() => observed(() => hashPassword(password)));
  }

  private queueFull(): boolean {
    return this.checks.activeCount + this.checks.pendingCount >= this.checks.concurrency + this.queue;
  }

  private busy(): RateLimitedError {
    passwordCheckGauge.refused++;
    return new RateLimitedError("Too many password checks at once; try again in a second.", 1);
  }
}
