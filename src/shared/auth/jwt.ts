import { LRUCache } from "lru-cache";
import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import { UnauthenticatedError } from "../errors.js";

const ISSUER = "csp-channel-api";
const AUDIENCE = "csp-channel-api";
const LIFETIME = "8h";

export interface TokenClaims {
  userId: string;
  /** The user's session version when the token was issued; a password change or reset bumps it. */
  sessionVersion: number;
}

export async function issueToken(userId: string, sessionVersion: number, secret: Uint8Array): Promise<string> {
  return new SignJWT({ sv: sessionVersion })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(LIFETIME)
    .sign(secret);
}

/**
 * Tokens whose signature and claims were verified, with their expiry (epoch seconds), per signing
 * key. A client sends the same token with every request, and verifying it (jose, WebCrypto HMAC)
 * showed in CPU profiles of small queries. The answer for a given token string and key never
 * changes until it expires, which is checked on every use; revocation (a changed password, a
 * removed user) is the viewer's session version, read from the graph on every request anyway.
 * Bounded by bytes (the token text and the entry), least recently used out first.
 */
const verified = new WeakMap<Uint8Array, LRUCache<string, { claims: TokenClaims; exp: number }>>();
export const VERIFIED_TOKENS_MAX_BYTES = 8 * 1024 * 1024;

function tokenCache(secret: Uint8Array): LRUCache<string, { claims: TokenClaims; exp: number }> {
  let cache = verified.get(secret);
  if (!cache) {
    cache = new LRUCache({ maxSize: VERIFIED_TOKENS_MAX_BYTES, sizeCalculation: (entry, token) => token.length * 2 + entry.claims.userId.length * 2 + 150 });
    verified.set(secret, cache);
  }
  return cache;
}

/** For tests: how many verified tokens are remembered for a key, and their estimated bytes. */
export function verifiedTokenStats(secret: Uint8Array): { entries: number; bytes: number } {
  const cache = verified.get(secret);
  return { entries: cache?.size ?? 0, bytes: cache?.calculatedSize ?? 0 };
}

function expired(): UnauthenticatedError {
  return new UnauthenticatedError("The token has expired; sign in again.");
}

/** Every failure (bad signature, expired, wrong audience, malformed) is the same UNAUTHENTICATED. */
export async function verifyToken(token: string, secret: Uint8Array): Promise<TokenClaims> {
  const cache = tokenCache(secret);
  const hit = cache.get(token);
  if (hit) {
    if (Date.now() / 1000 >= hit.exp) {
      cache.delete(token);
      throw expired();
    }
    return hit.claims;
  }
  let claims: TokenClaims;
  let exp: number;
  try {
    const { payload } = await jwtVerify(token, secret, { issuer: ISSUER, audience: AUDIENCE, algorithms: ["HS256"] });
    if (typeof payload.sub !== "string" || !Number.isInteger(payload.sv) || typeof payload.exp !== "number") {
      throw new UnauthenticatedError("The token is not valid.");
    }
    claims = { userId: payload.sub, sessionVersion: payload.sv as number };
    exp = payload.exp;
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw expired();
    throw new UnauthenticatedError("The token is not valid; sign in again.");
  }
  cache.set(token, { claims, exp });
  return claims;
}

/** `Authorization: Bearer <token>`; anything else in the header is a bad token, not anonymity. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined || header === "") return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new UnauthenticatedError("The Authorization header must be `Bearer <token>`.");
  return match[1];
}
