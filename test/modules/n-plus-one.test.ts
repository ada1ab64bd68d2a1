import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/shared/auth/password.js";
import { newId } from "../../src/shared/ids.js";
import { startTestApp, uniqueTag, type TestApp } from "../support/app.js";
import { cypher, cypherFragment } from "../../src/shared/neo4j/queries.js";
import { listKeyOf, partnershipKeyOf, recountShared } from "../support/fixtures.js";

/**
 * "No N+1": the number of Cypher queries a request runs is bounded by the depth of its
 * selection, not by the number of rows. Measured on an isolated channel big enough for a
 * per-row query to show: one provider, 50 resellers, 3 customers each.
 */

const RESELLERS = 50;
const CUSTOMERS_PER_RESELLER = 3;

const tag = uniqueTag();
const password = `N1-test-Passw0rd-${tag}`;
const email = `ga@n1-${tag}.example`;
const providerId = newId("Partner");

interface IndirectResellersData {
  me: {
    partner: {
      indirectResellers: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean };
        edges: { node: { id: string; name: string; sharedCustomers: { totalCount: number; edges: { node: { id: string } }[] } } }[];
      };
    };
  };
}

interface CustomersData {
  customers: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean };
    edges: { node: { id: string; partners: { id: string; kind: string }[]; subscriptions: { id: string }[] } }[];
  };
}

let app: TestApp;
let token: string;

const partnerProps = (name: string, kind: "PROVIDER" | "RESELLER", mpnId: string, domain: string) => ({
  kind,
  name,
  nameLower: name.toLowerCase(),
  mpnId,
  // A country no other data uses, so this channel stays out of the demo's country filters.
  countryCode: "IS",
  tenantDomain: domain,
  enrollmentStatus: "ACTIVE",
  addressLine1: "1 Test Way",
  addressCity: "Reykjavik",
  addressPostalCode: "101",
  addressCountryCode: "IS",
  primaryContactName: `${name} Contact`,
  primaryContactEmail: `contact@${domain}`,
  supportEmail: `support@${domain}`,
  testTag: tag,
});

