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

/** Every failure (bad signature, expired, wrong audience, malformed) is the same UNAUTHENTICATED. */
export async function verifyToken(token: string, secret: Uint8Array): Promise<TokenClaims> {
  try {
    const { payload } = await jwtVerify(token, secret, { issuer: ISSUER, audience: AUDIENCE, algorithms: ["HS256"] });
    if (typeof payload.sub !== "string" || !Number.isInteger(payload.sv)) throw new UnauthenticatedError("The token is not valid.");
    return { userId: payload.sub, sessionVersion: payload.sv as number };
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new UnauthenticatedError("The token has expired; sign in again.");
    throw new UnauthenticatedError("The token is not valid; sign in again.");
  }
}

/** `Authorization: Bearer <token>`; anything else in the header is a bad token, not anonymity. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined || header === "") return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new UnauthenticatedError("The Authorization header must be `Bearer <token>`.");
  return match[1];
}
