import { LRUCache } from "lru-cache";
import neo4j, {
  ManagedTransaction,
  Neo4jError,
  type BookmarkManager,
  type Driver,
  type Record as Neo4jRecord,
  type Session,
} from "neo4j-driver";
import { ConflictError, ConsistencyUnavailableError, ServiceUnavailableError } from "../errors.js";
import { cypher } from "./queries.js";

export type Params = Record<string, unknown>;
export type AccessMode = "READ" | "WRITE";

export interface ExecutorOptions {
  database: string;
  /** Transaction timeout of every statement (a request's own are cut to its time budget). */
  timeoutMs: number;
  /**
   * How long one request keeps trying to reach Neo4j when it is unreachable (refused, closed,
   * starting, no pooled connection in time) before SERVICE_UNAVAILABLE. Default 2,000 ms; the
   * driver's connection acquisition timeout is the same (createDriver in src/app/database.ts).
   */
  unreachableMs?: number;
  /**
   * Issue 15: the bookmark manager every session of this executor uses, so that in one process a
   * read sees every write committed before it, on a cluster too. Default: the driver's own
   * (`driver.executeQueryBookmarkManager`), so `driver.executeQuery` in the same process (tests,
   * scripts) joins the same causal chain.
   */
  bookmarkManager?: BookmarkManager;
}

/** Issue 15: what one unit of work adds to the process's causal chain. */
export interface UnitOptions {
  /** Bookmarks it must see beyond the process's own (a request's X-Consistency-Token). */
  bookmarks?: readonly string[];
  /** Told the bookmarks of the transaction once it has committed (`session.lastBookmarks()`). */
  committed?: (bookmarks: string[]) => void;
}

/** What a request tells the database about itself: shows up in `SHOW TRANSACTIONS` and query logs. */
export interface TxMetadata {
  app: "csp-channel-api";
  requestId?: string;
  userId?: string;
  operation?: string;
}

/**
 * Told about every transaction this executor runs (an auto-commit read counts as one), once it
 * has ended: its access mode and how long it took from opening its session (so waiting for a
 * pooled connection is included) to its end, per attempt (a retried statement is several).
 * For metrics (src/app/metrics.ts); it must not throw.
 */
export interface ExecutorObserver {
  transactionEnded(mode: AccessMode, seconds: number): void;
}

/** What one request may still spend on the database, shared by all its statements. */
export interface StatementBudget {
  /** Epoch ms: no statement starts after it, and each one's transaction timeout ends by it. */
  deadline?: number;
  /** Epoch ms when the request last found Neo4j unreachable (set here): it retries for unreachableMs from then. */
  unreachableSince?: number;
}

/**
 * The retry policy of every statement and transaction (the driver's own, with its 1 s first
 * backoff and 10-30 s budget, is not used): a transient error (a deadlock, a lock wait cut short)
 * is tried again up to MAX_ATTEMPTS in all after a short jittered backoff; Neo4j being
 * unreachable only while the request has been failing to reach it for less than unreachableMs;
 * never past the request's deadline; nothing else. Only failures where the transaction did not
 * commit, or (a connection lost during COMMIT) may have, are retried, which is why all work must
 * be idempotent, as with the driver's managed transactions.
 */
const MAX_ATTEMPTS = 10;
const FIRST_BACKOFF_MS = 50;
const MAX_BACKOFF_MS = 1_000;
const DEFAULT_UNREACHABLE_MS = 2_000;

/** `attempt` failed: wait about 50, 100, 200, 400, 800, then 1,000 ms (each times 0.5-1.5). */
function backoffMs(attempt: number): number {
  return Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (attempt - 1)) * (0.5 + Math.random());
}

/** The request's time budget ran out before one of its statements could start. */
export function budgetExhausted(): ServiceUnavailableError {
  return new ServiceUnavailableError(
    "The request ran out of its time budget (REQUEST_BUDGET_MS) before its next database statement; try again or ask for less.",
  );
}

/**
 * The one place that talks to Neo4j: opens a session per unit of work, runs a single read as an
 * auto-commit transaction and anything else as one explicit transaction, both under the retry
 * policy above (so callbacks must be idempotent), closes the session in `finally`, tags the
 * transaction, and maps Neo4j error codes (never message text, but for the driver's one codeless
 * error) to domain errors. Each request gets a scoped executor that counts the queries it runs
 * (the N+1 tests and the benchmark see query counts) and carries its time budget.
 *
 * Nothing here abandons a running transaction on a timer: a request's deadline only shortens
 * the transaction timeout Neo4j itself enforces (it rolls the transaction back), and decides
 * whether another attempt starts. So a write answered SERVICE_UNAVAILABLE has not committed
 * and will not commit later (unless the connection was lost during its COMMIT, which no client
 * can tell apart).
 */
