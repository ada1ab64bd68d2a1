/**
 * Writes the generated channel into Neo4j: batched UNWIND, CREATE (never MERGE) for the new nodes
 * (ids, domains, emails and MPN IDs are unique by construction and the constraints check it),
 * relationships to existing nodes matched by their unique (indexed) id. Every node written gets
 * `scale: true` and `scaleSeed`, and one (:ScaleRun) node records the run, so `wipeScale` removes
 * exactly the synthetic data and a second run can tell what is already there.
 */
import neo4j, { type Driver, type Session } from "neo4j-driver";
import { hashPassword } from "../../src/shared/auth/password.js";
import { base32, ID_PREFIX } from "../../src/shared/ids.js";
import { cypher, cypherFragment } from "../../src/shared/neo4j/queries.js";
import {
  OFFERS,
  SERVICES,
  SERVICES_UPDATED_AT,
  generateCustomers,
  planChannel,
  scaleShape,
  type CustomerRow,
  type PartnerRow,
  type SubscriptionRow,
} from "./generate.js";

/**
 * Customers per transaction (and partners, users, partnerships per transaction). Progress moves
 * when a batch commits: 10,000 customers in one transaction left the bar at 0% for 22 s on a cold
 * JVM (the whole of a 10,000-customer run, its commit alone 2-11 s), and loaded no faster than
 * 1,000 (measured warm on the 2-core development machine: 10,000 customers 5.7 s against 2.5-4.6
 * s, 100,000 customers 26.6 s against 27.4 s). With 1,000 and two writers, progress moves every
 * 0.2-0.8 s warm; the bar itself ticks every second meanwhile (progress.ts).
 */
export const DEFAULT_BATCH_SIZE = 1_000;
export const DEFAULT_WRITERS = 2;
export const DEFAULT_PASSWORD = "scale-Passw0rd!";
/** Partners recounted per transaction after the customers are written. */
const COUNTER_BATCH = 20;

export interface SeedOptions {
  database: string;
  customers: number;
  seed: number;
  /** The password of every seeded user (one scrypt hash for all); default DEFAULT_PASSWORD. */
  password?: string;
  /** Customers per transaction (each with its subscriptions and edges). */
  batchSize?: number;
  /** Sessions writing customer batches in parallel. */
  writers?: number;
  onProgress?: (event: ProgressEvent) => void;
}

export interface ProgressEvent {
  phase: "partners" | "users" | "partnerships" | "customers" | "counters";
  done: number;
  total: number;
}

export interface SeedReport {
  outcome: "loaded" | "already-loaded";
  customers: number;
  seed: number;
  written: {
    providers: number;
    resellers: number;
    partnerships: number;
    users: number;
    customers: number;
    subscriptions: number;
    resellerOfRecord: number;
    soldThrough: number;
    orderedBy: number;
    /** Orders (D-19) and their CREATED edges (line items). */
    orders: number;
    orderLineItems: number;
    offersCreated: number;
    servicesCreated: number;
    /** Customer batches the driver ran again after a transient error (a deadlock between writers). */
    retriedBatches: number;
  };
  seconds: { partners: number; customers: number; counters: number; total: number };
}

/**
 * What a run's graph holds, recorded on its ScaleRun: 1 (no `shape` stored) had no orders; 2 adds
 * the orders (D-19). A complete run of the same size and seed but an older shape is not "already
 * loaded": the bench's Orders case would measure a channel without orders.
 */
export const SCALE_SHAPE = 2;

export interface ScaleRunInfo {
  seed: number;
  customers: number;
  /** SCALE_SHAPE of the seed:scale that wrote it. */
  shape: number;
  complete: boolean;
  startedAt: string;
}

export interface ScaleState {
  runs: ScaleRunInfo[];
  /** Synthetic nodes exist (whether or not a ScaleRun records them). */
  dataPresent: boolean;
}

/** Synthetic data of another size or seed (or of an interrupted run) is in the database. */
export class ScaleConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScaleConflict";
  }
}

