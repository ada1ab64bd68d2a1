import { randomBytes } from "node:crypto";
import { loadConfig } from "../../src/shared/config.js";
import { consistencyTokenKey, signConsistencyToken } from "../../src/shared/neo4j/consistency-token.js";

/**
 * Issue 15 test helpers: X-Consistency-Token as the tests' API processes sign it (the test apps'
 * JWT_SECRET: test/support/app.ts and test/support/processes.ts use the same one), and Neo4j 5
 * bookmarks the database has not got.
 */

/** The key of the test apps' and spawned processes' JWT_SECRET. */
export function testTokenKey(): Buffer {
  return consistencyTokenKey(loadConfig({ ...process.env, NODE_ENV: "test" }).jwtSecret);
}

/** A token signed as the API signs one (with the test apps' key unless another is given). */
export function signedToken(bookmarks: string[], key = testTokenKey()): string {
  const token = signConsistencyToken(key, bookmarks);
  if (!token) throw new Error("bookmarks over the token's limits");
  return token;
}

/** The bookmarks of a token (its payload is base64url JSON, opaque to clients but not to tests). */
export function bookmarksOf(token: string): string[] {
  return (JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8")) as { b: string[] }).b;
}

/**
 * Neo4j 5's bookmark, as 5.26 writes it: "FB:" + base64 of 0x9N (N databases), then per database
 * its 16-byte id (0xCC 0x10 + bytes) and its last transaction id (a PackStream integer), then
 * 0x90 (a database it has seen names of others' too: ids of bookmarks it was sent). The same,
 * every transaction id set to 2^62: transactions this database has not reached. Fails loudly
 * if a Neo4j version writes them otherwise (the test then needs another way).
 */
export function futureBookmark(real: string): string {
  const bytes = Buffer.from(real.slice(3), "base64");
  const count = bytes[0]! - 0x90;
  if (!real.startsWith("FB:") || count < 1 || count > 15) throw new Error(`unexpected bookmark format: ${real}`);
  const parts: Buffer[] = [Buffer.from([bytes[0]!])];
  let at = 1;
  for (let n = 0; n < count; n++) {
    if (bytes[at] !== 0xcc || bytes[at + 1] !== 0x10) throw new Error(`unexpected database id in bookmark ${real}`);
    parts.push(bytes.subarray(at, at + 18));
    at += 18;
    const marker = bytes[at]!;
    const intLength = marker < 0x80 || marker >= 0xf0 ? 1 : marker === 0xc8 ? 2 : marker === 0xc9 ? 3 : marker === 0xca ? 5 : marker === 0xcb ? 9 : 0;
    if (intLength === 0) throw new Error(`unexpected transaction id in bookmark ${real}`);
    parts.push(Buffer.from([0xcb, 0x40, 0, 0, 0, 0, 0, 0, 0]));
    at += intLength;
  }
  parts.push(bytes.subarray(at));
  return `FB:${Buffer.concat(parts).toString("base64")}`;
}

/** A well-formed bookmark of a database that is not this one (a random store id: Neo4j ignores it). */
export function otherDatabaseBookmark(): string {
  const bytes = Buffer.concat([Buffer.from([0x91, 0xcc, 0x10]), randomBytes(16), Buffer.from([0x05, 0x90])]);
  return `FB:${bytes.toString("base64")}`;
}
