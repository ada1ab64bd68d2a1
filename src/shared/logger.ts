import { pino } from "pino";

/** One structured logger; pretty only when a person watches a terminal in development. */
export const logger = pino({
  level: process.env.LOG_LEVEL || (process.env.NODE_ENV === "test" ? "silent" : "info"),
  redact: { paths: ["req.headers.authorization", "*.password", "*.token", "*.passwordHash"], censor: "[redacted]" },
});