// ---------------------------------------------------------------------------------------------
// Cypher

const CREATE_RUN = `
CREATE (:ScaleRun {scale: true, scaleSeed: $seed, customers: $customers, shape: $shape, startedAt: datetime({epochMillis: timestamp()})})`;

const COMPLETE_RUN = `
MATCH (m:ScaleRun {scaleSeed: $seed, customers: $customers}) SET m.completedAt = datetime({epochMillis: timestamp()})`;

const READ_STATE = `
OPTIONAL MATCH (m:ScaleRun)
WITH collect(m {.scaleSeed, .customers, .shape, .completedAt, .startedAt}) AS runs
RETURN runs,
       EXISTS { MATCH (p:Partner) WHERE p.scale = true } OR EXISTS { MATCH (c:Customer) WHERE c.scale = true } AS dataPresent`;

const EXISTING_OFFERS = `
MATCH (o:Offer) WHERE o.name IN $names
RETURN o.name AS name, o.id AS id ORDER BY o.name, o.id`;

const CREATE_OFFERS = `
UNWIND $offers AS o
CREATE (:Offer {id: o.id, name: o.name, productFamily: o.productFamily, scale: true, scaleSeed: $seed})`;

const ENSURE_SERVICES = `
UNWIND $services AS s
OPTIONAL MATCH (x:ServiceStatus {service: s.service})
WITH s, x WHERE x IS NULL
CREATE (n:ServiceStatus {
  service: s.service, productFamily: s.productFamily, status: 'HEALTHY', updatedAt: datetime({epochMillis: toInteger(s.updatedAt)}),
  scale: true, scaleSeed: $seed
})
RETURN count(n) AS created`;

const partnerCypher = (label: "Provider" | "Reseller") => `
UNWIND $rows AS p
CREATE (n:Partner:${label} {id: p.id})
SET n += p.props, n.createdAt = datetime({epochMillis: toInteger(p.createdAt)}),
    n.emailVerifiedAt = CASE WHEN p.emailVerifiedAt IS NULL THEN null ELSE datetime({epochMillis: toInteger(p.emailVerifiedAt)}) END,
    n.scale = true, n.scaleSeed = $seed`;

const CREATE_USERS = `
UNWIND $rows AS u
MATCH (p:Partner {id: u.partnerId})
CREATE (:User {
  id: u.id, email: u.email, displayName: u.displayName, agentRole: u.agentRole, adminRole: u.adminRole,
  passwordHash: $passwordHash, mustChangePassword: false, createdAt: datetime({epochMillis: toInteger(u.createdAt)}),
  scale: true, scaleSeed: $seed
})-[:MEMBER_OF]->(p)`;

const CREATE_PARTNERSHIPS = `
UNWIND $rows AS e
MATCH (p:Partner {id: e.providerId}), (r:Partner {id: e.resellerId})
CREATE (p)-[:INDIRECT_PROVIDER_OF {since: datetime({epochMillis: toInteger(e.since)}),
                                   listKey: ${cypherFragment("partnership-list-key", "p", "r")}}]->(r)`;

/** A subscription's properties inside CREATE's map (`s`: its row, `offer`: the variable of its Offer). */
const subscriptionProperties = (offer: string) => `
  id: s.id, offerId: ${offer}.id, offerName: ${offer}.name, productFamily: ${offer}.productFamily, quantity: toInteger(s.quantity),
  status: s.status, createdAt: datetime({epochMillis: toInteger(s.createdAt)}), scale: true, scaleSeed: $seed`;

