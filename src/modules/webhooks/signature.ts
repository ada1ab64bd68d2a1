import type { Config } from "../../shared/config.js";
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";

/**
 * D-30: a webhook's signing secret, the signature of a delivery, and the secret as stored.
 *
 * The secret is shown once, by createWebhook. The server needs it to sign every delivery, so it
 * cannot be hashed like a password: it is stored sealed, AES-256-GCM with a key derived from
 * JWT_SECRET (HKDF-SHA256, its own salt and info, so the key signs no token and a token key opens
 * no secret), the webhook's id as additional data (a sealed secret copied onto another webhook
 * does not open). A copy of the database (a backup, a Neo4j Browser session, a log of properties)
 * thus holds no usable secret (T-5). Changing JWT_SECRET makes the stored secrets unreadable:
 * their deliveries fail (logged as such) until the webhook is created again.
 */

export const SECRET_PREFIX = "whsec_";

/** A new signing secret: "whsec_" + 32 random bytes, base64url (43 characters). */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString("base64url");
}

/** `X-Channel-Signature`: "sha256=" + the hex HMAC-SHA256 of the exact raw body with the secret. */
export function signBody(secret: string, body: string | Uint8Array): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** The sealing key (32 bytes) of a JWT_SECRET. */
export function sealingKey(jwtSecret: Uint8Array): Buffer {
  return Buffer.from(hkdfSync("sha256", jwtSecret, "csp-channel-api/webhooks", "webhook signing secret, AES-256-GCM, v1", 32));
}

const keys = new WeakMap<Pick<Config, "jwtSecret">, Buffer>();

/** The key that seals the webhook secrets of this configuration, derived once. */
export function webhookSealingKey(config: Pick<Config, "jwtSecret">): Buffer {
  let key = keys.get(config);
  if (!key) {
    key = sealingKey(config.jwtSecret);
    keys.set(config, key);
  }
  return key;
}

const VERSION = "v1";

/** "v1.<iv>.<ciphertext><tag>", base64url: what the graph stores (Webhook.secretSealed). */
export function sealSecret(key: Buffer, webhookId: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(webhookId, "utf8"));
  const sealed = Buffer.concat([cipher.update(secret, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}.${iv.toString("base64url")}.${sealed.toString("base64url")}`;
}

/** The secret of a sealed value; throws when it was sealed with another key or for another webhook. */
export function openSecret(key: Buffer, webhookId: string, sealed: string): string {
  const [version, ivText, bodyText] = sealed.split(".");
  if (version !== VERSION || !ivText || !bodyText) throw new Error("the stored webhook secret is not in a known format");
  const body = Buffer.from(bodyText, "base64url");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(ivText, "base64url"));
  decipher.setAAD(Buffer.from(webhookId, "utf8"));
  decipher.setAuthTag(body.subarray(body.length - 16));
  return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString("utf8");
}
