import { createHash, randomBytes } from "node:crypto";

/**
 * Single-use link tokens (D-17): 256 random bits, shown once in the link and stored only as a
 * SHA-256 hash. A slow KDF is not needed for a secret with this much entropy, and a plain hash
 * lets the token be found by an indexed lookup.
 */
export function newLinkToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashLinkToken(token) };
}

export function hashLinkToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