/**
 * One batch of customers with everything hanging off them. The new nodes are in scope, so only
 * partners and offers are looked up, by unique-index seeks: partners as :Partner, the label of
 * the id constraint (:Reseller {id} would be a label scan). Rows name them by position in
 * $partnerIds / $offerIds (a batch's distinct partners, sent once, not once per edge); a null
 * position matches nothing, which leaves out SOLD_THROUGH / ORDERED_BY where the generator has
 * none. (Looking every partner up once per batch and taking nodes from a list measured no faster
 * and makes the planner add Eager operators.)
 *
 * Orders are written as cypher/queries/orders/create.cypher writes them (the same properties,
 * edges and edge listKeys, fragments/order-list-key.cypher), each with its subscriptions, created
 * under it as create.cypher does; the row's `subscriptions` are the others (no order made them).
 * Nothing created here is read back (a subscription found by id, or a node taken from a list or
 * a CASE, made the planner buffer the whole batch in Eager operators: 300-570 customers/s
 * instead of thousands). Customers with orders get `lastOrderedAt`, as orders/submit-check sets it.
 */
const CREATE_CUSTOMERS = `
UNWIND $rows AS row
CREATE (c:Customer {
  id: row.id, companyName: row.companyName, companyNameLower: row.companyNameLower, domain: row.domain,
  countryCode: row.countryCode, createdAt: datetime({epochMillis: toInteger(row.createdAt)}), scale: true, scaleSeed: $seed
})
WITH c, row
CALL (c, row) {
  UNWIND row.records AS e
  MATCH (p:Partner {id: $partnerIds[toInteger(e.partner)]})
  WITH c, e, p, datetime({epochMillis: toInteger(e.since)}) AS since
  CREATE (p)-[:RESELLER_OF_RECORD {since: since, listKey: ${cypherFragment("customer-list-key", "p", "c")}}]->(c)
  WITH c, e, p, since
  CALL (c, e, p, since) {
    // D-25: a delegated admin grant is the default relationship, ACTIVE since the relationship began.
    WITH c, e, p, since WHERE e.relationshipId IS NOT NULL
    CREATE (p)-[held:HOLDS_DELEGATED_ADMIN]->(g:DelegatedAdminRelationship {
      id: e.relationshipId, ${cypherFragment("delegated-admin-default", "since")}, scale: true, scaleSeed: $seed
    })-[:FOR_CUSTOMER]->(c)
    SET held.listKey = ${cypherFragment("delegated-admin-list-key", "p", "g")}
  }
}
CALL (c, row) {
  UNWIND row.subscriptions AS s
  MATCH (o:Offer {id: $offerIds[toInteger(s.offer)]})
  CREATE (c)-[:HAS_SUBSCRIPTION]->(n:Subscription {${subscriptionProperties("o")}})-[:OF_OFFER]->(o)
  WITH n, s
  CALL (n, s) {
    MATCH (r:Partner {id: $partnerIds[toInteger(s.reseller)]})
    CREATE (n)-[:SOLD_THROUGH]->(r)
  }
  CALL (n, s) {
    MATCH (p:Partner {id: $partnerIds[toInteger(s.provider)]})
    CREATE (n)-[:ORDERED_BY]->(p)
  }
}
CALL (c, row) {
  UNWIND row.orders AS od
  MATCH (me:Partner {id: $partnerIds[toInteger(od.provider)]}), (r:Partner {id: $partnerIds[toInteger(od.reseller)]})
  CREATE (o:Order {
    id: od.id, status: 'COMPLETED', createdAt: datetime({epochMillis: toInteger(od.createdAt)}), partnerIdOnRecord: r.mpnId,
    offerIds: [i IN od.offers | $offerIds[toInteger(i)]], quantities: [q IN od.quantities | toInteger(q)], scale: true, scaleSeed: $seed
  })
  CREATE (o)-[:FOR_CUSTOMER]->(c)
  CREATE (o)-[:PLACED_BY {listKey: ${cypherFragment("order-list-key", "me", "o")}}]->(me)
  CREATE (o)-[:ON_RECORD_FOR {listKey: ${cypherFragment("order-list-key", "r", "o")}}]->(r)
  WITH c, me, r, o, od
  UNWIND od.subscriptions AS s
  MATCH (offer:Offer {id: $offerIds[toInteger(s.offer)]})
  CREATE (c)-[:HAS_SUBSCRIPTION]->(n:Subscription {${subscriptionProperties("offer")}})-[:OF_OFFER]->(offer)
  CREATE (n)-[:SOLD_THROUGH]->(r)
  CREATE (n)-[:ORDERED_BY]->(me)
  CREATE (o)-[:CREATED]->(n)
}
CALL (c, row) {
  WITH c, row WHERE row.lastOrderedAt IS NOT NULL
  SET c.lastOrderedAt = datetime({epochMillis: toInteger(row.lastOrderedAt)})
}`;

