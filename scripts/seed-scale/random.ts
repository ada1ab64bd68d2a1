/**
 * Seeded randomness for the synthetic channel: everything is a pure function of (seed, kind,
 * index), so any customer can be generated on its own, in any order or chunk size, and the same
 * seed always gives the same graph, ids included.
 */
import { base32, ID_PREFIX, type IdKind } from "../../src/shared/ids.js";

/** murmur3's 32-bit finalizer: a bijection on 32-bit integers with good avalanche. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Mixes any number of 32-bit words (order matters) into one. */
export function hash32(...words: number[]): number {
  let h = 0x9e3779b9;
  for (const w of words) h = fmix32((h ^ fmix32((w >>> 0) + 0x7f4a7c15)) + 0x165667b1);
  return h;
}

/** Every stream of randomness has a kind code, so customer 5 and reseller 5 differ. */
export const STREAM = {
  Partner: 1,
  Customer: 2,
  User: 3,
  Subscription: 4,
  Offer: 5,
  Order: 6,
  RelationshipRequest: 7,
  ServiceRequest: 8,
  Lead: 9,
  AuditEvent: 10,
  DelegatedAdminRelationship: 11,
  ChannelEvent: 12,
  Webhook: 13,
  WebhookDelivery: 14,
  ProviderPlan: 20,
  ResellerPlan: 21,
  Ranks: 22,
} as const;

export function seedWords(seed: number): [number, number] {
  // Any safe integer: low and high 32 bits.
  return [seed >>> 0, Math.floor(seed / 2 ** 32) >>> 0];
}

/** sfc32: small, fast, 128-bit state; seeded from four independent hashes. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream: number, index: number) {
    const [lo, hi] = seedWords(seed);
    this.a = hash32(lo, hi, stream, index, 1);
    this.b = hash32(lo, hi, stream, index, 2);
    this.c = hash32(lo, hi, stream, index, 3);
    this.d = hash32(lo, hi, stream, index, 4);
    for (let i = 0; i < 12; i++) this.next32();
  }

  next32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.next32() / 4294967296;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** An index drawn with the given (not necessarily normalised) weights. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let u = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i];
      if (u < 0) return i;
    }
    return weights.length - 1;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

// ---------------------------------------------------------------------------------------------
// Ids: the format of src/shared/ids.ts (prefix, "_", 26 chars of [a-z2-7] = 128 bits), but the
// 128 bits come from the seed instead of crypto random.


/**
 * Precomputed per (seed, kind): each of the four 32-bit words of an id is
 * fmix32(fmix32(index ^ s1) + s2), a bijection of the index, so two indexes of one kind can
 * never get the same id: ids are unique by construction, not by luck.
 */
export class IdMaker {
  private readonly salts: number[] = [];
  private readonly prefix: string;
  private readonly bytes = new Uint8Array(16);

  constructor(seed: number, kind: IdKind) {
    const [lo, hi] = seedWords(seed);
    for (let word = 0; word < 8; word++) this.salts.push(hash32(lo, hi, STREAM[kind], 0x1d0 + word));
    this.prefix = `${ID_PREFIX[kind]}_`;
  }

  id(index: number): string {
    for (let word = 0; word < 4; word++) {
      const v = fmix32((fmix32((index ^ this.salts[2 * word]) >>> 0) + this.salts[2 * word + 1]) >>> 0);
      this.bytes[4 * word] = v >>> 24;
      this.bytes[4 * word + 1] = (v >>> 16) & 255;
      this.bytes[4 * word + 2] = (v >>> 8) & 255;
      this.bytes[4 * word + 3] = v & 255;
    }
    return this.prefix + base32(this.bytes);
  }
}

// ---------------------------------------------------------------------------------------------
// Skew

/**
 * Zipf over n items: item of rank k (1-based) has weight 1/k^s. Ranks are assigned by a seeded
 * shuffle, so the biggest items are scattered over the index (and so over names and MPN IDs).
 */
export class Zipf {
  private readonly cumulative: Float64Array;
  readonly itemOfRank: Int32Array;

  constructor(items: number, exponent: number, rng: Rng) {
    this.cumulative = new Float64Array(items);
    let total = 0;
    for (let k = 0; k < items; k++) {
      total += 1 / Math.pow(k + 1, exponent);
      this.cumulative[k] = total;
    }
    this.itemOfRank = new Int32Array(items);
    for (let i = 0; i < items; i++) this.itemOfRank[i] = i;
    for (let i = items - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      const t = this.itemOfRank[i];
      this.itemOfRank[i] = this.itemOfRank[j];
      this.itemOfRank[j] = t;
    }
  }

  get size(): number {
    return this.itemOfRank.length;
  }

  /** An item (0..n-1), drawn with the Zipf weights of its rank. */
  sample(rng: Rng): number {
    const n = this.cumulative.length;
    const u = rng.next() * this.cumulative[n - 1];
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return this.itemOfRank[lo];
  }

  /** k distinct items (k <= n), each drawn with the Zipf weights. */
  sampleDistinct(rng: Rng, k: number): number[] {
    const want = Math.min(k, this.size);
    const out: number[] = [];
    let tries = 0;
    while (out.length < want) {
      const item = this.sample(rng);
      if (!out.includes(item)) out.push(item);
      else if (++tries > 64) {
        // Nearly all the weight sits on items already taken: take the next free index.
        for (let i = 0; out.length < want && i < this.size; i++) if (!out.includes(i)) out.push(i);
      }
    }
    return out;
  }
}
