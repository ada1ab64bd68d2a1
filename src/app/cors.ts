import cors from "cors";
import type { RequestHandler } from "express";
import type { Config } from "../shared/config.js";

/**
 * CORS on /graphql (the `cors` package), for frontends served from another origin. Only the
 * origins of CORS_ORIGINS get any CORS header; credentials are off (the API reads a bearer token,
 * never a cookie). The preflight allows what a GraphQL client sends: `content-type: application/json`
 * and `authorization`, Apollo's CSRF-prevention headers (a browser GET needs
 * `apollo-require-preflight`), Apollo Client's client-awareness headers, `x-request-id` and
 * `x-consistency-token` (issue 15); the client may read `x-request-id`, `retry-after` (429),
 * `x-consistency-token` (after a write, to send back) and `x-cypher-queries` when it is sent.
 * An origin not allowed gets no CORS header at all (its preflight falls through to Apollo, which
 * refuses the OPTIONS method), so the browser keeps the answer from the page.
 *
 * Returns null when no origin is configured (production's default): no middleware, no headers.
 */
export function corsMiddleware(config: Config): RequestHandler | null {
  const allowed = originMatcher(config.corsOrigins);
  if (!allowed) return null;
  return cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed(origin) ? origin : false),
    methods: ["GET", "POST"],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: ["x-request-id", "retry-after", "x-consistency-token", ...(config.exposeQueryCount ? ["x-cypher-queries"] : [])],
    credentials: false,
    // How long a browser may reuse a preflight's answer (Chromium caps it at 2 hours).
    maxAge: 600,
    optionsSuccessStatus: 204,
  });
}

export const ALLOWED_HEADERS = [
  "authorization",
  "content-type",
  "apollo-require-preflight",
  "x-apollo-operation-name",
  "apollographql-client-name",
  "apollographql-client-version",
  "x-request-id",
  // Issue 15: the token of an earlier write's response, sent back so that a read sees it.
  "x-consistency-token",
];

/** The configured origins as one test: exact ones in a set, `scheme://host:*` as that host with any port or none. */
export function originMatcher(origins: readonly string[]): ((origin: string) => boolean) | null {
  if (origins.length === 0) return null;
  const exact = new Set(origins.filter((origin) => !origin.endsWith(":*")));
  const anyPort = origins.filter((origin) => origin.endsWith(":*")).map((origin) => origin.slice(0, -2));
  return (origin) => {
    if (exact.has(origin)) return true;
    for (const base of anyPort) {
      if (origin === base) return true;
      if (origin.startsWith(`${base}:`) && /^\d{1,5}$/.test(origin.slice(base.length + 1))) return true;
    }
    return false;
  };
}