/** Labels of synthetic nodes, in the order they are deleted (the dense partners last). */
export const SCALE_LABELS = ["DelegatedAdminRelationship", "Order", "Subscription", "Customer", "User", "Partner", "Offer", "ServiceStatus", "ScaleRun"] as const;

// ---------------------------------------------------------------------------------------------

function int(value: number) {
  return neo4j.int(value);
}

async function write(session: Session, cypher: string, params: Record<string, unknown>) {
  return session.executeWrite((tx) => tx.run(cypher, params));
}

/**
 * Runs a batch in a managed transaction (retried by the driver on transient errors such as a
 * deadlock between the two writers: the batch is rolled back and run again) and checks that it
 * created exactly what the generator expects, so a partner or offer that was not found can never
 * silently drop an edge. Returns how many times the batch was retried.
 */
async function writeChecked(
  session: Session,
  cypher: string,
  params: Record<string, unknown>,
  expected: { nodes: number; relationships: number },
  what: string,
): Promise<number> {
  let attempts = 0;
  const summary = await session.executeWrite(async (tx) => {
    attempts += 1;
    return (await tx.run(cypher, params)).summary;
  });
  const created = summary.counters.updates();
  if (created.nodesCreated !== expected.nodes || created.relationshipsCreated !== expected.relationships) {
    throw new Error(
      `${what}: created ${created.nodesCreated} nodes and ${created.relationshipsCreated} relationships, ` +
        `expected ${expected.nodes} and ${expected.relationships}`,
    );
  }
  return attempts - 1;
}

export async function readScaleState(driver: Driver, database: string): Promise<ScaleState> {
  const session = driver.session({ database, defaultAccessMode: neo4j.session.READ });
  try {
    const result = await session.executeRead((tx) => tx.run(READ_STATE));
    const record = result.records[0];
    const runs = (record.get("runs") as { scaleSeed: unknown; customers: unknown; shape: unknown; completedAt: unknown; startedAt: unknown }[]).map((r) => ({
      seed: Number(r.scaleSeed),
      customers: Number(r.customers),
      shape: r.shape == null ? 1 : Number(r.shape),
      complete: r.completedAt != null,
      startedAt: String(r.startedAt),
    }));
    return { runs, dataPresent: record.get("dataPresent") as boolean };
  } finally {
    await session.close();
  }
}

export function describeRun(run: ScaleRunInfo): string {
  return (
    `${run.customers.toLocaleString("en-US")} customers, seed ${run.seed}${run.complete ? "" : " (INCOMPLETE: interrupted run)"}` +
    (run.shape < SCALE_SHAPE ? ` (written by an older seed:scale, shape ${run.shape}: no orders)` : "")
  );
}

/**
 * What to do given the state: "load" (no synthetic data), "already-loaded" (this very N and seed,
 * complete), or a ScaleConflict thrown with the reason.
 */
export function decide(state: ScaleState, customers: number, seed: number): "load" | "already-loaded" {
  if (state.runs.length === 0 && !state.dataPresent) return "load";
  const [run] = state.runs;
  if (state.runs.length === 1 && run.customers === customers && run.seed === seed && run.complete && run.shape === SCALE_SHAPE) {
    return "already-loaded";
  }
  const what =
    state.runs.length === 0 ? "synthetic nodes (scale: true) without a ScaleRun record" : state.runs.map(describeRun).join("; ");
  throw new ScaleConflict(
    `The database already holds synthetic channel data: ${what}. Refusing to add ${customers.toLocaleString("en-US")} customers with seed ${seed} ` +
      `on top of it. Run again with --wipe to delete the synthetic data first (only nodes with scale: true; the demo and other data stay).`,
  );
}

