import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { hashPassword } from "../../src/shared/auth/password.js";
import { newId } from "../../src/shared/ids.js";
import { cypher, cypherFragment } from "../../src/shared/neo4j/queries.js";
import type { TestApp } from "./app.js";

/**
 * A small isolated channel for tests that write: its own provider and reseller (partners),
 * customers shared by both plus one of the reseller only, and one user per demo role in each
 * organisation. Everything carries `tag`, so files running side by side never meet, and
 * `remove()` deletes it all (with whatever the test hung off it).
 */
export interface Channel {
  tag: string;
  password: string;
  provider: { id: string; name: string; mpnId: string; domain: string };
  reseller: { id: string; name: string; mpnId: string; domain: string };
  /** Shared: RESELLER_OF_RECORD from both the reseller and the provider. */
  sharedCustomers: { id: string; name: string; domain: string }[];
  /** Only the reseller is of record (the provider cannot order, D-12). */
  resellerOnlyCustomer: { id: string; name: string; domain: string };
  /** Role (ga, aa, sa, ha, uma, none) -> email, per organisation. */
  providerUsers: Record<string, string>;
  resellerUsers: Record<string, string>;
  remove(): Promise<void>;
}

const ROLES: Record<string, [string, string]> = {
  ga: ["ADMIN_AGENT", "GLOBAL_ADMIN"],
  aa: ["ADMIN_AGENT", "NONE"],
  sa: ["SALES_AGENT", "NONE"],
  ha: ["HELPDESK_AGENT", "NONE"],
  uma: ["NONE", "USER_MANAGEMENT_ADMIN"],
  none: ["NONE", "NONE"],
};

/**
 * Cypher for the listKey of the RESELLER_OF_RECORD edge from partner variable `p` to customer
 * variable `c` (cypher/fragments/customer-list-key.cypher, migrations/0006): test data made in
 * raw Cypher must carry it, as every product statement that creates the edge does, or the
 * customer is missing from lists.
 */
export function listKeyOf(p: string, c: string): string {
  return cypherFragment("customer-list-key", p, c);
}

/**
 * The stored shared-customer counts (cypher/migrations/0007) of partners whose edges a test made
 * in raw Cypher, recounted as the bulk loaders do: every product statement that creates the edges
 * keeps them, raw test data must too.
 */
export async function recountShared(app: TestApp, partnerIds: string[], providerIds: string[]): Promise<void> {
  await app.cypher(cypher("counters/recount-partners"), { partnerIds });
  await app.cypher(cypher("counters/recount-partnerships"), { providerIds });
}

/**
 * The same for an INDIRECT_PROVIDER_OF edge from provider `p` to reseller `r`
 * (cypher/fragments/partnership-list-key.cypher, migrations/0008).
 */
export function partnershipKeyOf(p: string, r: string): string {
  return cypherFragment("partnership-list-key", p, r);
}

/**
 * D-25: the reseller's default delegated admin relationship with customer `n`, ACTIVE from now, as
 * an accepted invitation gives it (fragments/delegated-admin-default.cypher); a provider's
 * relationship has none. Its id is made from the customer's (one per fixture customer).
 */
const RESELLER_DELEGATED_ADMIN = `CREATE (r)-[held:HOLDS_DELEGATED_ADMIN]->(g:DelegatedAdminRelationship {
        id: 'gda_' + substring(n.id, 4), ${cypherFragment("delegated-admin-default", "datetime({epochMillis: timestamp()})")}, fixture: $tag
      })-[:FOR_CUSTOMER]->(n)
      SET held.listKey = ${cypherFragment("delegated-admin-list-key", "r", "g")}`;

function mpn(): string {
  return String(3_000_000 + Math.floor(Math.random() * 6_000_000));
}