export class Executor {
  private readonly unreachableMs: number;
  private readonly observers = new Set<ExecutorObserver>();
  /**
   * Sessions open right now: each holds a pooled connection or waits for one, so this is the
   * pool's use as this process sees it (neo4j-driver has no public pool statistics).
   */
  sessionsInUse = 0;

  /** Issue 15: passed to every session this executor opens (see ExecutorOptions.bookmarkManager). */
  readonly bookmarkManager: BookmarkManager;
  /**
   * Bookmarks this process's manager has held (its committed writes', and tokens it has caught up
   * with): a request whose X-Consistency-Token names only these needs no catch-up read, since
   * every session sends the manager's bookmarks, which are at least as fresh. Bounded (LRU).
   */
  private readonly knownBookmarks = new LRUCache<string, true>({ max: 1_024 });

  constructor(
    readonly driver: Driver,
    private readonly options: ExecutorOptions,
  ) {
    this.unreachableMs = options.unreachableMs ?? DEFAULT_UNREACHABLE_MS;
    this.bookmarkManager = options.bookmarkManager ?? driver.executeQueryBookmarkManager;
  }

  /** Adds an observer; returns the function that removes it. */
  observe(observer: ExecutorObserver): () => void {
    this.observers.add(observer);
    return () => void this.observers.delete(observer);
  }

  private readonly eventListeners = new Set<() => void>();

  /**
   * Called after every committed transaction that wrote channel events (`Tx.wroteEvents`, D-28):
   * the event sequencer listens, so a change reaches this process's subscribers without waiting
   * for its next poll. Returns the function that removes the listener.
   */
  onEventsCommitted(listener: () => void): () => void {
    this.eventListeners.add(listener);
    return () => void this.eventListeners.delete(listener);
  }

  /** Tells the listeners of onEventsCommitted (a listener's failure is its own). */
  eventsCommitted(): void {
    for (const listener of this.eventListeners) {
      try {
        listener();
      } catch {
        // a listener only schedules work; nothing to undo here
      }
    }
  }

  /** `deadline` (epoch ms): the request's time budget; no statement starts after it. */
  forRequest(meta: Omit<TxMetadata, "app"> & { deadline?: number } = {}): RequestExecutor {
    const { deadline, ...rest } = meta;
    return new RequestExecutor(this, { app: "csp-channel-api", ...rest }, { deadline });
  }

  async run<T>(
    mode: AccessMode,
    work: (tx: ManagedTransaction) => Promise<T>,
    metadata: TxMetadata,
    budget: StatementBudget = {},
    unit: UnitOptions = {},
  ): Promise<T> {
    return this.withRetries(budget, (timeout) =>
      this.inSession(mode, unit.bookmarks, async (session) => {
        const tx = await session.beginTransaction({ timeout, metadata: metadata as unknown as Record<string, unknown> });
        let result: T;
        try {
          result = await work(ManagedTransaction.fromTransaction(tx));
        } catch (error) {
          if (tx.isOpen()) await tx.rollback().catch(() => undefined);
          throw error;
        }
        await tx.commit();
        const bookmarks = session.lastBookmarks();
        if (mode === "WRITE") for (const bookmark of bookmarks) this.knownBookmarks.set(bookmark, true);
        unit.committed?.(bookmarks);
        return result;
      }),
    );
  }

  /**
   * One read statement in an auto-commit transaction: RUN and PULL go out together and nothing
   * else follows, where a transaction adds BEGIN and COMMIT: about half the round trips, and most
   * requests are one or two reads (README, "Performance", has the measurements). A read is safe to
   * run again.
   */
  async readOnce(
    query: string,
    params: Params,
    metadata: TxMetadata,
    budget: StatementBudget = {},
    unit: UnitOptions = {},
  ): Promise<Neo4jRecord[]> {
    return this.withRetries(budget, (timeout) =>
      this.inSession("READ", unit.bookmarks, async (session) => {
        const result = await withoutStackCapture(() =>
          session.run(query, params, { timeout, metadata: metadata as unknown as Record<string, unknown> }),
        );
        return result.records;
      }),
    );
  }

