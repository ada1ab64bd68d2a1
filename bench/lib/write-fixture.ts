/**
 * The writes bench's own data, in whatever database it runs on (the synthetic channel of
 * seed:scale, the demo, or nothing else: it does not read them), made as test/support/fixtures.ts
 * makes a channel (without importing test code):
 *   - the write channel: a provider and a reseller with a partnership, N customers of record of
 *     both (each with the reseller's default delegated admin relationship, D-25), and a global
 *     admin in each organisation. SubmitOrder is sent as the provider's admin, for each customer
 *     in turn.
 *   - the read channel: the same shape, read only (Customers page 1 as its provider's admin), so
 *     the orders written meanwhile do not change what the read case reads.
 * Every node carries `fixture: <tag>` (tag "bench-writes-..."); `remove()` deletes them and all
 * that hangs off them (orders, subscriptions, audit and channel events, webhooks and their
 * deliveries), and `removeLeftovers()` the fixtures of earlier runs that did not get to.
 */
import { issueToken } from "../../src/shared/auth/jwt.js";
import { newId } from "../../src/shared/ids.js";
import { cypher, cypherFragment } from "../../src/shared/neo4j/queries.js";
import { read, type Database } from "./neo4j.js";

export const TAG_PREFIX = "bench-writes-";

export interface Org {
  id: string;
  name: string;
  admin: { id: string; email: string; token: string };
}

export interface FixtureChannel {
  provider: Org;
  reseller: Org;
  customerIds: string[];
}

export interface WriteFixture {
  tag: string;
  write: FixtureChannel;
  read: FixtureChannel;
  offerId: string;
  remove(): Promise<number>;
}

const CREATE_CHANNEL = `
CREATE (p:Partner:Provider {id: $provider.id, kind: 'PROVIDER', name: $provider.name, nameLower: toLower($provider.name),
  mpnId: $provider.mpnId, countryCode: 'US', tenantDomain: $provider.domain, enrollmentStatus: 'ACTIVE', fixture: $tag,
  addressLine1: '1 Bench Way', addressCity: 'Seattle', addressPostalCode: '98101', addressCountryCode: 'US',
  primaryContactName: 'Bench Contact', primaryContactEmail: 'contact@' + $provider.domain,
  supportEmail: 'support@' + $provider.domain, createdAt: datetime({epochMillis: timestamp()})})
CREATE (r:Partner:Reseller {id: $reseller.id, kind: 'RESELLER', name: $reseller.name, nameLower: toLower($reseller.name),
  mpnId: $reseller.mpnId, countryCode: 'US', tenantDomain: $reseller.domain, enrollmentStatus: 'ACTIVE', fixture: $tag,
  addressLine1: '2 Bench Way', addressCity: 'Portland', addressPostalCode: '97201', addressCountryCode: 'US',
  primaryContactName: 'Bench Contact', primaryContactEmail: 'contact@' + $reseller.domain,
  supportEmail: 'support@' + $reseller.domain, createdAt: datetime({epochMillis: timestamp()})})
CREATE (p)-[:INDIRECT_PROVIDER_OF {since: datetime({epochMillis: timestamp()}), listKey: ${cypherFragment("partnership-list-key", "p", "r")}}]->(r)
WITH p, r
CALL (p, r) {
  UNWIND $customers AS c
  CREATE (n:Customer {id: c.id, companyName: c.name, companyNameLower: toLower(c.name), domain: c.domain,
    countryCode: 'US', fixture: $tag, createdAt: datetime({epochMillis: timestamp()})})
  CREATE (r)-[:RESELLER_OF_RECORD {since: datetime({epochMillis: timestamp()}), listKey: ${cypherFragment("customer-list-key", "r", "n")}}]->(n)
  CREATE (p)-[:RESELLER_OF_RECORD {since: datetime({epochMillis: timestamp()}), listKey: ${cypherFragment("customer-list-key", "p", "n")}}]->(n)
  CREATE (r)-[held:HOLDS_DELEGATED_ADMIN]->(g:DelegatedAdminRelationship {
    id: 'gda_' + substring(n.id, 4), ${cypherFragment("delegated-admin-default", "datetime({epochMillis: timestamp()})")}, fixture: $tag
  })-[:FOR_CUSTOMER]->(n)
  SET held.listKey = ${cypherFragment("delegated-admin-list-key", "r", "g")}
}
CALL () {
  UNWIND $users AS u
  MATCH (org:Partner {id: u.partnerId})
  CREATE (n:User {id: u.id, email: u.email, displayName: u.displayName, agentRole: 'ADMIN_AGENT', adminRole: 'GLOBAL_ADMIN',
    passwordHash: '!', mustChangePassword: false, fixture: $tag, createdAt: datetime({epochMillis: timestamp()})})
  CREATE (n)-[:MEMBER_OF]->(org)
}
RETURN 1`;

/** Everything hung off the fixture's partners and customers (two hops, as test/support/fixtures.ts's remove), then the fixture. */
const REMOVE_ATTACHED = `
MATCH (n) WHERE (n:Partner OR n:Customer OR n:User) AND n.fixture = $tag
MATCH (n)-[*1..2]-(m)
WHERE NOT (m:Partner OR m:Customer OR m:User OR m:Offer OR m:ServiceStatus OR m:Migration OR m:Demo OR m:EventSequence OR m:WebhookCursor)
WITH DISTINCT m
CALL (m) { DETACH DELETE m } IN TRANSACTIONS OF 5000 ROWS`;
const REMOVE_FIXTURE = `
MATCH (n) WHERE (n:Partner OR n:Customer OR n:User) AND n.fixture = $tag
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS`;

