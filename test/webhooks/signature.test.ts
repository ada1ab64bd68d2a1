import { createHmac, timingSafeEqual } from "node:crypto";
import { describe, expect, it } from "vitest";
import { nextAttemptAt, RETRY_WINDOW_MS, retryDelayMs } from "../../src/modules/webhooks/dispatcher.js";
import { newWebhookSecret, openSecret, sealingKey, sealSecret, signBody } from "../../src/modules/webhooks/signature.js";

/** The README's verification example, as a receiver writes it (D-30). */
function verify(secret: string, rawBody: Buffer, header: string | undefined): boolean {
  const expected = Buffer.from("sha256=" + createHmac("sha256", secret).update(rawBody).digest("hex"));
  const given = Buffer.from(header ?? "");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe("webhook signatures and secrets (D-30, T-5)", () => {
  it("when a body is signed, then the README's receiver check accepts it, and rejects another body or secret", () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const body = JSON.stringify({ id: "che_x", type: "ORDER_SUBMITTED", summary: "Zoë’s order" });
    const signature = signBody(secret, body);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verify(secret, Buffer.from(body, "utf8"), signature)).toBe(true);
    expect(verify(secret, Buffer.from(body + " ", "utf8"), signature)).toBe(false);
    expect(verify(newWebhookSecret(), Buffer.from(body, "utf8"), signature)).toBe(false);
    expect(verify(secret, Buffer.from(body, "utf8"), undefined)).toBe(false);
  });

  it("when a secret is sealed, then only the same key and webhook id open it, and the sealed text does not contain it", () => {
    const key = sealingKey(new TextEncoder().encode("x".repeat(48)));
    const secret = newWebhookSecret();
    const sealed = sealSecret(key, "whk_a", secret);
    expect(sealed).not.toContain(secret.slice(6));
    expect(openSecret(key, "whk_a", sealed)).toBe(secret);
    expect(() => openSecret(key, "whk_b", sealed)).toThrow();
    expect(() => openSecret(sealingKey(new TextEncoder().encode("y".repeat(48))), "whk_a", sealed)).toThrow();
  });

  it("when attempts fail, then the waits are 30 s, 1, 2, 4, 8, 16, 32 min, then 1 h (each ±20 %), and nothing is tried past 24 h after the first", () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 30].map((n) => retryDelayMs(n, middle) / 1000)).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
    expect(retryDelayMs(1, () => 0)).toBe(24_000);
    expect(retryDelayMs(1, () => 1)).toBe(36_000);
    const first = 1_000_000;
    expect(nextAttemptAt(1, first, first, middle)).toBe(first + 30_000);
    expect(nextAttemptAt(20, first + RETRY_WINDOW_MS - 60_000, first, middle)).toBe(first + RETRY_WINDOW_MS);
    expect(nextAttemptAt(21, first + RETRY_WINDOW_MS, first, middle)).toBeNull();
  });
});