  /**
   * Issue 15: waits until the database this process reaches has the writes these bookmarks (a
   * request's X-Consistency-Token) name, at most until the request's deadline: one `RETURN 1` in
   * a READ session that sends them with the process's. Nothing, when this process's bookmark
   * manager has held them all (knownBookmarks): every session already asks for at least that.
   *
   * Neo4j 5.26 (measured on Community) answers at once when it has them, and ignores a bookmark
   * of another database (another store id); for one of this database that it has not reached it
   * waits up to its `db.transaction.bookmark_ready_timeout` (30 s), whatever the transaction
   * timeout, then fails with Neo.TransientError.Transaction.BookmarkTimeout; a bookmark it cannot
   * parse is Neo.ClientError.Transaction.InvalidBookmark at once. So the statement runs without a
   * transaction timeout (its wait then ends with BookmarkTimeout, not a timeout code shared with
   * slow queries), and the request stops waiting at its own deadline: a read, so leaving it to
   * finish in the background changes nothing (as ping does). Each ends as CONSISTENCY_UNAVAILABLE.
   */
  async catchUp(bookmarks: readonly string[], metadata: TxMetadata, budget: StatementBudget = {}): Promise<void> {
    if (this.holdsAll(bookmarks)) return;
    await this.withRetries(budget, async () => {
      const limitMs = budget.deadline === undefined ? this.options.timeoutMs : budget.deadline - Date.now();
      if (limitMs <= 0) throw budgetExhausted();
      const started = performance.now();
      const session = this.session("READ", bookmarks);
      const answered = Promise.resolve(
        withoutStackCapture(() => session.run("RETURN 1", {}, { metadata: metadata as unknown as Record<string, unknown> })),
      );
      const settled = answered.then(
        () => undefined,
        () => undefined,
      );
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new ConsistencyUnavailableError(
                "X-Consistency-Token: the graph database has not caught up with the writes this token names within the request's time budget; retry shortly, or send the request without the token (it may then miss those writes).",
              ),
            ),
          limitMs,
        );
      });
      try {
        await Promise.race([answered, gaveUp]);
      } finally {
        clearTimeout(timer);
        void settled.then(async () => {
          await this.close(session).catch(() => undefined);
          const seconds = (performance.now() - started) / 1000;
          for (const observer of this.observers) observer.transactionEnded("READ", seconds);
        });
      }
    });
    for (const bookmark of bookmarks) this.knownBookmarks.set(bookmark, true);
  }

  /** Whether this process's bookmark manager has held every one of these bookmarks (no catch-up needed). */
  holdsAll(bookmarks: readonly string[]): boolean {
    return bookmarks.every((bookmark) => this.knownBookmarks.has(bookmark));
  }

  /** One transaction's session: opened, used, closed, counted in sessionsInUse and timed for the observers. */
  private async inSession<T>(mode: AccessMode, bookmarks: readonly string[] | undefined, work: (session: Session) => Promise<T>): Promise<T> {
    const started = performance.now();
    const session = this.session(mode, bookmarks);
    try {
      return await work(session);
    } finally {
      const seconds = (performance.now() - started) / 1000;
      await this.close(session);
      for (const observer of this.observers) observer.transactionEnded(mode, seconds);
    }
  }

  /**
   * Whether Neo4j answers `RETURN 1` within `timeoutMs` (default 3/4 of unreachableMs, 1.5 s),
   * whatever it does: a read, so giving up on it early changes nothing; one attempt, no retry.
   */
  async ping(timeoutMs = Math.round(this.unreachableMs * 0.75)): Promise<boolean> {
    // Reads no data, so it sends no bookmarks (issue 15): a member catching up is still reachable.
    const session = this.session("READ", undefined, false);
    const answered = session.run("RETURN 1", {}, { timeout: timeoutMs }).then(
      () => true,
      () => false,
    );
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([answered, gaveUp]);
    } finally {
      clearTimeout(timer);
      void answered.then(() => this.close(session)).catch(() => undefined);
    }
  }

  private async close(session: Session): Promise<void> {
    try {
      await session.close();
    } finally {
      this.sessionsInUse -= 1;
    }
  }

  /**
   * Every session of the API (issue 15): READ or WRITE as asked, so that a cluster sends reads to
   * its secondaries and writes to the leader (Neo4j refuses a write in a READ session, so a wrong
   * mode fails in the tests); the process's bookmark manager, so a read follows every write this
   * process committed before it; a request's own bookmarks (its X-Consistency-Token) on top, which
   * neo4j-driver 6 sends together with the manager's until the session's first transaction ends.
   * The driver's own retry of an auto-commit statement is off: the executor's policy is the only one.
   */
  private session(mode: AccessMode, bookmarks?: readonly string[], causal = true): Session {
    const session = this.driver.session({
      database: this.options.database,
      defaultAccessMode: mode === "READ" ? neo4j.session.READ : neo4j.session.WRITE,
      ...(causal ? { bookmarkManager: this.bookmarkManager } : {}),
      ...(bookmarks && bookmarks.length > 0 ? { bookmarks: [...bookmarks] } : {}),
      disableAutoCommitRetries: true,
    });
    this.sessionsInUse += 1;
    return session;
  }

  /** The transaction timeout of a statement starting now: the configured one, cut to the request's deadline. */
  private timeoutFor(budget: StatementBudget): number {
    if (budget.deadline === undefined) return this.options.timeoutMs;
    const left = Math.ceil(budget.deadline - Date.now());
    if (left <= 0) throw budgetExhausted();
    return Math.min(this.options.timeoutMs, left);
  }

  private async withRetries<T>(budget: StatementBudget, attempt: (timeoutMs: number) => Promise<T>): Promise<T> {
    for (let n = 1; ; n++) {
      const timeout = this.timeoutFor(budget);
      const started = Date.now();
      try {
        const result = await attempt(timeout);
        budget.unreachableSince = undefined;
        return result;
      } catch (error) {
        const failure = classify(error);
        const now = Date.now();
        // From the start of the attempt: one that waited the whole acquisition timeout used it all.
        if (failure === "unreachable") budget.unreachableSince ??= started;
        const next = now + backoffMs(n);
        const again =
          failure !== "final" &&
          n < MAX_ATTEMPTS &&
          (failure !== "unreachable" || next < budget.unreachableSince! + this.unreachableMs) &&
          (budget.deadline === undefined || next < budget.deadline);
        if (!again) throw mapNeo4jError(error);
        await new Promise((resolve) => setTimeout(resolve, next - now));
      }
    }
  }
}