/** Loads the synthetic channel (see generate.ts). Refuses (ScaleConflict) when other synthetic data is there. */
export async function seedScale(driver: Driver, options: SeedOptions): Promise<SeedReport> {
  const startedAt = Date.now();
  const { database, customers, seed } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const writers = Math.max(1, options.writers ?? DEFAULT_WRITERS);
  const progress = options.onProgress ?? (() => {});
  const shape = scaleShape(customers);
  const written: SeedReport["written"] = {
    providers: 0,
    resellers: 0,
    partnerships: 0,
    users: 0,
    customers: 0,
    subscriptions: 0,
    resellerOfRecord: 0,
    soldThrough: 0,
    orderedBy: 0,
    orders: 0,
    orderLineItems: 0,
    offersCreated: 0,
    servicesCreated: 0,
    retriedBatches: 0,
  };

  if (decide(await readScaleState(driver, database), customers, seed) === "already-loaded") {
    return { outcome: "already-loaded", customers, seed, written, seconds: { partners: 0, customers: 0, counters: 0, total: 0 } };
  }
  const plan = planChannel({ customers, seed });
  const passwordHash = await hashPassword(options.password ?? DEFAULT_PASSWORD);
  const seedParam = int(seed);

  const session = driver.session({ database });
  let offerIds: Record<string, string>;
  try {
    await write(session, CREATE_RUN, { seed: seedParam, customers: int(customers), shape: int(SCALE_SHAPE) });

    // Offers and service statuses: the demo's, created only when absent.
    offerIds = await session.executeWrite(async (tx) => {
      const existing = await tx.run(EXISTING_OFFERS, { names: OFFERS.map((o) => o.name) });
      const idByName = new Map<string, string>();
      for (const r of existing.records) if (!idByName.has(r.get("name"))) idByName.set(r.get("name"), r.get("id"));
      const missing = OFFERS.filter((o) => !idByName.has(o.name)).map((o) => ({ id: plan.offerIds[o.key], name: o.name, productFamily: o.productFamily }));
      if (missing.length > 0) await tx.run(CREATE_OFFERS, { offers: missing, seed: seedParam });
      written.offersCreated = missing.length;
      return Object.fromEntries(OFFERS.map((o) => [o.key, idByName.get(o.name) ?? plan.offerIds[o.key]]));
    });
    const services = await write(session, ENSURE_SERVICES, {
      services: SERVICES.map((s) => ({ ...s, updatedAt: SERVICES_UPDATED_AT })),
      seed: seedParam,
    });
    written.servicesCreated = Number(services.records[0].get("created"));

    // Partners, users, partnerships: small (N/100 resellers), one writer.
    const partners = shape.providers + shape.resellers;
    let done = 0;
    for (const [label, rows] of [
      ["Provider", plan.providers],
      ["Reseller", plan.resellers],
    ] as const) {
      for (const batch of chunks(rows, batchSize)) {
        await writeChecked(session, partnerCypher(label), { rows: batch.map(partnerParams), seed: seedParam }, { nodes: batch.length, relationships: 0 }, `${label} batch`);
        done += batch.length;
        progress({ phase: "partners", done, total: partners });
      }
    }
    written.providers = plan.providers.length;
    written.resellers = plan.resellers.length;
    done = 0;
    for (const batch of chunks(plan.users, batchSize)) {
      await writeChecked(session, CREATE_USERS, { rows: batch, passwordHash, seed: seedParam }, { nodes: batch.length, relationships: batch.length }, "user batch");
      done += batch.length;
      progress({ phase: "users", done, total: plan.users.length });
    }
    written.users = plan.users.length;
    done = 0;
    for (const batch of chunks(plan.partnerships, batchSize)) {
      await writeChecked(session, CREATE_PARTNERSHIPS, { rows: batch }, { nodes: 0, relationships: batch.length }, "partnership batch");
      done += batch.length;
      progress({ phase: "partnerships", done, total: plan.partnerships.length });
    }
    written.partnerships = plan.partnerships.length;
  } finally {
    await session.close();
  }
  const partnersDoneAt = Date.now();

  // Customers: generated a batch at a time (never all at once), written by `writers` sessions
  // in parallel, each taking the next batch when its previous one committed.
  const batches = Math.ceil(customers / batchSize);
  let nextBatch = 0;
  let customersDone = 0;
  progress({ phase: "customers", done: 0, total: customers });
  const writer = async () => {
    const s = driver.session({ database });
    try {
      while (nextBatch < batches) {
        const b = nextBatch++;
        const rows = generateCustomers(plan, b * batchSize, (b + 1) * batchSize);
        const before = { ...written };
        tally(written, rows);
        // D-25: each delegated admin grant is a relationship node with two edges.
        const grants = rows.reduce((n, c) => n + c.records.filter((e) => e.delegatedAdmin).length, 0);
        const nodes = written.customers - before.customers + written.subscriptions - before.subscriptions + written.orders - before.orders + grants;
        const relationships =
          2 * grants +
          written.resellerOfRecord - before.resellerOfRecord + 2 * (written.subscriptions - before.subscriptions) +
          written.soldThrough - before.soldThrough + written.orderedBy - before.orderedBy +
          3 * (written.orders - before.orders) + written.orderLineItems - before.orderLineItems;
        written.retriedBatches += await writeChecked(s, CREATE_CUSTOMERS, customerBatchParams(rows, offerIds, seedParam), { nodes, relationships }, `customer batch ${b + 1}/${batches}`);
        customersDone += rows.length;
        progress({ phase: "customers", done: customersDone, total: customers });
      }
    } finally {
      await s.close();
    }
  };
  await Promise.all(Array.from({ length: Math.min(writers, batches) }, writer));
  const customersDoneAt = Date.now();

  // Shared-customer counts (migrations/0007), from scratch once every edge is there: the flags and
  // count of each partner's customers, then each provider's partnerships. Partners a few at a
  // time (the largest has ~15% of all customers), one transaction each; only ACTIVE ones have edges.
  const counted = driver.session({ database });
  try {
    const active = [...plan.providers, ...plan.resellers].filter((p) => p.active);
    const providers = plan.providers.filter((p) => p.active).map((p) => p.id);
    const total = active.length + providers.length;
    let done = 0;
    progress({ phase: "counters", done, total });
    for (const batch of chunks(active, COUNTER_BATCH)) {
      await counted.executeWrite((tx) => tx.run(cypher("counters/recount-partners"), { partnerIds: batch.map((p) => p.id) }));
      progress({ phase: "counters", done: (done += batch.length), total });
    }
    for (const batch of chunks(providers, COUNTER_BATCH)) {
      await counted.executeWrite((tx) => tx.run(cypher("counters/recount-partnerships"), { providerIds: batch }));
      progress({ phase: "counters", done: (done += batch.length), total });
    }
  } finally {
    await counted.close();
  }
  const countersDoneAt = Date.now();

  const last = driver.session({ database });
  try {
    await write(last, COMPLETE_RUN, { seed: seedParam, customers: int(customers) });
  } finally {
    await last.close();
  }
  return {
    outcome: "loaded",
    customers,
    seed,
    written,
    seconds: {
      partners: (partnersDoneAt - startedAt) / 1000,
      customers: (customersDoneAt - partnersDoneAt) / 1000,
      counters: (countersDoneAt - customersDoneAt) / 1000,
      total: (Date.now() - startedAt) / 1000,
    },
  };
}