/** options.names: the shared customers' names (their number wins over options.customers). */
export async function createChannel(app: TestApp, tag: string, options: { customers?: number; names?: string[] } = {}): Promise<Channel> {
  const password = `pw-${tag}-Fixture1`;
  const passwordHash = await hashPassword(password);
  const provider = { id: newId("Partner"), name: `Fixture Provider ${tag}`, mpnId: mpn(), domain: `prov-${tag}.example` };
  const reseller = { id: newId("Partner"), name: `Fixture Reseller ${tag}`, mpnId: mpn(), domain: `resl-${tag}.example` };
  const count = options.names?.length ?? options.customers ?? 2;
  const sharedCustomers = Array.from({ length: count }, (_, i) => ({
    id: newId("Customer"),
    name: options.names?.[i] ?? `Fixture Customer ${tag} ${String(i + 1).padStart(3, "0")}`,
    domain: `cust${i + 1}-${tag}.example`,
  }));
  const resellerOnlyCustomer = { id: newId("Customer"), name: `Fixture Solo Customer ${tag}`, domain: `solo-${tag}.example` };
  const users = (org: { id: string; domain: string }) =>
    Object.entries(ROLES).map(([local, [agentRole, adminRole]]) => ({
      id: newId("User"),
      email: `${local}@${org.domain}`,
      displayName: `${local.toUpperCase()} ${tag}`,
      agentRole,
      adminRole,
      partnerId: org.id,
    }));
  await app.cypher(
    `
    CREATE (p:Partner:Provider {id: $provider.id, kind: 'PROVIDER', name: $provider.name, nameLower: toLower($provider.name),
      mpnId: $provider.mpnId, countryCode: 'US', tenantDomain: $provider.domain, enrollmentStatus: 'ACTIVE', fixture: $tag,
      addressLine1: '1 Test Way', addressCity: 'Seattle', addressPostalCode: '98101', addressCountryCode: 'US',
      primaryContactName: 'Test Contact', primaryContactEmail: 'contact@' + $provider.domain,
      supportEmail: 'support@' + $provider.domain, createdAt: datetime({epochMillis: timestamp()})})
    CREATE (r:Partner:Reseller {id: $reseller.id, kind: 'RESELLER', name: $reseller.name, nameLower: toLower($reseller.name),
      mpnId: $reseller.mpnId, countryCode: 'US', tenantDomain: $reseller.domain, enrollmentStatus: 'ACTIVE', fixture: $tag,
      addressLine1: '2 Test Way', addressCity: 'Portland', addressPostalCode: '97201', addressCountryCode: 'US',
      primaryContactName: 'Test Contact', primaryContactEmail: 'contact@' + $reseller.domain,
      supportEmail: 'support@' + $reseller.domain, createdAt: datetime({epochMillis: timestamp()})})
    CREATE (p)-[:INDIRECT_PROVIDER_OF {since: datetime({epochMillis: timestamp()}), listKey: ${partnershipKeyOf("p", "r")}}]->(r)
    WITH p, r
    CALL (p, r) {
      UNWIND $shared AS c
      CREATE (n:Customer {id: c.id, companyName: c.name, companyNameLower: toLower(c.name), domain: c.domain,
        countryCode: 'US', fixture: $tag, createdAt: datetime({epochMillis: timestamp()})})
      CREATE (r)-[:RESELLER_OF_RECORD {since: datetime({epochMillis: timestamp()}), listKey: ${listKeyOf("r", "n")}}]->(n)
      CREATE (p)-[:RESELLER_OF_RECORD {since: datetime({epochMillis: timestamp()}), listKey: ${listKeyOf("p", "n")}}]->(n)
      ${RESELLER_DELEGATED_ADMIN}
    }
    CALL (r) {
      CREATE (n:Customer {id: $solo.id, companyName: $solo.name, companyNameLower: toLower($solo.name), domain: $solo.domain,
        countryCode: 'US', fixture: $tag, createdAt: datetime({epochMillis: timestamp()})})
      CREATE (r)-[:RESELLER_OF_RECORD {since: datetime({epochMillis: timestamp()}), listKey: ${listKeyOf("r", "n")}}]->(n)
      ${RESELLER_DELEGATED_ADMIN}
    }
    CALL () {
      UNWIND $users AS u
      MATCH (org:Partner {id: u.partnerId})
      CREATE (n:User {id: u.id, email: u.email, displayName: u.displayName, agentRole: u.agentRole, adminRole: u.adminRole,
        passwordHash: $passwordHash, mustChangePassword: false, fixture: $tag, createdAt: datetime({epochMillis: timestamp()})})
      CREATE (n)-[:MEMBER_OF]->(org)
    }
    RETURN 1`,
    {
      tag,
      provider,
      reseller,
      shared: sharedCustomers,
      solo: resellerOnlyCustomer,
      users: [...users(provider), ...users(reseller)],
      passwordHash,
    },
  );
  await recountShared(app, [provider.id, reseller.id], [provider.id]);
  const emails = (domain: string) => Object.fromEntries(Object.keys(ROLES).map((local) => [local, `${local}@${domain}`]));
  return {
    tag,
    password,
    provider,
    reseller,
    sharedCustomers,
    resellerOnlyCustomer,
    providerUsers: emails(provider.domain),
    resellerUsers: emails(reseller.domain),
    async remove() {
      // Whatever the test hung off the fixture (subscriptions, orders, requests, events...) goes too.
      // Never through a shared node: a path through an Offer (or a partner, customer, user of
      // another test) would reach, and delete, other subscriptions of that offer.
      await app.cypher(
        `MATCH (n {fixture: $tag})
         OPTIONAL MATCH path = (n)-[*1..2]-(m)
         WHERE all(x IN tail(nodes(path)) WHERE NOT x:Partner AND NOT x:Customer AND NOT x:User AND NOT x:Offer AND NOT x:ServiceStatus AND NOT x:Migration AND NOT x:Demo)
         DETACH DELETE m, n`,
        { tag },
      );
    },
  };
}