export class RequestExecutor {
  /** Cypher statements sent for this request (the unit of the "no N+1" promise). */
  queryCount = 0;
  /** Rows of planned reads that came with the viewer query (src/shared/read-planner.ts). */
  private readonly planned = new Map<string, Params[] | { failed: unknown }>();

  constructor(
    private readonly executor: Executor,
    private readonly metadata: TxMetadata,
    /** The request's deadline and connectivity retries, shared by its statements. */
    private readonly budget: StatementBudget = {},
  ) {}

  setUser(userId: string | undefined): void {
    this.metadata.userId = userId;
  }

  /** Issue 15: the bookmarks of a request's X-Consistency-Token, which its every statement must see. */
  private required: readonly string[] | undefined;
  /** The catch-up with `required`, once per request (shared by statements that start together). */
  private caughtUp: Promise<void> | undefined;
  /** Bookmarks of the last WRITE transaction this request committed (empty until one has). */
  writeBookmarks: string[] = [];
  private readonly writeListeners: ((bookmarks: string[]) => void)[] = [];

  /**
   * Issue 15: every statement of this request sees at least the writes these bookmarks name (an
   * X-Consistency-Token from another process's response): its first statement waits for them
   * (Executor.catchUp, within the request's deadline; CONSISTENCY_UNAVAILABLE otherwise), and
   * each session sends them with the process's bookmarks.
   */
  requireBookmarks(bookmarks: readonly string[]): void {
    this.required = bookmarks.length > 0 ? [...bookmarks] : undefined;
    this.caughtUp = undefined;
  }

  /** Called after each WRITE transaction of this request commits, with its bookmarks (the response's token). */
  onWriteCommitted(listener: (bookmarks: string[]) => void): void {
    this.writeListeners.push(listener);
  }

  private async catchUp(): Promise<void> {
    if (!this.required) return;
    if (!this.caughtUp) {
      if (this.executor.holdsAll(this.required)) {
        this.caughtUp = Promise.resolve();
      } else {
        // One statement sent to Neo4j like any other (x-cypher-queries counts it).
        this.queryCount += 1;
        this.caughtUp = this.executor.catchUp(this.required, this.metadata, this.budget);
      }
    }
    await this.caughtUp;
  }

  private unit(mode: AccessMode): UnitOptions {
    return {
      bookmarks: this.required,
      committed:
        mode === "WRITE"
          ? (bookmarks) => {
              if (bookmarks.length === 0) return;
              // Later writes of the request began with the earlier ones' bookmarks (the process's
              // manager), so the last one's name them all.
              this.writeBookmarks = bookmarks;
              for (const listener of this.writeListeners) listener(bookmarks);
            }
          : undefined,
    };
  }

