import { expect } from "vitest";
import { BadUserInputError } from "../../src/shared/errors.js";
import type { GqlResult } from "./app.js";

export type GqlError = NonNullable<GqlResult["errors"]>[number];

/** The result failed with exactly one error, of this code, whose message contains each of `inMessage`. */
export function expectCode(result: GqlResult<unknown>, code: string, ...inMessage: string[]): GqlError {
  expect(result.errors, JSON.stringify(result.errors)).toHaveLength(1);
  const [error] = result.errors!;
  expect(error.extensions?.code, JSON.stringify(error)).toBe(code);
  for (const text of inMessage) expect(error.message).toContain(text);
  return error;
}

/** BAD_USER_INPUT that names `field` in its message and in extensions.field, and the `rule` when given. */
export function expectBadInput(result: GqlResult<unknown>, field: string, rule?: string): GqlError {
  const error = expectCode(result, "BAD_USER_INPUT", field);
  expect(error.extensions?.field).toBe(field);
  if (rule) expect(error.extensions?.rule).toBe(rule);
  return error;
}

/** Runs `run`, which must throw a BadUserInputError, and returns it for closer checks. */
export function thrownBadInput(run: () => unknown): BadUserInputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BadUserInputError);
    return error as BadUserInputError;
  }
  throw new Error("expected a BadUserInputError, nothing was thrown");
}
