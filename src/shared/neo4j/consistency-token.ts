import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { BadRequestError } from "../errors.js";

/**
 * Issue 15, causal consistency across API processes: `X-Consistency-Token`.
 *
 * A response to a request that committed a write carries the Neo4j bookmarks of its last write
 * transaction as this header; a request that sends it back reads at least that fresh, whichever
 * process serves it (src/shared/neo4j/executor.ts: RequestExecutor.requireBookmarks).
 *
 * Format (opaque to clients): `v1.<payload>.<mac>`, where payload is the unpadded base64url of
 * the JSON `{"b": [bookmark, ...], "iat": <epoch seconds>}` and mac the unpadded base64url of
 * HMAC-SHA256 over `v1.<payload>` with a key derived from JWT_SECRET (HKDF-SHA256, a salt and
 * info of its own, so it signs no bearer token and seals no webhook secret). Every process of a
 * deployment shares JWT_SECRET, so each accepts the others' tokens. The MAC keeps clients from
 * sending Neo4j bookmarks of their own choosing (a made-up one would hold a pooled connection
 * for Neo4j's bookmark wait). A token does not expire: it only asks for "at least as fresh as",
 * which an old one always is (unless the database went back in time: CONSISTENCY_UNAVAILABLE).
 *
 * Checked before anything else reads it, O(header) and bounded: at most 4,096 characters (the
 * header is refused whole before any decoding), then the MAC, then at most 16 bookmarks of at
 * most 1,024 characters. Anything else is BAD_REQUEST (HTTP 400) naming the header and the rule.
 */

export const CONSISTENCY_TOKEN_HEADER = "X-Consistency-Token";

export const CONSISTENCY_TOKEN_LIMITS = {
  /** Characters of the whole header value. */
  maxChars: 4_096,
  bookmarks: 16,
  bookmarkChars: 1_024,
} as const;

const VERSION = "v1";
/** v1, payload, 43 characters of MAC (32 bytes, unpadded base64url). */
const SHAPE = /^v1\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/;

/** The MAC key of a JWT_SECRET (32 bytes). */
export function consistencyTokenKey(jwtSecret: Uint8Array): Buffer {
  return Buffer.from(hkdfSync("sha256", jwtSecret, "csp-channel-api/consistency-token", "X-Consistency-Token HMAC-SHA256, v1", 32));
}

const keys = new WeakMap<{ jwtSecret: Uint8Array }, Buffer>();

/** The key of this configuration, derived once (one entry per Config object). */
export function consistencyKeyOf(config: { jwtSecret: Uint8Array }): Buffer {
  let key = keys.get(config);
  if (!key) {
    key = consistencyTokenKey(config.jwtSecret);
    keys.set(config, key);
  }
  return key;
}

function mac(key: Buffer, signed: string): Buffer {
  return createHmac("sha256", key).update(signed).digest();
}

/**
 * The header value for these bookmarks (the last write's), or null when they would not pass
 * readConsistencyToken's limits (none, or too many or too long: Neo4j 5's are one of about 40
 * characters per database), so that the API never hands out a token it would refuse.
 */
export function signConsistencyToken(key: Buffer, bookmarks: readonly string[], nowMs = Date.now()): string | null {
  if (
    bookmarks.length === 0 ||
    bookmarks.length > CONSISTENCY_TOKEN_LIMITS.bookmarks ||
    !bookmarks.every((b) => b.length > 0 && b.length <= CONSISTENCY_TOKEN_LIMITS.bookmarkChars)
  ) {
    return null;
  }
  const payload = Buffer.from(JSON.stringify({ b: bookmarks, iat: Math.floor(nowMs / 1000) }), "utf8").toString("base64url");
  const signed = `${VERSION}.${payload}`;
  const token = `${signed}.${mac(key, signed).toString("base64url")}`;
  return token.length <= CONSISTENCY_TOKEN_LIMITS.maxChars ? token : null;
}

function refused(rule: "size" | "format" | "signature", message: string): BadRequestError {
  return new BadRequestError(`${CONSISTENCY_TOKEN_HEADER}: ${message} Send back the header of an earlier response unchanged, or none.`, {
    header: CONSISTENCY_TOKEN_HEADER,
    rule,
  });
}

/**
 * The bookmarks of a request's X-Consistency-Token (Node's header value: a string, or an array
 * for a repeated header), or null when it has none (absent or empty). Throws BadRequestError.
 */
export function readConsistencyToken(key: Buffer, header: string | string[] | undefined): string[] | null {
  if (header === undefined || header === "") return null;
  if (Array.isArray(header)) throw refused("format", "sent more than once.");
  // Before any decoding: the work below is linear in this bound.
  if (header.length > CONSISTENCY_TOKEN_LIMITS.maxChars) {
    throw refused("size", `longer than ${CONSISTENCY_TOKEN_LIMITS.maxChars} characters (${header.length}).`);
  }
  const shape = SHAPE.exec(header);
  if (!shape) throw refused("format", "not a token of this API.");
  const expected = mac(key, `${VERSION}.${shape[1]}`);
  const given = Buffer.from(shape[2], "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw refused("signature", "not signed by this deployment (another JWT_SECRET, or altered).");
  }
  // Signed by this deployment, so well-formed unless JWT_SECRET leaked; checked all the same.
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(shape[1], "base64url").toString("utf8"));
  } catch {
    throw refused("format", "its content is not readable.");
  }
  const bookmarks = (parsed as { b?: unknown } | null)?.b;
  if (
    !Array.isArray(bookmarks) ||
    bookmarks.length === 0 ||
    bookmarks.length > CONSISTENCY_TOKEN_LIMITS.bookmarks ||
    !bookmarks.every((b) => typeof b === "string" && b.length > 0 && b.length <= CONSISTENCY_TOKEN_LIMITS.bookmarkChars)
  ) {
    throw refused("format", `it must name 1 to ${CONSISTENCY_TOKEN_LIMITS.bookmarks} bookmarks.`);
  }
  return bookmarks as string[];
}