function* chunks<T>(rows: T[], size: number): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

function partnerParams(p: PartnerRow) {
  return { id: p.id, props: p.props, createdAt: p.createdAt, emailVerifiedAt: p.emailVerifiedAt };
}

/** A batch's parameters: partners and offers as lists, referred to by position. */
function customerBatchParams(rows: CustomerRow[], offerIds: Record<string, string>, seed: unknown) {
  const partnerIds: string[] = [];
  const position = new Map<string, number>();
  const partner = (id: string | null) => {
    if (id === null) return null;
    let at = position.get(id);
    if (at === undefined) {
      at = partnerIds.push(id) - 1;
      position.set(id, at);
    }
    return at;
  };
  const offerKeys: string[] = OFFERS.map((o) => o.key);
  const subscription = (s: SubscriptionRow) => ({
    id: s.id,
    offer: offerKeys.indexOf(s.offer),
    quantity: s.quantity,
    status: s.status,
    createdAt: s.createdAt,
    reseller: partner(s.resellerId),
    provider: partner(s.providerId),
  });
  const ordered = new Set(rows.flatMap((c) => c.orders.flatMap((o) => o.subscriptionIds)));
  return {
    seed,
    partnerIds,
    offerIds: offerKeys.map((key) => offerIds[key]),
    rows: rows.map((c) => ({
      id: c.id,
      companyName: c.companyName,
      companyNameLower: c.companyNameLower,
      domain: c.domain,
      countryCode: c.countryCode,
      createdAt: c.createdAt,
      lastOrderedAt: c.lastOrderedAt,
      // D-25: a grant's relationship id, made from the customer's (unique in its first 25 characters) and the record's position.
      records: c.records.map((e, i) => ({
        partner: partner(e.partnerId),
        since: e.since,
        relationshipId: e.delegatedAdmin ? `${ID_PREFIX.DelegatedAdminRelationship}_${c.id.slice(4, 29)}${base32(Uint8Array.of(i << 3))[0]}` : null,
      })),
      // The subscriptions no order made; an order's are created under it (CREATED), as orders/create.cypher does.
      subscriptions: c.subscriptions.filter((s) => !ordered.has(s.id)).map(subscription),
      orders: c.orders.map((o) => ({
        id: o.id,
        createdAt: o.createdAt,
        provider: partner(o.providerId),
        reseller: partner(o.resellerId),
        offers: o.offers.map((key) => offerKeys.indexOf(key)),
        quantities: o.quantities,
        subscriptions: o.subscriptionIds.map((id) => subscription(c.subscriptions.find((s) => s.id === id)!)),
      })),
    })),
  };
}

