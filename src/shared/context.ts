import type { Viewer } from "./auth/viewer.js";
import type { Clock } from "./clock.js";
import type { Config } from "./config.js";
import type { Mailer } from "./mail/mailer.js";
import type { RequestExecutor } from "./neo4j/executor.js";

/**
 * Per-request DataLoaders. Modules register their own loaders lazily under a key
 * (`loaders.get("customers", () => ...)`), so this shared layer never imports a module and a
 * request only builds the loaders it uses.
 */
export class LoaderRegistry {
  private readonly loaders = new Map<string, unknown>();

  get<T>(key: string, create: () => T): T {
    let loader = this.loaders.get(key) as T | undefined;
    if (loader === undefined) {
      loader = create();
      this.loaders.set(key, loader);
    }
    return loader;
  }
}

/**
 * Password guessing limits (src/app/rate-limit.ts): failed attempts per account and per client
 * address, and a bound on scrypt checks running at once. Refusals are RateLimitedError.
 */
export interface PasswordGuard {
  /**
   * One password attempt for `account` (a lower-case email) from `address`: refused before any
   * work when either is locked out; `check` answers null for a wrong password (counted against
   * both) or the signed-in value (the account's count is cleared).
   */
  attempt<T>(account: string, address: string, check: () => Promise<T | null>): Promise<T | null>;
  /** verifyPassword, at most a few at once per process; RateLimitedError when the queue is full. */
  verify(password: string, stored: string | null | undefined): Promise<boolean>;
  /** hashPassword (a new password: enrollment, changePassword) within the same bound. */
  hash(password: string): Promise<string>;
}

export interface Services {
  mailer: Mailer;
  /** The domain's time (src/shared/clock.ts); the system clock unless a test moves it. */
  clock: Clock;
  /** Made by startApp from the config when not given. */
  passwords?: PasswordGuard;
}

export interface Context {
  requestId: string;
  /** The client's address (Express `req.ip`: the socket's, or X-Forwarded-For's per TRUST_PROXY). */
  clientIp: string;
  config: Config;
  viewer: Viewer | null;
  executor: RequestExecutor;
  loaders: LoaderRegistry;
  /**
   * The domain's time of this request (`services.clock.now()`, taken once when the request's
   * context is built, epoch milliseconds). Every domain read of the request uses it (the state of
   * delegated admin relationships as read, D-25), so the read planned with the viewer query, the
   * loaders and the root lists all read at the same instant and agree. Writes take their own time
   * from the clock, before their transaction, as they always have.
   */
  now: number;
  /** Process-wide services, made by the composition root. */
  services: Services;
}
