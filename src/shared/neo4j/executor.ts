import neo4j, { Neo4jError, type Driver, type ManagedTransaction, type Record as Neo4jRecord } from "neo4j-driver";
import { ConflictError, ServiceUnavailableError } from "../errors.js";
import { cypher } from "./queries.js";

export type Params = Record<string, unknown>;
export type AccessMode = "READ" | "WRITE";

export interface ExecutorOptions {
  database: string;
  timeoutMs: number;
}

/** What a request tells the database about itself: shows up in `SHOW TRANSACTIONS` and query logs. */
export interface TxMetadata {
  app: "csp-channel-api";
  requestId?: string;
  userId?: string;
  operation?: string;
}

/**
 * The one place that talks to Neo4j: opens a session per unit of work, runs a single read as an
 * auto-commit transaction (retried here) and anything else through executeRead or executeWrite
 * (retried by the driver on transient errors, so callbacks must be idempotent), closes the
 * session in `finally`, tags the transaction, and maps Neo4j error codes (never message text) to
 * domain errors. Each request gets a scoped executor that counts the
 * queries it runs, which is how the N+1 tests and the benchmark see query counts.
 */
export class Executor {
  constructor(
    readonly driver: Driver,
    private readonly options: ExecutorOptions,
  ) {}

  forRequest(meta: Omit<TxMetadata, "app"> = {}): RequestExecutor {
    return new RequestExecutor(this, { app: "csp-channel-api", ...meta });
  }

  async run<T>(mode: AccessMode, work: (tx: ManagedTransaction) => Promise<T>, metadata: TxMetadata): Promise<T> {
    const session = this.driver.session({
      database: this.options.database,
      defaultAccessMode: mode === "READ" ? neo4j.session.READ : neo4j.session.WRITE,
    });
    const config = { timeout: this.options.timeoutMs, metadata: metadata as unknown as Record<string, unknown> };
    try {
      return mode === "READ" ? await session.executeRead(work, config) : await session.executeWrite(work, config);
    } catch (error) {
      throw mapNeo4jError(error);
    } finally {
      await session.close();
    }
  }

  /**
   * One read statement in an auto-commit transaction: RUN and PULL go out together and nothing
   * else follows, where a managed transaction adds BEGIN and COMMIT. Measured on this machine:
   * 0.42 ms a query instead of 0.85 ms one at a time, 0.24 instead of 0.49 under 10 concurrent
   * callers, and most requests are one or two reads. The driver does not retry auto-commit
   * transactions, so this does, as executeRead would: only errors Neo4j marks retryable
   * (transient ones, a lost connection), a few times with jittered backoff. A read is safe to
   * run again.
   */
  async readOnce(query: string, params: Params, metadata: TxMetadata): Promise<Neo4jRecord[]> {
    for (let attempt = 1; ; attempt++) {
      const session = this.driver.session({ database: this.options.database, defaultAccessMode: neo4j.session.READ });
      try {
        const result = await withoutStackCapture(() =>
          session.run(query, params, {
            timeout: this.options.timeoutMs,
            metadata: metadata as unknown as Record<string, unknown>,
          }),
        );
        return result.records;
      } catch (error) {
        if (attempt >= READ_ATTEMPTS || !isRetryable(error)) throw mapNeo4jError(error);
        await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt * (0.5 + Math.random())));
      } finally {
        await session.close();
      }
    }
  }

  async ping(): Promise<boolean> {
    try {
      await this.driver.executeQuery("RETURN 1", {}, { database: this.options.database });
      return true;
    } catch {
      return false;
    }
  }
}

export class RequestExecutor {
  /** Cypher statements sent for this request (the unit of the "no N+1" promise). */
  queryCount = 0;
  private readonly prefetched = new Map<string, Params[] | { failed: unknown }>();

  constructor(
    private readonly executor: Executor,
    private readonly metadata: TxMetadata,
  ) {}

  setUser(userId: string | undefined): void {
    this.metadata.userId = userId;
  }

  /**
   * Rows of a named read already fetched for this request (with the viewer, in the same
   * statement): the request's next read of exactly that query with exactly these parameters gets
   * them instead of a round trip. Any other read, or a second one, goes to the database.
   */
  prime(queryName: string, params: Params, rows: Params[]): void {
    this.prefetched.set(readKey(queryName, params), rows);
  }

  /** The same for a read that already failed in a way a second try would repeat (it timed out): the resolver's read throws it at once. */
  primeFailure(queryName: string, params: Params, error: unknown): void {
    this.prefetched.set(readKey(queryName, params), { failed: error });
  }

  /** Run one named query in a read (auto-commit) transaction and return its records as plain objects. */
  async read<T = Params>(queryName: string, params: Params = {}): Promise<T[]> {
    if (this.prefetched.size > 0) {
      const key = readKey(queryName, params);
      const rows = this.prefetched.get(key);
      if (rows) {
        this.prefetched.delete(key);
        if (!Array.isArray(rows)) throw rows.failed;
        return rows as T[];
      }
    }
    this.queryCount += 1;
    const records = await this.executor.readOnce(cypher(queryName), params, this.metadata);
    return records.map((record) => toPlain(record) as T);
  }

  write<T = Params>(queryName: string, params: Params = {}): Promise<T[]> {
    return this.tx("WRITE", (tx) => tx.run(queryName, params));
  }

  /** Several named queries in one transaction: all or nothing. */
  transaction<T>(mode: AccessMode, work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.executor.run(mode, (managed) => work(new Tx(managed, this)), this.metadata);
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
  ) {}

  async run<T = Params>(queryName: string, params: Params = {}): Promise<T[]> {
    this.owner.queryCount += 1;
    const result = await withoutStackCapture(() => this.managed.run(cypher(queryName), params));
    return result.records.map((record) => toPlain(record) as T);
  }
}

/**
 * neo4j-driver records a stack trace (`new Error().stack`, formatted) for every query it starts,
 * only to put it on an error that query might raise: 4.5% of the API's CPU on a page of customers.
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
  // Strings, numbers and booleans are most values: the driver's type checks below cost ~4% of the
  // API's CPU on a page of customers when asked of every one of them.
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

const READ_ATTEMPTS = 4;

function isRetryable(error: unknown): boolean {
  return error instanceof Neo4jError && error.retryable;
}

const UNAVAILABLE_CODES = new Set([
  "ServiceUnavailable",
  "SessionExpired",
  "Neo.TransientError.General.DatabaseUnavailable",
  "Neo.ClientError.Database.DatabaseNotFound",
  "Neo.ClientError.Security.Unauthorized",
  "Neo.ClientError.Security.AuthenticationRateLimit",
]);

const TIMEOUT_CODES = new Set([
  "Neo.ClientError.Transaction.TransactionTimedOut",
  "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
  "Neo.TransientError.Transaction.LockClientStopped",
]);

/** Maps by Neo4j status code only; anything else stays an internal error and is masked later. */
export function mapNeo4jError(error: unknown): unknown {
  if (!(error instanceof Neo4jError)) return error;
  if (error.code === "Neo.ClientError.Schema.ConstraintValidationFailed") {
    return new ConflictError("This would duplicate a value that must be unique.");
  }
  if (UNAVAILABLE_CODES.has(error.code)) return new ServiceUnavailableError();
  if (TIMEOUT_CODES.has(error.code)) {
    return new ServiceUnavailableError("The graph database did not answer in time; try again or narrow the query.");
  }
  return error;
}