function mpn(): string {
  return String(3_000_000 + Math.floor(Math.random() * 6_000_000));
}

async function run(db: Database, query: string, params: Record<string, unknown>): Promise<void> {
  // Auto-commit (CALL ... IN TRANSACTIONS needs it).
  const session = db.driver.session({ database: db.settings.database });
  try {
    await session.run(query, params);
  } finally {
    await session.close();
  }
}

async function createChannel(db: Database, tag: string, label: string, customers: number, secret: Uint8Array): Promise<FixtureChannel> {
  const org = (kind: string, n: number) => {
    const domain = `${kind}-${label}-${tag}.example`.toLowerCase();
    return { id: newId("Partner"), name: `Bench ${label} ${kind} ${tag}`, mpnId: mpn(), domain, adminId: newId("User"), email: `ga@${domain}`, n };
  };
  const provider = org("Provider", 1);
  const reseller = org("Reseller", 2);
  const list = Array.from({ length: customers }, (_, i) => ({
    id: newId("Customer"),
    name: `Bench ${label} Customer ${tag} ${String(i + 1).padStart(4, "0")}`,
    domain: `c${i + 1}-${label}-${tag}.example`.toLowerCase(),
  }));
  const users = [provider, reseller].map((o) => ({ id: o.adminId, email: o.email, displayName: `GA ${o.name}`, partnerId: o.id }));
  await run(db, CREATE_CHANNEL, { tag, provider, reseller, customers: list, users });
  // The stored counts of shared customers (migrations/0007), as every product statement keeps them.
  await run(db, cypher("counters/recount-partners"), { partnerIds: [provider.id, reseller.id] });
  await run(db, cypher("counters/recount-partnerships"), { providerIds: [provider.id] });
  const asOrg = async (o: typeof provider): Promise<Org> => ({
    id: o.id,
    name: o.name,
    admin: { id: o.adminId, email: o.email, token: await issueToken(o.adminId, 0, secret) },
  });
  return { provider: await asOrg(provider), reseller: await asOrg(reseller), customerIds: list.map((c) => c.id) };
}

export async function createWriteFixture(db: Database, options: { customers: number; readCustomers: number; secret: Uint8Array }): Promise<WriteFixture> {
  const tag = `${TAG_PREFIX}${Date.now().toString(36)}`;
  const [offer] = await read<{ id: string }>(db, "MATCH (o:Offer) RETURN o.id AS id ORDER BY o.name = 'Microsoft 365 E3' DESC, o.id LIMIT 1");
  if (!offer) throw new Error("the database has no Offer (the catalogue of migrations / the demo): SubmitOrder needs one");
  try {
    const write = await createChannel(db, tag, "Writes", options.customers, options.secret);
    const readChannel = await createChannel(db, tag, "Reads", options.readCustomers, options.secret);
    return { tag, write, read: readChannel, offerId: offer.id, remove: () => removeFixture(db, tag) };
  } catch (error) {
    await removeFixture(db, tag).catch(() => undefined);
    throw error;
  }
}

/** Deletes a fixture and what hangs off it; returns how many nodes it deleted. */
export async function removeFixture(db: Database, tag: string): Promise<number> {
  const before = await nodeCount(db);
  await run(db, REMOVE_ATTACHED, { tag });
  await run(db, REMOVE_FIXTURE, { tag });
  return before - (await nodeCount(db));
}

/**
 * Fixtures of earlier runs that ended before removing theirs: those made more than `minAgeMs`
 * ago (the tag holds its time), so a run going on beside this one (bench/live-latency.ts uses
 * the same fixture) keeps its own.
 */
export async function removeLeftovers(db: Database, minAgeMs = 2 * 60 * 60 * 1000): Promise<string[]> {
  const tags = (
    await read<{ tag: string }>(db, "MATCH (p:Partner) WHERE p.fixture STARTS WITH $prefix RETURN DISTINCT p.fixture AS tag", { prefix: TAG_PREFIX })
  )
    .map((r) => r.tag)
    .filter((tag) => {
      const made = parseInt(tag.slice(TAG_PREFIX.length), 36);
      return !Number.isFinite(made) || Date.now() - made > minAgeMs;
    });
  for (const tag of tags) await removeFixture(db, tag);
  return tags;
}

async function nodeCount(db: Database): Promise<number> {
  const [row] = await read<{ n: number }>(db, "MATCH (n) RETURN count(n) AS n");
  return row?.n ?? 0;
}

/** Orders placed by the provider and channel events concerning it: degree reads (count store), cheap at any size. */
export async function writeCounts(db: Database, providerId: string): Promise<{ orders: number; events: number; unsequenced: number }> {
  const [row] = await read<{ orders: number; events: number; unsequenced: number }>(
    db,
    `MATCH (p:Partner {id: $id})
     RETURN COUNT { (p)<-[:PLACED_BY]-() } AS orders, COUNT { (p)<-[:CONCERNS]-() } AS events,
            COUNT { (u:UnsequencedEvent) } AS unsequenced`,
    { id: providerId },
  );
  return row ?? { orders: 0, events: 0, unsequenced: 0 };
}

