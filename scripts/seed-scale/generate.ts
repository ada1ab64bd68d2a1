/**
 * The synthetic channel, generated in memory. Pure: everything derives from (customers, seed), and
 * each customer from (seed, its index) alone, so customers are produced in chunks of any size and
 * in any order (streaming, parallel writers) and two runs give the same graph, ids included.
 *
 * Shape (issue 5):
 *  - resellers = max(1, round(N / 100)), providers = max(1, round(resellers / 50));
 *  - ~2% of providers and resellers are UNDER_REVIEW (never the first of each): enrollments not yet
 *    approved, so they have no partnerships, no customers, and only their global admin (D-4, D-5);
 *  - every ACTIVE reseller is partnered with 1..3 ACTIVE providers (INDIRECT_PROVIDER_OF);
 *  - a customer has 1..3 resellers of record, drawn from a Zipf distribution over the resellers
 *    (a few resellers have very many customers); ~80% of them share a provider: the provider is of
 *    record too and is an indirect provider of one of the customer's resellers (D-11, D-12);
 *  - ~1% of customers are a provider's direct customers: that provider is their only partner of
 *    record, and their subscriptions are not SOLD_THROUGH any reseller;
 *  - 1..4 subscriptions per customer on distinct offers (Microsoft 365 E3 the most common),
 *    ORDERED_BY a provider of record when the customer has one and SOLD_THROUGH a reseller of
 *    record that the ordering provider is an indirect provider of (D-19);
 *  - an order (D-19) for the subscriptions ORDERED_BY a provider and SOLD_THROUGH a reseller:
 *    those of one customer with the same provider, reseller and createdAt make one order, as
 *    cypher/queries/orders/create.cypher makes one order of its line items (same createdAt);
 *    mostly one line item, a few with several (subscriptions clamped at the end of the time line).
 *    No randomness of its own: derived from the subscriptions, so adding orders changed nothing
 *    else the generator makes;
 *  - six users per ACTIVE partner, one per role of the demo (ga, aa, sa, ha, uma, none).
 */
import { DEMO_OFFERS, DEMO_SERVICES } from "../../src/demo/demo-data.js";
import { address, partnerName, personName, pickCountry, customerName, type Country } from "./names.js";
import { IdMaker, Rng, STREAM, Zipf } from "./random.js";

export interface ScaleShapeOptions {
  customers: number;
  seed: number;
}

export const CUSTOMERS_PER_RESELLER = 100;
export const RESELLERS_PER_PROVIDER = 50;
export const UNDER_REVIEW_SHARE = 0.02;
export const DIRECT_CUSTOMER_SHARE = 0.01;
export const SHARED_CUSTOMER_SHARE = 0.8;
/** Zipf exponent of the resellers' (and providers') sizes: 1 is the classic, heavy-tailed Zipf. */
export const ZIPF_EXPONENT = 1;

/** Offers by weight: Microsoft 365 E3 the most common. Keys are DEMO_OFFERS keys. */
export const OFFER_WEIGHTS: Record<(typeof DEMO_OFFERS)[number]["key"], number> = {
  "m365-e3": 45,
  "m365-basic": 25,
  "azure-plan": 20,
  "d365-sales": 10,
};
export const OFFERS = DEMO_OFFERS.map((o) => ({ ...o, weight: OFFER_WEIGHTS[o.key] }));
export const SERVICES = DEMO_SERVICES;

export const ROLES = [
  { local: "ga", agentRole: "ADMIN_AGENT", adminRole: "GLOBAL_ADMIN", title: "Global Admin" },
  { local: "aa", agentRole: "ADMIN_AGENT", adminRole: "NONE", title: "Admin Agent" },
  { local: "sa", agentRole: "SALES_AGENT", adminRole: "NONE", title: "Sales Agent" },
  { local: "ha", agentRole: "HELPDESK_AGENT", adminRole: "NONE", title: "Helpdesk Agent" },
  { local: "uma", agentRole: "NONE", adminRole: "USER_MANAGEMENT_ADMIN", title: "User Management Admin" },
  { local: "none", agentRole: "NONE", adminRole: "NONE", title: "No Role" },
] as const;