  /** Refuses a statement at once, without a round trip, when the request's time budget is spent. */
  checkBudget(): void {
    if (this.budget.deadline !== undefined && Date.now() >= this.budget.deadline) throw budgetExhausted();
  }

  /**
   * Rows of a planned read already fetched for this request (with the viewer, in the same
   * statement, by the read planner): the request's next read of exactly that query with exactly
   * these parameters gets them instead of a round trip. Any other read, or a second one, goes to
   * the database.
   */
  primePlannedRead(queryName: string, params: Params, rows: Params[]): void {
    this.planned.set(readKey(queryName, params), rows);
  }

  /** The same for a planned read that already failed in a way a second try would repeat (it timed out): the resolver's read throws it at once. */
  primePlannedReadFailure(queryName: string, params: Params, error: unknown): void {
    this.planned.set(readKey(queryName, params), { failed: error });
  }

  /** Run one named query in a read (auto-commit) transaction and return its records as plain objects. */
  async read<T = Params>(queryName: string, params: Params = {}): Promise<T[]> {
    if (this.planned.size > 0) {
      const key = readKey(queryName, params);
      const rows = this.planned.get(key);
      if (rows) {
        this.planned.delete(key);
        if (!Array.isArray(rows)) throw rows.failed;
        return rows as T[];
      }
    }
    this.checkBudget();
    await this.catchUp();
    this.queryCount += 1;
    const records = await this.executor.readOnce(cypher(queryName), params, this.metadata, this.budget, this.unit("READ"));
    return records.map((record) => toPlain(record) as T);
  }

  write<T = Params>(queryName: string, params: Params = {}): Promise<T[]> {
    return this.tx("WRITE", (tx) => tx.run(queryName, params));
  }

  /** Several named queries in one transaction: all or nothing. */
  async transaction<T>(mode: AccessMode, work: (tx: Tx) => Promise<T>): Promise<T> {
    this.checkBudget();
    await this.catchUp();
    let wroteEvents = false;
    const result = await this.executor.run(
      mode,
      (managed) => work(new Tx(managed, this, () => (wroteEvents = true))),
      this.metadata,
      this.budget,
      this.unit(mode),
    );
    // Committed (run returns only then): tell the sequencer (a retried attempt that wrote events and rolled back only costs an extra pass).
    if (wroteEvents) this.executor.eventsCommitted();
    return result;
  }

  private tx<T>(mode: AccessMode, work: (tx: Tx) => Promise<T[]>): Promise<T[]> {
    return this.transaction(mode, work);
  }
}

/** A transaction handle that only runs named queries, so Cypher is never built from input. */
export class Tx {
  constructor(
    private readonly managed: ManagedTransaction,
    private readonly owner: RequestExecutor,
    private readonly onEvents: () => void = () => undefined,
  ) {}

  /** This transaction wrote channel events (recordAudit): the executor tells its listeners once it commits. */
  wroteEvents(): void {
    this.onEvents();
  }

  async run<T = Params>(queryName: string, params: Params = {}): Promise<T[]> {
    // Past the deadline the transaction is rolled back (Neo4j's own timeout would end it anyway).
    this.owner.checkBudget();
    this.owner.queryCount += 1;
    const result = await withoutStackCapture(() => this.managed.run(cypher(queryName), params));
    return result.records.map((record) => toPlain(record) as T);
  }
}

/**
 * neo4j-driver records a stack trace (`new Error().stack`, formatted) for every query it starts,
 * only to put it on an error that query might raise: a visible share of the API's CPU in profiles of a page of customers.
 * Errors leave here mapped by their Neo4j code, and the stack it keeps would name this file anyway,
 * so the capture is skipped by making stacks empty while the driver builds the result (it does so
 * synchronously, inside `run`).
 */
