import { HeaderMap } from "@apollo/server";
import { GraphQLError } from "graphql";

/**
 * The error codes of SERVICE.md. Each typed error carries a literal `extensions.code`, so
 * clients switch on the code, never on the message. `formatError` lets these through and masks
 * everything else as INTERNAL_SERVER_ERROR.
 */
export const PUBLIC_ERROR_CODES = [
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "PASSWORD_CHANGE_REQUIRED",
  "NOT_FOUND",
  "BAD_USER_INPUT",
  "CONFLICT",
  "GRAPHQL_VALIDATION_FAILED",
  "GRAPHQL_PARSE_FAILED",
  "QUERY_TOO_COMPLEX",
  "SERVICE_UNAVAILABLE",
  "RATE_LIMITED",
  "INTERNAL_SERVER_ERROR",
  // Apollo's own codes for requests it rejects before execution.
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  // Persisted queries are resolved before Apollo (src/app/documents.ts).
  "PERSISTED_QUERY_HASH_MISMATCH",
  "PERSISTED_QUERY_NOT_ALLOWED",
  "OPERATION_RESOLUTION_FAILURE",
  "BAD_REQUEST",
  // Issue 15: a request's X-Consistency-Token names writes the database it reached has not got (yet).
  "CONSISTENCY_UNAVAILABLE",
] as const;
export type PublicErrorCode = (typeof PUBLIC_ERROR_CODES)[number];

abstract class DomainError<C extends PublicErrorCode> extends GraphQLError {
  abstract readonly code: C;
  constructor(message: string, code: C, extra: Record<string, unknown> = {}, httpStatus?: number) {
    super(message, { extensions: { code, ...extra, ...(httpStatus ? { http: { status: httpStatus } } : {}) } });
  }
}

export class UnauthenticatedError extends DomainError<"UNAUTHENTICATED"> {
  readonly code = "UNAUTHENTICATED" as const;
  /** httpStatus: 401 when the whole request is refused (a bad token), none for one field. */
  constructor(message = "Sign in first: this operation needs a valid bearer token.", httpStatus?: number) {
    super(message, "UNAUTHENTICATED", {}, httpStatus);
  }
}

/** A wrong password and an unknown email get this same answer (no account enumeration). */
export class InvalidCredentialsError extends DomainError<"UNAUTHENTICATED"> {
  readonly code = "UNAUTHENTICATED" as const;
  constructor() {
    super("The email or password is not correct.", "UNAUTHENTICATED");
  }
}

export class ForbiddenError extends DomainError<"FORBIDDEN"> {
  readonly code = "FORBIDDEN" as const;
  /** `extra`: more extensions, e.g. `{ reason: "DELEGATED_ADMIN_REQUIRED" }` (D-26). */
  constructor(message: string, capability?: string, extra: Record<string, unknown> = {}) {
    super(message, "FORBIDDEN", { ...(capability ? { capability } : {}), ...extra });
  }
}

export class PasswordChangeRequiredError extends DomainError<"PASSWORD_CHANGE_REQUIRED"> {
  readonly code = "PASSWORD_CHANGE_REQUIRED" as const;
  constructor() {
    super(
      "Change your temporary password first (changePassword); until then only `me` and `changePassword` are allowed (T-6).",
      "PASSWORD_CHANGE_REQUIRED",
    );
  }
}

export class NotFoundError extends DomainError<"NOT_FOUND"> {
  readonly code = "NOT_FOUND" as const;
  constructor(what: string, id?: string) {
    super(id ? `${what} ${id} was not found.` : `${what} was not found.`, "NOT_FOUND");
  }
}

/** Bad input: the message names the field and the rule it breaks. */
export class BadUserInputError extends DomainError<"BAD_USER_INPUT"> {
  readonly code = "BAD_USER_INPUT" as const;
  constructor(field: string, rule: string, message: string) {
    super(`${field}: ${message}`, "BAD_USER_INPUT", { field, rule });
  }
}

export class ConflictError extends DomainError<"CONFLICT"> {
  readonly code = "CONFLICT" as const;
  constructor(message: string, field?: string) {
    super(message, "CONFLICT", field ? { field } : {});
  }
}

/**
 * D-20: a reseller relationship cannot end while subscriptions of the customer sold through or
 * ordered by the caller's organisation are ACTIVE (suspend or cancel them first, D-21); CONFLICT
 * with their ids, sorted, in `extensions.subscriptionIds`.
 */
export class ActiveSubscriptionsConflictError extends DomainError<"CONFLICT"> {
  readonly code = "CONFLICT" as const;
  readonly subscriptionIds: string[];
  constructor(message: string, subscriptionIds: string[]) {
    super(message, "CONFLICT", { subscriptionIds, rule: "D-20" });
    this.subscriptionIds = subscriptionIds;
  }
}

export class ServiceUnavailableError extends DomainError<"SERVICE_UNAVAILABLE"> {
  readonly code = "SERVICE_UNAVAILABLE" as const;
  constructor(message = "The graph database is not reachable; try again shortly.") {
    super(message, "SERVICE_UNAVAILABLE", {}, 503);
  }
}

/**
 * The HTTP request itself is malformed (SERVICE.md's BAD_REQUEST), refused with HTTP 400 while
 * the context is built, e.g. an X-Consistency-Token that is not one this API signed (issue 15):
 * `extensions.header` names the header, `extensions.rule` the rule it breaks.
 */
export class BadRequestError extends DomainError<"BAD_REQUEST"> {
  readonly code = "BAD_REQUEST" as const;
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super(message, "BAD_REQUEST", extra, 400);
  }
}

/**
 * Issue 15: the request carried an X-Consistency-Token (a well-signed one) whose writes the
 * database did not have within the request's time budget, or whose bookmark Neo4j refuses
 * (a database restored to before them, another deployment with the same JWT_SECRET). HTTP 503:
 * retry shortly, or send the request without the token (it may then miss those writes).
 */
export class ConsistencyUnavailableError extends DomainError<"CONSISTENCY_UNAVAILABLE"> {
  readonly code = "CONSISTENCY_UNAVAILABLE" as const;
  constructor(message: string) {
    super(message, "CONSISTENCY_UNAVAILABLE", { header: "X-Consistency-Token" }, 503);
  }
}

/**
 * Too many requests, failed sign-ins or password checks at once (SERVICE.md): HTTP 429 with
 * `Retry-After` and `extensions.retryAfter`, both in whole seconds (at least 1).
 */
export class RateLimitedError extends DomainError<"RATE_LIMITED"> {
  readonly code = "RATE_LIMITED" as const;
  readonly retryAfter: number;
  constructor(message: string, retryAfterSeconds: number) {
    const retryAfter = Math.max(1, Math.ceil(retryAfterSeconds));
    super(message, "RATE_LIMITED", {
      retryAfter,
      http: { status: 429, headers: new HeaderMap([["retry-after", String(retryAfter)]]) },
    });
    this.retryAfter = retryAfter;
  }
}

export function isPublicError(error: unknown): error is GraphQLError {
  if (!(error instanceof GraphQLError)) return false;
  const code = error.extensions?.code;
  return typeof code === "string" && (PUBLIC_ERROR_CODES as readonly string[]).includes(code) && code !== "INTERNAL_SERVER_ERROR";
}