// Time line (epoch millis, fixed: no Date.now(), so a run is reproducible).
const DAY = 86_400_000;
const ms = (iso: string) => Date.parse(iso);
const PARTNERS_FROM = ms("2015-01-01T00:00:00Z");
const PARTNERS_TO = ms("2018-06-30T00:00:00Z");
const CUSTOMERS_FROM = ms("2019-01-01T00:00:00Z");
const CUSTOMERS_TO = ms("2025-06-30T00:00:00Z");
const UNDER_REVIEW_FROM = ms("2025-09-01T00:00:00Z");
const END = ms("2025-10-31T00:00:00Z");
/** Service statuses created by the seeder are as of this time. */
export const SERVICES_UPDATED_AT = END;

// Id index spaces (IdMaker takes a 32-bit index).
const RESELLER_INDEX_BASE = 0x0800_0000;
const USER_SLOTS_PER_PARTNER = 8;
const SUBSCRIPTION_SLOTS_PER_CUSTOMER = 4;

export function scaleShape(customers: number): { customers: number; resellers: number; providers: number } {
  const resellers = Math.max(1, Math.round(customers / CUSTOMERS_PER_RESELLER));
  const providers = Math.max(1, Math.round(resellers / RESELLERS_PER_PROVIDER));
  return { customers, resellers, providers };
}

export interface PartnerRow {
  id: string;
  kind: "PROVIDER" | "RESELLER";
  active: boolean;
  createdAt: number;
  emailVerifiedAt: number | null;
  props: {
    kind: "PROVIDER" | "RESELLER";
    name: string;
    nameLower: string;
    mpnId: string;
    countryCode: string;
    tenantDomain: string;
    enrollmentStatus: "ACTIVE" | "UNDER_REVIEW";
    addressLine1: string;
    addressCity: string;
    addressPostalCode: string;
    addressCountryCode: string;
    primaryContactName: string;
    primaryContactEmail: string;
    supportEmail: string;
    supportWebsite: string;
  };
}

export interface UserRow {
  id: string;
  partnerId: string;
  email: string;
  displayName: string;
  agentRole: string;
  adminRole: string;
  createdAt: number;
}

export interface PartnershipRow {
  providerId: string;
  resellerId: string;
  since: number;
}

export interface RecordRow {
  partnerId: string;
  provider: boolean;
  since: number;
  delegatedAdmin: boolean;
}

export interface SubscriptionRow {
  id: string;
  /** A DEMO_OFFERS key. */
  offer: string;
  quantity: number;
  status: "ACTIVE" | "SUSPENDED";
  createdAt: number;
  /** SOLD_THROUGH (null for a provider's direct customer). */
  resellerId: string | null;
  /** ORDERED_BY (null when the customer has no provider of record). */
  providerId: string | null;
}

/**
 * An order as cypher/queries/orders/create.cypher writes it (status COMPLETED, partnerIdOnRecord
 * the reseller's MPN ID, line items as parallel lists) with its FOR_CUSTOMER, PLACED_BY,
 * ON_RECORD_FOR and CREATED edges.
 */
export interface OrderRow {
  id: string;
  createdAt: number;
  /** PLACED_BY */
  providerId: string;
  /** ON_RECORD_FOR; its mpnId is the order's partnerIdOnRecord. */
  resellerId: string;
  /** CREATED, in line-item order. */
  subscriptionIds: string[];
  /** Line items: DEMO_OFFERS keys and quantities (as ordered: the subscriptions' quantities when created). */
  offers: string[];
  quantities: number[];
}

export interface CustomerRow {
  id: string;
  companyName: string;
  companyNameLower: string;
  domain: string;
  countryCode: string;
  createdAt: number;
  records: RecordRow[];
  subscriptions: SubscriptionRow[];
  orders: OrderRow[];
  /** The newest order's createdAt (submitOrder sets Customer.lastOrderedAt); null without orders. */
  lastOrderedAt: number | null;
}