/** The newest .eml in an app's MAIL_DIR addressed to `to`, and the token of its link. */
export function latestMail(mailDir: string, to: string): { raw: string; token: string | null } | null {
  const files = readdirSync(mailDir).filter((f) => f.endsWith(".eml")).sort().reverse();
  for (const file of files) {
    const raw = readFileSync(join(mailDir, file), "utf8");
    if (new RegExp(`^To: .*${to.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "mi").test(raw)) {
      // nodemailer sends long lines quoted-printable: undo the soft breaks and the =XX escapes (`token=` is `token=3D`).
      const body = /^Content-Transfer-Encoding: quoted-printable/mi.test(raw)
        ? raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
        : raw;
      const token = /[?&]token=([A-Za-z0-9_-]+)/.exec(body)?.[1] ?? null;
      return { raw, token };
    }
  }
  return null;
}

/**
 * How many nodes and relationships hold `secret` in a string property (or string list element):
 * 0 is the proof that a password or token is not stored in clear (T-5).
 */
export async function holdersOf(app: TestApp, secret: string): Promise<number> {
  const [row] = await app.cypher<{ n: number }>(
    `CALL () {
       MATCH (n) RETURN properties(n) AS props
       UNION ALL
       MATCH ()-[r]->() RETURN properties(r) AS props
     }
     WITH props WHERE any(k IN keys(props) WHERE
       (props[k] IS :: STRING AND props[k] CONTAINS $secret) OR
       (props[k] IS :: LIST<STRING> AND any(x IN props[k] WHERE x CONTAINS $secret)))
     RETURN count(*) AS n`,
    { secret },
  );
  return Number(row.n);
}

/**
 * Deletes partners a test enrolled through the API (found by tenant domain or MPN ID), with their
 * users and the audit events about them.
 */
export async function deleteEnrolledPartners(app: Pick<TestApp, "cypher">, by: { tenantDomain: string } | { mpnId: string }): Promise<void> {
  const [key, value] = "tenantDomain" in by ? ["tenantDomain", by.tenantDomain] : ["mpnId", by.mpnId];
  await app.cypher(
    `MATCH (p:Partner) WHERE p[$key] = $value
     OPTIONAL MATCH (u:User)-[:MEMBER_OF]->(p)
     OPTIONAL MATCH (e:AuditEvent) WHERE e.partnerId = p.id OR p.id IN e.targetIds
     DETACH DELETE e, u, p`,
    { key, value },
  );
}

/** A partner made by createPartner: its organisation and its one global admin's email (password: the caller's). */
export interface FixturePartner {
  id: string;
  name: string;
  mpnId: string;
  domain: string;
  /** The global admin (ADMIN_AGENT + GLOBAL_ADMIN). */
  ga: string;
  /** The primary contact's email (D-24 mail goes there). */
  contact: string;
}

/**
 * One organisation on its own (no partnership, no customers) with one global admin, tagged like
 * createChannel's: for tests of invitations between organisations that are not partners yet.
 */
export async function createPartner(
  app: TestApp,
  tag: string,
  kind: "PROVIDER" | "RESELLER",
  label: string,
  password: string,
  options: { status?: string; countryCode?: string; contactName?: string; namePrefix?: string } = {},
): Promise<FixturePartner> {
  const domain = `${label}-${tag}.example`;
  const org = {
    id: newId("Partner"),
    name: `${options.namePrefix ?? "Fixture"} ${label} ${tag}`,
    mpnId: mpn(),
    domain,
    ga: `ga@${domain}`,
    contact: `contact@${domain}`,
  };
  await app.cypher(
    `CREATE (p:Partner {id: $org.id, kind: $kind, name: $org.name, nameLower: toLower($org.name), mpnId: $org.mpnId,
       countryCode: $countryCode, tenantDomain: $org.domain, enrollmentStatus: $status, fixture: $tag, createdAt: datetime(),
       primaryContactName: $contactName, primaryContactEmail: $org.contact})
     FOREACH (_ IN CASE WHEN $kind = 'PROVIDER' THEN [1] ELSE [] END | SET p:Provider)
     FOREACH (_ IN CASE WHEN $kind = 'RESELLER' THEN [1] ELSE [] END | SET p:Reseller)
     CREATE (:User {id: $userId, email: $org.ga, displayName: 'GA ' + $org.name, agentRole: $agentRole, adminRole: $adminRole,
       passwordHash: $hash, mustChangePassword: false, fixture: $tag, createdAt: datetime()})-[:MEMBER_OF]->(p)`,
    {
      org,
      kind,
      tag,
      status: options.status ?? "ACTIVE",
      countryCode: options.countryCode ?? "US",
      contactName: options.contactName ?? "Contact",
      agentRole: ROLES.ga[0],
      adminRole: ROLES.ga[1],
      userId: newId("User"),
      hash: await hashPassword(password),
    },
  );
  return org;
}