function withoutStackCapture<T>(start: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return start();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Query name and parameters as one string; object keys sorted, so the order they were built in does not matter. */
function readKey(queryName: string, params: Params): string {
  return `${queryName}\u0000${JSON.stringify(params, (_key, value: unknown) =>
    value !== null && typeof value === "object" && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  )}`;
}

function toPlain(record: Neo4jRecord): Params {
  return fromNeo4j(record.toObject()) as Params;
}

/**
 * Converts driver values to what GraphQL serializes: integers to JS numbers (every integer this
 * API returns is a count or a quantity, far below 2^53, so the conversion is exact) and temporal
 * values to JS Dates.
 */
export function fromNeo4j(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null;
  // Strings, numbers and booleans are most values: the driver's type checks below showed in CPU
  // profiles of a page of customers when asked of every one of them.
  if (typeof value !== "object") return value;
  if (neo4j.isInt(value)) return (value as { toNumber(): number }).toNumber();
  if (neo4j.isDateTime(value) || neo4j.isDate(value) || neo4j.isLocalDateTime(value)) {
    return new Date((value as { toString(): string }).toString());
  }
  if (Array.isArray(value)) return value.map(fromNeo4j);
  if (typeof value === "object") {
    const out: Params = {};
    for (const [key, inner] of Object.entries(value as Params)) out[key] = fromNeo4j(inner);
    return out;
  }
  return value;
}

/** Neo4j cannot be reached: refused or lost connections, a database still starting or stopping. */
const UNREACHABLE_CODES = new Set(["ServiceUnavailable", "SessionExpired", "Neo.TransientError.General.DatabaseUnavailable"]);

const UNAVAILABLE_CODES = new Set([
  ...UNREACHABLE_CODES,
  "Neo.ClientError.Database.DatabaseNotFound",
  "Neo.ClientError.Security.Unauthorized",
  "Neo.ClientError.Security.AuthenticationRateLimit",
]);

/**
 * No pooled connection within the driver's connectionAcquisitionTimeout (none free, or a new one
 * not opened in time). The driver gives this one error no code ("N/A"), so it is known by the
 * start of its message, pinned by test/app/outage.test.ts against the installed driver.
 */
function isAcquisitionTimeout(error: Neo4jError): boolean {
  return error.code === "N/A" && error.message.startsWith("Connection acquisition timed out");
}

/**
 * Issue 15: a bookmark the database did not reach within its bookmark_ready_timeout (a
 * TransientError, but another try would wait as long again), or one it cannot read.
 */
const BOOKMARK_CODES = new Set([
  "Neo.TransientError.Transaction.BookmarkTimeout",
  "Neo.ClientError.Transaction.InvalidBookmark",
  "Neo.ClientError.Transaction.InvalidBookmarkMixture",
]);

/** unreachable: retried while within unreachableMs; transient: retried; final: answered at once. */
function classify(error: unknown): "unreachable" | "transient" | "final" {
  if (!(error instanceof Neo4jError)) return "final";
  if (UNREACHABLE_CODES.has(error.code) || isAcquisitionTimeout(error)) return "unreachable";
  if (BOOKMARK_CODES.has(error.code)) return "final";
  // A statement that timed out would time out again.
  if (TIMEOUT_CODES.has(error.code)) return "final";
  return error.retryable ? "transient" : "final";
}

/**
 * The transaction ran out of its timeout (or was terminated): Neo4j 5 reports a statement that
 * was waiting for a lock then as LockClientStopped, a ClientError (a TransientError before 5.0).
 */
const TIMEOUT_CODES = new Set([
  "Neo.ClientError.Transaction.TransactionTimedOut",
  "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
  "Neo.ClientError.Transaction.LockClientStopped",
  "Neo.TransientError.Transaction.LockClientStopped",
  "Neo.ClientError.Transaction.Terminated",
  "Neo.TransientError.Transaction.Terminated",
]);

/** Maps by Neo4j status code only; anything else stays an internal error and is masked later. */
export function mapNeo4jError(error: unknown): unknown {
  if (!(error instanceof Neo4jError)) return error;
  if (error.code === "Neo.ClientError.Schema.ConstraintValidationFailed") {
    return new ConflictError("This would duplicate a value that must be unique.");
  }
  if (UNAVAILABLE_CODES.has(error.code) || isAcquisitionTimeout(error)) return new ServiceUnavailableError();
  if (BOOKMARK_CODES.has(error.code)) {
    return new ConsistencyUnavailableError(
      error.code === "Neo.TransientError.Transaction.BookmarkTimeout"
        ? "The graph database has not caught up with the writes this request must see (its X-Consistency-Token, or earlier writes through this server); retry shortly, or send the request without the token (it may then miss those writes)."
        : "The graph database does not recognise the writes this request's X-Consistency-Token names (a restored database, or another deployment's token); send the request without the token.",
    );
  }
  if (TIMEOUT_CODES.has(error.code)) {
    return new ServiceUnavailableError("The graph database did not answer in time; try again or narrow the query.");
  }
  return error;
}