export interface ChannelPlan {
  customers: number;
  seed: number;
  providers: PartnerRow[];
  resellers: PartnerRow[];
  partnerships: PartnershipRow[];
  users: UserRow[];
  /** Seeded ids for the offers, used only when the database has no offer of that name. */
  offerIds: Record<string, string>;
  // For the customers:
  activeProviders: number[];
  activeResellers: number[];
  providersOfReseller: number[][];
  providerZipf: Zipf;
  resellerZipf: Zipf;
  customerIds: IdMaker;
  subscriptionIds: IdMaker;
  orderIds: IdMaker;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function clampEnd(t: number): number {
  return Math.min(t, END);
}

function partner(
  seed: number,
  kind: "PROVIDER" | "RESELLER",
  index: number,
  ids: IdMaker,
  active: boolean,
): PartnerRow {
  const rng = new Rng(seed, kind === "PROVIDER" ? STREAM.ProviderPlan : STREAM.ResellerPlan, index);
  const country: Country = pickCountry(rng);
  const name = partnerName(rng, kind, country);
  const number = index + 1;
  const tenantDomain = kind === "PROVIDER" ? `prv-${pad(number, 5)}-s${seed}.example` : `rsl-${pad(number, 6)}-s${seed}.example`;
  const mpnId = String((kind === "PROVIDER" ? 50_000_000 : 60_000_000) + number);
  const where = address(rng, country);
  const createdAt = active
    ? PARTNERS_FROM + Math.floor(rng.next() * (PARTNERS_TO - PARTNERS_FROM))
    : UNDER_REVIEW_FROM + Math.floor(rng.next() * (END - 2 * DAY - UNDER_REVIEW_FROM));
  return {
    id: ids.id(kind === "PROVIDER" ? index : RESELLER_INDEX_BASE + index),
    kind,
    active,
    createdAt,
    emailVerifiedAt: active ? null : createdAt + rng.int(1, 47) * 3_600_000,
    props: {
      kind,
      name,
      nameLower: name.toLowerCase(),
      mpnId,
      countryCode: country.code,
      tenantDomain,
      enrollmentStatus: active ? "ACTIVE" : "UNDER_REVIEW",
      addressLine1: where.line1,
      addressCity: where.city,
      addressPostalCode: where.postalCode,
      addressCountryCode: country.code,
      primaryContactName: personName(rng),
      primaryContactEmail: `contact@${tenantDomain}`,
      supportEmail: `support@${tenantDomain}`,
      supportWebsite: `https://www.${tenantDomain}`,
    },
  };
}

/** Whether partner `index` of a kind is UNDER_REVIEW: ~2%, never the first one of each kind. */
function underReview(seed: number, kind: "PROVIDER" | "RESELLER", index: number): boolean {
  if (index === 0) return false;
  return new Rng(seed, kind === "PROVIDER" ? STREAM.ProviderPlan : STREAM.ResellerPlan, index + 0x4000_0000).chance(UNDER_REVIEW_SHARE);
}

/** Partners, their users and partnerships, and what customer generation needs. Small (N / 100 resellers). */
export function planChannel(options: ScaleShapeOptions): ChannelPlan {
  const { customers, seed } = options;
  if (!Number.isSafeInteger(customers) || customers < 1) throw new Error(`customers must be a positive integer, got ${customers}`);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`seed must be a non-negative integer, got ${seed}`);
  const shape = scaleShape(customers);
  const partnerIds = new IdMaker(seed, "Partner");
  const providers: PartnerRow[] = [];
  const resellers: PartnerRow[] = [];
  for (let i = 0; i < shape.providers; i++) providers.push(partner(seed, "PROVIDER", i, partnerIds, !underReview(seed, "PROVIDER", i)));
  for (let i = 0; i < shape.resellers; i++) resellers.push(partner(seed, "RESELLER", i, partnerIds, !underReview(seed, "RESELLER", i)));

  const activeProviders = providers.flatMap((p, i) => (p.active ? [i] : []));
  const activeResellers = resellers.flatMap((r, i) => (r.active ? [i] : []));
  const providerZipf = new Zipf(activeProviders.length, ZIPF_EXPONENT, new Rng(seed, STREAM.Ranks, 1));
  const resellerZipf = new Zipf(activeResellers.length, ZIPF_EXPONENT, new Rng(seed, STREAM.Ranks, 2));

  // Partnerships: every ACTIVE reseller with 1..3 ACTIVE providers (the big providers more often).
  const providersOfReseller: number[][] = resellers.map(() => []);
  const partnerships: PartnershipRow[] = [];
  for (const r of activeResellers) {
    const rng = new Rng(seed, STREAM.ResellerPlan, r + 0x2000_0000);
    const count = 1 + rng.weighted([55, 30, 15]);
    const chosen = providerZipf.sampleDistinct(rng, count).map((k) => activeProviders[k]);
    providersOfReseller[r] = chosen;
    for (const p of chosen) {
      const after = Math.max(providers[p].createdAt, resellers[r].createdAt);
      partnerships.push({ providerId: providers[p].id, resellerId: resellers[r].id, since: after + rng.int(1, 180) * DAY });
    }
  }