beforeAll(async () => {
  app = await startTestApp();
  // MPN IDs are unique across the graph; a random 7-digit block keeps parallel runs apart.
  const mpnBase = 80_000_000 + Math.floor(Math.random() * 900) * 10_000;
  const provider = partnerProps(`N1 Provider ${tag}`, "PROVIDER", String(mpnBase), `n1-${tag}.example`);
  const resellers = Array.from({ length: RESELLERS }, (_, i) => {
    const n = String(i + 1).padStart(2, "0");
    return { id: newId("Partner"), props: partnerProps(`N1 Reseller ${tag} ${n}`, "RESELLER", String(mpnBase + i + 1), `r${n}-${tag}.example`) };
  });
  const customers = resellers.flatMap((r, i) =>
    Array.from({ length: CUSTOMERS_PER_RESELLER }, (_, j) => {
      const n = `${String(i + 1).padStart(2, "0")}-${j + 1}`;
      return {
        id: newId("Customer"),
        resellerId: r.id,
        subscriptionId: newId("Subscription"),
        props: {
          companyName: `N1 Customer ${tag} ${n}`,
          companyNameLower: `n1 customer ${tag} ${n}`,
          domain: `c${n}-${tag}.example`,
          countryCode: "IS",
          testTag: tag,
        },
      };
    }),
  );

  await app.cypher(
    `CREATE (p:Partner:Provider {id: $providerId}) SET p += $provider, p.createdAt = datetime({epochMillis: timestamp()})`,
    { providerId, provider },
  );
  await app.cypher(
    `MATCH (p:Provider {id: $providerId})
     UNWIND $resellers AS r
     CREATE (n:Partner:Reseller {id: r.id}) SET n += r.props, n.createdAt = datetime({epochMillis: timestamp()})
     CREATE (p)-[:INDIRECT_PROVIDER_OF {since: datetime({epochMillis: timestamp()}), listKey: ${partnershipKeyOf("p", "n")}}]->(n)`,
    { providerId, resellers },
  );
  // Every customer is of record for both its reseller and the provider (so shared, D-11), with
  // one E3 subscription ordered by the provider and sold through the reseller.
  await app.cypher(
    `MATCH (p:Provider {id: $providerId})
     MATCH (o:Offer {name: 'Microsoft 365 E3'})
     UNWIND $customers AS c
     MATCH (r:Reseller {id: c.resellerId})
     CREATE (n:Customer {id: c.id}) SET n += c.props, n.createdAt = datetime({epochMillis: timestamp()})
     CREATE (r)-[:RESELLER_OF_RECORD {since: datetime({epochMillis: timestamp()}), delegatedAdmin: true, listKey: ${listKeyOf("r", "n")}}]->(n)
     CREATE (p)-[:RESELLER_OF_RECORD {since: datetime({epochMillis: timestamp()}), delegatedAdmin: false, listKey: ${listKeyOf("p", "n")}}]->(n)
     CREATE (n)-[:HAS_SUBSCRIPTION]->(s:Subscription {
       id: c.subscriptionId, offerId: o.id, offerName: o.name, productFamily: o.productFamily,
       quantity: 5, status: 'ACTIVE', createdAt: datetime({epochMillis: timestamp()}), testTag: $tag
     })-[:OF_OFFER]->(o)
     CREATE (s)-[:SOLD_THROUGH]->(r)
     CREATE (s)-[:ORDERED_BY]->(p)`,
    { providerId, customers, tag },
  );
  await recountShared(app, [providerId, ...resellers.map((r) => r.id)], [providerId]);
  await app.cypher(
    `MATCH (p:Provider {id: $providerId})
     CREATE (u:User {
       id: $userId, email: $email, displayName: 'N1 Global Admin', agentRole: 'ADMIN_AGENT', adminRole: 'GLOBAL_ADMIN',
       passwordHash: $passwordHash, mustChangePassword: false, createdAt: datetime({epochMillis: timestamp()}), testTag: $tag
     })-[:MEMBER_OF]->(p)`,
    { providerId, userId: newId("User"), email, passwordHash: await hashPassword(password), tag },
  );
  token = await app.signIn(email, password);
});

afterAll(async () => {
  await app?.cypher("MATCH (n) WHERE n.testTag = $tag DETACH DELETE n", { tag });
  await app?.close();
});

