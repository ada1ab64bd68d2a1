import type { ErrorRequestHandler, RequestHandler, Response } from "express";
import { logger } from "../shared/logger.js";

/**
 * Refusals made outside Apollo (the HTTP request itself: body, JSON, charset, size, route) as
 * JSON GraphQL responses, like every other error of the API: never Express's HTML page, never a
 * stack or a file path.
 */
export function sendGraphQLError(
  res: Response,
  status: number,
  code: string,
  message: string,
  extensions: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res
    .status(status)
    .type("application/json; charset=utf-8")
    .send(JSON.stringify({ errors: [{ message, extensions: { code, ...extensions } }] }));
}

/** body-parser's error types (https://github.com/expressjs/body-parser#errors), as messages for the caller. */
const BODY_ERRORS: Record<string, (error: BodyParserError) => string> = {
  "entity.parse.failed": () => "The request body is not valid JSON.",
  "entity.too.large": (error) => `The request body is larger than ${error.limit ?? "the limit of"} bytes.`,
  "charset.unsupported": (error) => `The charset ${JSON.stringify(truncate(error.charset ?? ""))} is not supported; send UTF-8.`,
  "encoding.unsupported": () => "This Content-Encoding is not supported; send identity, gzip, deflate or br.",
  "request.size.invalid": () => "The request body is shorter or longer than its Content-Length.",
  "request.aborted": () => "The request was aborted before its body arrived.",
  "entity.verify.failed": () => "The request body was refused.",
  "stream.encoding.set": () => "The request body could not be read.",
  "stream.not.readable": () => "The request body could not be read.",
  "parameters.too.many": () => "The request has too many parameters.",
};

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  statusCode?: number;
  limit?: number;
  charset?: string;
  expose?: boolean;
}

function truncate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}

/** Last in the chain: any error an Express middleware passed on (body-parser's above all). */
export const jsonErrorHandler: ErrorRequestHandler = (error: BodyParserError, _req, res, _next) => {
  const status = error.status ?? error.statusCode ?? 500;
  const describe = error.type ? BODY_ERRORS[error.type] : undefined;
  if (describe && status >= 400 && status < 500) {
    sendGraphQLError(res, status, "BAD_REQUEST", describe(error));
    return;
  }
  if (status >= 400 && status < 500 && error.expose) {
    sendGraphQLError(res, status, "BAD_REQUEST", "The HTTP request is malformed.");
    return;
  }
  logger.error({ err: error }, "unexpected HTTP error");
  sendGraphQLError(res, 500, "INTERNAL_SERVER_ERROR", "Internal server error");
};

/** Any route the API does not serve. */
export const notFoundHandler: RequestHandler = (req, res) => {
  sendGraphQLError(res, 404, "NOT_FOUND", `Nothing is served at ${req.method} ${truncate(req.path)}; the API is at /graphql.`);
};