  // Users: the six roles for every ACTIVE partner; only the global admin of an enrollment under review.
  const userIds = new IdMaker(seed, "User");
  const users: UserRow[] = [];
  const addUsers = (p: PartnerRow, slotBase: number) => {
    const rng = new Rng(seed, STREAM.User, slotBase);
    const roles = p.active ? ROLES : ROLES.slice(0, 1);
    roles.forEach((role, k) => {
      users.push({
        id: userIds.id(slotBase * USER_SLOTS_PER_PARTNER + k),
        partnerId: p.id,
        email: `${role.local}@${p.props.tenantDomain}`,
        displayName: `${p.props.name} ${role.title}`,
        agentRole: role.agentRole,
        adminRole: role.adminRole,
        createdAt: k === 0 ? p.createdAt : p.createdAt + rng.int(1, 60) * DAY,
      });
    });
  };
  providers.forEach((p, i) => addUsers(p, i));
  resellers.forEach((r, i) => addUsers(r, RESELLER_INDEX_BASE + i));

  const offerIdMaker = new IdMaker(seed, "Offer");
  const offerIds = Object.fromEntries(OFFERS.map((o, i) => [o.key, offerIdMaker.id(i)]));

  return {
    customers,
    seed,
    providers,
    resellers,
    partnerships,
    users,
    offerIds,
    activeProviders,
    activeResellers,
    providersOfReseller,
    providerZipf,
    resellerZipf,
    customerIds: new IdMaker(seed, "Customer"),
    subscriptionIds: new IdMaker(seed, "Subscription"),
    orderIds: new IdMaker(seed, "Order"),
  };
}

const OFFER_WEIGHT_LIST = OFFERS.map((o) => o.weight);
const LN_500 = Math.log(500);

