import { randomBytes } from "node:crypto";

/**
 * Public ids are opaque strings: a short type prefix and 128 random bits (base32, lower case).
 * The prefix lets `node(id)` pick the label (and so the uniqueness index) without a label-less
 * scan; clients must not rely on the shape.
 */
export const ID_PREFIX = {
  Partner: "ptn",
  Customer: "cus",
  User: "usr",
  Subscription: "sub",
  Order: "ord",
  Offer: "off",
  RelationshipRequest: "req",
  ServiceRequest: "srq",
  Lead: "led",
  AuditEvent: "evt",
  DelegatedAdminRelationship: "gda",
  ChannelEvent: "che",
  Webhook: "whk",
  WebhookDelivery: "whd",
} as const;

export type IdKind = keyof typeof ID_PREFIX;

const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

/** RFC 4648 base32, lower case, unpadded: the body of every id. */
export function base32(bytes: Uint8Array): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export function newId(kind: IdKind): string {
  return `${ID_PREFIX[kind]}_${base32(randomBytes(16))}`;
}

const KIND_BY_PREFIX = new Map<string, IdKind>(
  Object.entries(ID_PREFIX).map(([kind, prefix]) => [prefix, kind as IdKind]),
);

/** The kind an id claims to be, or null for anything that is not one of ours. */
export function kindOfId(id: string): IdKind | null {
  const match = /^([a-z]{3})_[a-z2-7]{26}$/.exec(id);
  return match ? (KIND_BY_PREFIX.get(match[1]) ?? null) : null;
}