describe("no N+1: query count bounded by selection depth, not rows", () => {
  it("when a provider lists 50 indirect resellers with their shared customers, then its first request runs 2 queries (the viewer, then the list, which brings the shared customers along) and later ones 1 (the list goes with the viewer query), the same as for 10", async () => {
    // The caller is new to this process: its organisation is not known before the viewer is read.
    const first = await app.op<IndirectResellersData>("IndirectResellers", { first: 50 }, token);
    expect(first.errors).toBeUndefined();
    expect(first.queryCount).toBe(2);

    const fifty = await app.op<IndirectResellersData>("IndirectResellers", { first: 50 }, token);
    expect(fifty.errors).toBeUndefined();
    const connection = fifty.data!.me.partner.indirectResellers;
    expect(connection.totalCount).toBe(RESELLERS);
    expect(connection.edges).toHaveLength(50);
    expect(connection.pageInfo.hasNextPage).toBe(false);
    for (const { node } of connection.edges) {
      expect(node.sharedCustomers.totalCount).toBe(CUSTOMERS_PER_RESELLER);
      expect(node.sharedCustomers.edges).toHaveLength(CUSTOMERS_PER_RESELLER);
    }

    const ten = await app.op<IndirectResellersData>("IndirectResellers", { first: 10 }, token);
    expect(ten.errors).toBeUndefined();
    expect(ten.data!.me.partner.indirectResellers.edges).toHaveLength(10);
    expect(ten.data!.me.partner.indirectResellers.pageInfo.hasNextPage).toBe(true);

    console.log(`[n+1] IndirectResellers: first 50 -> ${fifty.queryCount} queries, first 10 -> ${ten.queryCount} queries`);
    expect(Number.isFinite(fifty.queryCount)).toBe(true);
    expect(fifty.queryCount).toBe(1);
    expect(ten.queryCount).toBe(fifty.queryCount);
    expect(fifty.data).toEqual(first.data);
  });

  it("when a provider lists 100 of its 150 customers with partners and subscriptions, then the request runs at most 5 queries, the same as for 5", async () => {
    const hundred = await app.op<CustomersData>("Customers", { first: 100 }, token);
    expect(hundred.errors).toBeUndefined();
    const connection = hundred.data!.customers;
    expect(connection.totalCount).toBe(RESELLERS * CUSTOMERS_PER_RESELLER);
    expect(connection.edges).toHaveLength(100);
    expect(connection.pageInfo.hasNextPage).toBe(true);
    for (const { node } of connection.edges) {
      // The provider itself and the customer's reseller, a partnered organisation (T-3).
      expect(node.partners.map((p) => p.kind).sort()).toEqual(["PROVIDER", "RESELLER"]);
      expect(node.subscriptions).toHaveLength(1);
    }

    const five = await app.op<CustomersData>("Customers", { first: 5 }, token);
    expect(five.errors).toBeUndefined();
    expect(five.data!.customers.edges).toHaveLength(5);

    console.log(`[n+1] Customers: first 100 -> ${hundred.queryCount} queries, first 5 -> ${five.queryCount} queries`);
    expect(Number.isFinite(hundred.queryCount)).toBe(true);
    expect(hundred.queryCount).toBeLessThanOrEqual(5);
    expect(five.queryCount).toBe(hundred.queryCount);
  });

  it("when one customer is read with partners, channel paths and subscriptions, then the request runs 1 query (the customer's read goes with the viewer query)", async () => {
    const list = await app.op<CustomersData>("Customers", { first: 1 }, token);
    const id = list.data!.customers.edges[0].node.id;
    const one = await app.op<{ customer: { partners: unknown[]; channelPaths: unknown[]; subscriptions: unknown[] } }>("Customer", { id }, token);
    expect(one.errors).toBeUndefined();
    expect(one.data!.customer.partners).toHaveLength(2);
    expect(one.data!.customer.channelPaths).toHaveLength(1);
    expect(one.data!.customer.subscriptions).toHaveLength(1);
    console.log(`[n+1] Customer with its relationships -> ${one.queryCount} queries`);
    expect(one.queryCount).toBe(1);
  });

  it("when the contract's CustomerChannel (lifecycle.graphql) reads a customer with its subscriptions and delegated admin relationships, then the request runs 1 query: the relationships come with the planned customer read, at the request's time (D-25)", async () => {
    const list = await app.op<CustomersData>("Customers", { first: 2 }, token);
    const [id, other] = list.data!.customers.edges.map((e) => e.node.id);
    // The provider's own relationships with the customer: one ACTIVE, one PENDING_APPROVAL (newest first).
    const relationshipIds = [newId("DelegatedAdminRelationship"), newId("DelegatedAdminRelationship")];
    await app.cypher(
      `MATCH (p:Provider {id: $providerId}), (c:Customer {id: $id})
       UNWIND [0, 1] AS i
       CREATE (p)-[held:HOLDS_DELEGATED_ADMIN]->(g:DelegatedAdminRelationship {id: $relationshipIds[i], testTag: $tag,
         status: CASE i WHEN 0 THEN 'ACTIVE' ELSE 'PENDING_APPROVAL' END, roles: ['HELPDESK_ADMINISTRATOR'], durationDays: 30, autoExtend: false,
         createdAt: datetime({epochMillis: timestamp() - 60000 + i * 1000}),
         activatedAt: CASE i WHEN 0 THEN datetime({epochMillis: timestamp() - 60000}) END,
         endsAt: CASE i WHEN 0 THEN datetime({epochMillis: timestamp() - 60000}) + duration({days: 30}) END})-[:FOR_CUSTOMER]->(c)
       SET held.listKey = ${cypherFragment("delegated-admin-list-key", "p", "g")}`,
      { providerId, id, relationshipIds, tag },
    );
    interface ChannelData {
      customer: { id: string; subscriptions: unknown[]; delegatedAdminRelationships: { id: string; status: string }[] };
    }
    const one = await app.lifecycle<ChannelData>("CustomerChannel", { id }, token);
    expect(one.errors).toBeUndefined();
    expect(one.data!.customer.subscriptions).toHaveLength(1);
    expect(one.data!.customer.delegatedAdminRelationships.map((r) => [r.id, r.status])).toEqual([
      [relationshipIds[1], "PENDING_APPROVAL"],
      [relationshipIds[0], "ACTIVE"],
    ]);
    console.log(`[n+1] CustomerChannel (subscriptions and delegated admin) -> ${one.queryCount} queries`);
    // Before: 2 (the planned customer read, then the relationships' loader at the clock's own time).
    expect(one.queryCount).toBe(1);
    const none = await app.lifecycle<ChannelData>("CustomerChannel", { id: other }, token);
    expect(none.data!.customer.delegatedAdminRelationships).toEqual([]);
    expect(none.queryCount).toBe(1);

    // A page of customers with theirs: one batched statement beside the planned list, whatever the page's size.
    const LIST = "query ($first: Int) { customers(first: $first) { edges { node { id subscriptions { id } delegatedAdminRelationships { id status } } } } }";
    const hundred = await app.gql<{ customers: { edges: { node: { id: string; delegatedAdminRelationships: { id: string }[] } }[] } }>(LIST, { variables: { first: 100 }, token });
    const five = await app.gql(LIST, { variables: { first: 5 }, token });
    expect(hundred.errors).toBeUndefined();
    const withThem = hundred.data!.customers.edges.find((e) => e.node.id === id)!;
    expect(withThem.node.delegatedAdminRelationships.map((r) => r.id)).toEqual([relationshipIds[1], relationshipIds[0]]);
    console.log(`[n+1] Customers with delegatedAdminRelationships: first 100 -> ${hundred.queryCount} queries, first 5 -> ${five.queryCount}`);
    expect(hundred.queryCount).toBe(2);
    expect(five.queryCount).toBe(hundred.queryCount);
  });

  it("when ChannelStats is asked, then the request runs 1 query (the viewer brings the counts) and they are those of stats/channel.cypher", async () => {
    const stats = await app.op<{ channelStats: Record<string, number> }>("ChannelStats", {}, token);
    expect(stats.errors).toBeUndefined();
    const [direct] = await app.cypher(cypher("stats/channel"), { viewerPartnerId: providerId });
    expect(stats.data!.channelStats).toEqual(Object.fromEntries(Object.entries(direct).map(([k, v]) => [k, Number(v)])));
    expect(stats.data!.channelStats).toEqual({
      providers: 1,
      resellers: RESELLERS,
      customers: RESELLERS * CUSTOMERS_PER_RESELLER,
      sharedCustomers: RESELLERS * CUSTOMERS_PER_RESELLER,
      customersWithoutProvider: 0,
    });
    console.log(`[n+1] ChannelStats -> ${stats.queryCount} queries`);
    expect(stats.queryCount).toBe(1);

    // The same document sent as a GET (the text is in the URL) primes them too.
    const query = "query ChannelStats { channelStats { providers resellers customers sharedCustomers customersWithoutProvider } }";
    const response = await fetch(`${app.url}?query=${encodeURIComponent(query)}`, { headers: { authorization: `Bearer ${token}`, "apollo-require-preflight": "true" } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: unknown }).data).toEqual(stats.data);
    expect(response.headers.get("x-cypher-queries")).toBe("1");
  });
});