/** Customer `index` (0-based) with its partners of record and subscriptions. */
export function generateCustomer(plan: ChannelPlan, index: number): CustomerRow {
  const { seed } = plan;
  const rng = new Rng(seed, STREAM.Customer, index);
  const country = pickCountry(rng);
  const companyName = customerName(rng, country);
  const createdAt = CUSTOMERS_FROM + Math.floor(rng.next() * (CUSTOMERS_TO - CUSTOMERS_FROM));

  const records: RecordRow[] = [];
  const resellerSince = new Map<number, number>();
  const providerSince = new Map<number, number>();
  let resellers: number[] = [];
  if (rng.chance(DIRECT_CUSTOMER_SHARE)) {
    // A provider's direct customer: the provider alone is of record.
    const p = plan.activeProviders[plan.providerZipf.sample(rng)];
    providerSince.set(p, clampEnd(createdAt + rng.int(0, 30) * DAY));
  } else {
    const count = 1 + rng.weighted([60, 30, 10]);
    resellers = plan.resellerZipf.sampleDistinct(rng, count).map((k) => plan.activeResellers[k]);
    resellers.forEach((r, k) => resellerSince.set(r, clampEnd(createdAt + (k === 0 ? rng.int(0, 30) : rng.int(30, 720)) * DAY)));
    if (rng.chance(SHARED_CUSTOMER_SHARE)) {
      // Shared with a provider of its first reseller (D-11); now and then a second provider,
      // also an indirect provider of one of the customer's resellers.
      const first = resellers[0];
      const p = rng.pick(plan.providersOfReseller[first]);
      providerSince.set(p, clampEnd(resellerSince.get(first)! + rng.int(0, 60) * DAY));
      if (rng.chance(0.05)) {
        const others = [...new Set(resellers.flatMap((r) => plan.providersOfReseller[r]))].filter((x) => x !== p);
        if (others.length > 0) {
          const q = rng.pick(others);
          const via = resellers.filter((r) => plan.providersOfReseller[r].includes(q));
          const since = Math.max(...via.map((r) => resellerSince.get(r)!));
          providerSince.set(q, clampEnd(since + rng.int(0, 120) * DAY));
        }
      }
    }
  }
  for (const r of resellers) {
    records.push({ partnerId: plan.resellers[r].id, provider: false, since: resellerSince.get(r)!, delegatedAdmin: rng.chance(0.9) });
  }
  const providers = [...providerSince.keys()];
  for (const p of providers) {
    records.push({ partnerId: plan.providers[p].id, provider: true, since: providerSince.get(p)!, delegatedAdmin: rng.chance(0.05) });
  }

  // 1..4 subscriptions, on distinct offers.
  const subscriptionCount = 1 + rng.weighted([40, 30, 20, 10]);
  const weights = [...OFFER_WEIGHT_LIST];
  const subscriptions: SubscriptionRow[] = [];
  for (let k = 0; k < subscriptionCount; k++) {
    const o = rng.weighted(weights);
    weights[o] = 0;
    const offer = OFFERS[o];
    let provider: number | null = null;
    let reseller: number | null = null;
    if (providers.length > 0) {
      provider = rng.pick(providers);
      const via = resellers.filter((r) => plan.providersOfReseller[r].includes(provider!));
      reseller = via.length > 0 ? rng.pick(via) : null; // none only for a direct customer
    } else {
      reseller = rng.pick(resellers);
    }
    const after = Math.max(
      reseller === null ? 0 : resellerSince.get(reseller)!,
      provider === null ? 0 : providerSince.get(provider)!,
    );
    const quantity = offer.key === "azure-plan" ? 1 : Math.min(500, Math.floor(Math.exp(rng.next() * LN_500)) + (rng.chance(0.3) ? rng.int(0, 9) : 0));
    subscriptions.push({
      id: plan.subscriptionIds.id(index * SUBSCRIPTION_SLOTS_PER_CUSTOMER + k),
      offer: offer.key,
      quantity: Math.max(1, quantity),
      status: rng.chance(0.03) ? "SUSPENDED" : "ACTIVE",
      createdAt: clampEnd(after + rng.int(0, 180) * DAY),
      resellerId: reseller === null ? null : plan.resellers[reseller].id,
      providerId: provider === null ? null : plan.providers[provider].id,
    });
  }

  const orders = ordersOf(plan, index, subscriptions);
  return {
    id: plan.customerIds.id(index),
    companyName,
    companyNameLower: companyName.toLowerCase(),
    domain: `cust-${pad(index + 1, 7)}-s${seed}.example`,
    countryCode: country.code,
    createdAt,
    records,
    subscriptions,
    orders,
    lastOrderedAt: orders.length ? Math.max(...orders.map((o) => o.createdAt)) : null,
  };
}

/**
 * The orders of customer `index` (D-19): its subscriptions with both a provider and a reseller,
 * grouped by (provider, reseller, createdAt), in subscription order. An order's id takes the
 * index slot of its first subscription, so ids are unique by construction.
 */
function ordersOf(plan: ChannelPlan, index: number, subscriptions: SubscriptionRow[]): OrderRow[] {
  const orders: OrderRow[] = [];
  const byKey = new Map<string, OrderRow>();
  subscriptions.forEach((s, k) => {
    if (s.providerId === null || s.resellerId === null) return;
    const key = `${s.providerId}|${s.resellerId}|${s.createdAt}`;
    let order = byKey.get(key);
    if (!order) {
      order = {
        id: plan.orderIds.id(index * SUBSCRIPTION_SLOTS_PER_CUSTOMER + k),
        createdAt: s.createdAt,
        providerId: s.providerId,
        resellerId: s.resellerId,
        subscriptionIds: [],
        offers: [],
        quantities: [],
      };
      byKey.set(key, order);
      orders.push(order);
    }
    order.subscriptionIds.push(s.id);
    order.offers.push(s.offer);
    order.quantities.push(s.quantity);
  });
  return orders;
}

/** Customers [start, end). */
export function generateCustomers(plan: ChannelPlan, start: number, end: number): CustomerRow[] {
  const rows: CustomerRow[] = [];
  for (let i = start; i < Math.min(end, plan.customers); i++) rows.push(generateCustomer(plan, i));
  return rows;
}

/** The whole channel, chunk by chunk: what gets written, without holding it all at once. */
export function* customerChunks(plan: ChannelPlan, chunkSize: number): Generator<CustomerRow[]> {
  for (let start = 0; start < plan.customers; start += chunkSize) yield generateCustomers(plan, start, start + chunkSize);
}
