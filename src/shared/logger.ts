import { createRequire } from "node:module";
import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export interface LoggerSettings {
  /** LOG_LEVEL; unset: info, or silent under NODE_ENV=test (tests that read logs make their own logger). */
  level: string;
  /** Human-readable lines (pino-pretty) rather than JSON: LOG_FORMAT=pretty|json; unset: pretty when stdout is a terminal, outside production. */
  pretty: boolean;
}

export function loggerSettings(env: NodeJS.ProcessEnv = process.env, stdoutIsTerminal = process.stdout.isTTY === true): LoggerSettings {
  const level = (env.LOG_LEVEL ?? "").trim().toLowerCase() || (env.NODE_ENV === "test" ? "silent" : "info");
  if (!(LEVELS as readonly string[]).includes(level)) throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(", ")}; got "${env.LOG_LEVEL}"`);
  const format = (env.LOG_FORMAT ?? "").trim().toLowerCase();
  if (format !== "" && format !== "pretty" && format !== "json") throw new Error(`LOG_FORMAT must be "pretty" or "json"; got "${env.LOG_FORMAT}"`);
  const pretty = format === "" ? stdoutIsTerminal && env.NODE_ENV !== "production" : format === "pretty";
  return { level, pretty };
}

/**
 * A pino logger: JSON lines (one object a line, for a log collector), or, when `pretty`, lines
 * for a person at a terminal, made by pino-pretty in this thread (no worker thread: what was
 * logged before a crash or `process.exit` is on the screen). pino-pretty is a development
 * dependency: where it is not installed (a production install), the lines stay JSON.
 */
export function createLogger(settings: LoggerSettings & { destination?: DestinationStream; colorize?: boolean }): Logger {
  const options = {
    level: settings.level,
    redact: {
      paths: ["req.headers.authorization", "headers.authorization", "authorization", "*.password", "*.token", "*.passwordHash"],
      censor: "[redacted]",
    },
  };
  const out = settings.destination ?? (settings.pretty ? process.stdout : undefined);
  const prettify = settings.pretty ? prettifier(settings.colorize ?? (settings.destination ? false : process.stdout.isTTY === true)) : null;
  if (prettify && out) return pino(options, { write: (line: string) => void out.write(prettify(line)) });
  return out ? pino(options, out) : pino(options);
}

/** One structured logger; pretty only when a person watches a terminal in development. */
export const logger = createLogger(loggerSettings());

type PrettyFactory = (options: Record<string, unknown>) => (input: string | object) => string;

/** pino-pretty's line formatter, with an access-log line (`"log":"access"`, src/app/access-log.ts) on one line of its own. */
function prettifier(colorize: boolean): ((line: string) => string) | null {
  let factory: PrettyFactory;
  try {
    factory = (createRequire(import.meta.url)("pino-pretty") as { prettyFactory: PrettyFactory }).prettyFactory;
  } catch {
    return null;
  }
  const prettify = factory({ colorize, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" });
  return (line) => {
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return line;
    }
    return prettify(entry.log === "access" ? accessSummary(entry) : entry);
  };
}

/**
 * `POST /graphql 200 Customers 12.3 ms 2 Cypher user=u-1 ip=127.0.0.1 id=4f6c...` (and the error
 * codes, when the answer had errors): the access line's fields as one message.
 */
export function accessSummary(entry: Record<string, unknown>): Record<string, unknown> {
  const { level, time, method, path, status, operationName, durationMs, cypherStatements, userId, clientIp, requestId, errorCodes, msg } = entry;
  const parts = [method, path, status, operationName ?? "-", `${durationMs} ms`];
  if (typeof cypherStatements === "number") parts.push(`${cypherStatements} Cypher`);
  if (userId) parts.push(`user=${userId}`);
  parts.push(`ip=${clientIp}`, `id=${requestId}`);
  if (Array.isArray(errorCodes) && errorCodes.length > 0) parts.push(`errors=${errorCodes.join(",")}`);
  if (msg && msg !== "request") parts.push(`(${msg})`);
  return { level, time, msg: parts.join(" ") };
}