function tally(written: SeedReport["written"], rows: CustomerRow[]): void {
  for (const c of rows) {
    written.customers += 1;
    written.resellerOfRecord += c.records.length;
    written.subscriptions += c.subscriptions.length;
    for (const s of c.subscriptions) {
      if (s.resellerId !== null) written.soldThrough += 1;
      if (s.providerId !== null) written.orderedBy += 1;
    }
    written.orders += c.orders.length;
    for (const o of c.orders) written.orderLineItems += o.subscriptionIds.length;
  }
}

/**
 * Deletes every synthetic node (scale: true) with its relationships, label by label, in batches:
 * CALL { ... } IN TRANSACTIONS needs an auto-commit transaction, hence session.run.
 */
export async function wipeScale(
  driver: Driver,
  database: string,
  onProgress?: (label: string, deleted: number, total: number) => void,
): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  const session = driver.session({ database });
  try {
    for (const label of SCALE_LABELS) {
      const counted = await session.run(`MATCH (n:${label}) WHERE n.scale = true RETURN count(n) AS n`);
      const total = Number(counted.records[0].get("n"));
      deleted[label] = 0;
      onProgress?.(label, 0, total);
      if (total === 0) continue;
      // Rounds of 100,000 nodes (10 inner transactions each) so that progress can be shown.
      for (;;) {
        const result = await session.run(
          `MATCH (n:${label}) WHERE n.scale = true
           WITH n LIMIT 100000
           CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
           RETURN count(*) AS deleted`,
        );
        const n = Number(result.records[0].get("deleted"));
        deleted[label] += n;
        onProgress?.(label, deleted[label], total);
        if (n < 100_000) break;
      }
    }
  } finally {
    await session.close();
  }
  return deleted;
}
