/**
 * The fixed operation mix: each case is one operation of test/contract/operations.graphql or
 * lifecycle.graphql (sent as that operation alone, as a frontend would), called as one subject, together with
 *   - the floor: a hand-written Cypher statement (bench/floor/*.cypher) that returns the same data;
 *   - the peer: the closest query of @neo4j/graphql's generated schema (bench/peer/typeDefs.graphql),
 *     scoped by the subject's partner id in `where`;
 *   - a canonical form (ids, counts, names) of each answer, so the three can be compared.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Kind, parse, print, type OperationDefinitionNode } from "graphql";
import neo4j from "neo4j-driver";
import { PROJECT_ROOT } from "../../src/shared/config.js";
import { minifyCypher } from "../../src/shared/neo4j/queries.js";
import { customerWithPaths, deepPage, type Subject, type SubjectKey } from "./subjects.js";
import type { Database } from "./neo4j.js";

type Json = any;

export type OpFamily =
  | "customers"
  | "customers-deep"
  | "customer"
  | "indirect-resellers"
  | "indirect-providers"
  | "channel-stats"
  | "orders"
  | "customers-without-provider";
export const OP_FAMILIES: OpFamily[] = [
  "customers",
  "customers-deep",
  "customer",
  "indirect-resellers",
  "indirect-providers",
  "channel-stats",
  "orders",
  "customers-without-provider",
];

export interface Case {
  family: OpFamily;
  /** What the tables show, e.g. "Customers p1". */
  label: string;
  operationName: string;
  subject: Subject;
  /** JSON body of the API request. */
  apiBody: string;
  apiRoot(data: Json): Json;
  floor: { file: string; query: string; params: Record<string, unknown>; root(data: Json): Json };
  peer: { body: string; root(data: Json): Json; note: string } | null;
  canon(root: Json): Json;
  notes: string[];
}

/** The contract's documents: the first release's operations and the lifecycle's (issue 13). */
const CONTRACT = ["operations.graphql", "lifecycle.graphql"].map((file) => ({
  file,
  document: parse(readFileSync(join(PROJECT_ROOT, "test", "contract", file), "utf8")),
}));
const FLOOR_DIR = fileURLToPath(new URL("../floor/", import.meta.url));

/** One operation of the contract, printed alone. */
export function contractOperation(name: string): string {
  for (const { document } of CONTRACT) {
    const operation = document.definitions.find(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === name,
    );
    if (operation) return print(operation);
  }
  throw new Error(`no operation ${name} in ${CONTRACT.map((c) => c.file).join(" or ")}`);
}

/** Minified as the API's queries are, so both send the same kind of text. */
function floorQuery(file: string): string {
  return minifyCypher(readFileSync(join(FLOOR_DIR, file), "utf8"));
}

function body(query: string, operationName: string, variables: Record<string, unknown>): string {
  return JSON.stringify({ query, operationName, variables });
}

// ------------------------------------------------------------------------------------- canonical forms

const idsOf = (list: Json[] | null | undefined): string[] => (list ?? []).map((x) => x.id).sort();

function canonCustomer(node: Json): Json {
  if (!node) return null;
  const out: Json = {
    id: node.id,
    companyName: node.companyName,
    domain: node.domain,
    countryCode: node.countryCode,
    partners: idsOf(node.partners),
    subscriptions: idsOf(node.subscriptions),
  };
  if (node.channelPaths) {
    out.channelPaths = node.channelPaths.map((p: Json) => `${p.provider.id}>${p.reseller.id}:${p.providerCanOrder}`).sort();
  }
  return out;
}

function canonCustomerConnection(conn: Json): Json {
  if (!conn) return null;
  return { totalCount: conn.totalCount, hasNextPage: conn.pageInfo?.hasNextPage, nodes: conn.edges.map((e: Json) => canonCustomer(e.node)) };
}

function canonIndirectResellers(conn: Json): Json {
  if (!conn) return null;
  return {
    totalCount: conn.totalCount,
    hasNextPage: conn.pageInfo?.hasNextPage,
    nodes: conn.edges.map((e: Json) => ({
      id: e.node.id,
      name: e.node.name,
      countryCode: e.node.countryCode,
      mpnId: e.node.mpnId,
      shared: { totalCount: e.node.sharedCustomers.totalCount, ids: e.node.sharedCustomers.edges.map((s: Json) => s.node.id) },
    })),
  };
}

function canonIndirectProviders(root: Json): Json {
  if (!root?.indirectProviders) return null;
  return root.indirectProviders.map((p: Json) => ({
    id: p.id,
    name: p.name,
    countryCode: p.countryCode,
    shared: {
      totalCount: p.sharedCustomers.totalCount,
      hasNextPage: p.sharedCustomers.pageInfo?.hasNextPage,
      ids: p.sharedCustomers.edges.map((s: Json) => s.node.id),
    },
  }));
}

function canonStats(stats: Json): Json {
  if (!stats) return null;
  const { providers, resellers, customers, sharedCustomers, customersWithoutProvider } = stats;
  return { providers, resellers, customers, sharedCustomers, customersWithoutProvider };
}

/** Times compared as instants: the API sends JS ISO strings, the floor Neo4j's (nanoseconds). */
const instant = (value: unknown): number | null =>
  value === null || value === undefined ? null : typeof value === "number" ? value : Date.parse(String(value));

function canonOrders(conn: Json): Json {
  if (!conn) return null;
  return {
    totalCount: conn.totalCount,
    hasNextPage: conn.pageInfo?.hasNextPage,
    // In the list's order (newest first): the order of the page is part of the answer.
    nodes: conn.edges.map((e: Json) => ({
      id: e.node.id,
      status: e.node.status,
      createdAt: instant(e.node.createdAt),
      partnerIdOnRecord: e.node.partnerIdOnRecord,
      customer: e.node.customer?.id ?? null,
      reseller: e.node.reseller ? `${e.node.reseller.id}:${e.node.reseller.mpnId}` : null,
      provider: e.node.provider?.id ?? null,
      lineItems: (e.node.lineItems ?? []).map((li: Json) => `${li.offerId}x${li.quantity}`),
    })),
  };
}

function canonCustomerPage(conn: Json): Json {
  if (!conn) return null;
  return {
    totalCount: conn.totalCount,
    hasNextPage: conn.pageInfo?.hasNextPage,
    nodes: conn.edges.map((e: Json) => ({ id: e.node.id, companyName: e.node.companyName, domain: e.node.domain })),
  };
}

/** The first difference between two canonical forms, as "path: a vs b", or null when equal. */
export function firstDifference(a: Json, b: Json, path = "$"): string | null {
  if (Object.is(a, b)) return null;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    return `${path}: ${short(a)} vs ${short(b)}`;
  }
  if (Array.isArray(a)) {
    if (a.length !== b.length) return `${path}.length: ${a.length} vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const d = firstDifference(a[key], b[key], `${path}.${key}`);
    if (d) return d;
  }
  return null;
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? "undefined";
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

// ------------------------------------------------------------------------------------- peer documents

/** Partners of a customer as the API shows them (T-3): the caller and its partnered organisations. */
const PEER_PARTNERS = `partners(where: {OR: [{id: {eq: $pid}}, {channelPartners: {some: {id: {eq: $pid}}}}]}, sort: [{nameLower: ASC}, {id: ASC}]) { id name kind }`;
/** Every subscription of a customer the caller is of record for (T-2, D-21: whoever sold or ordered it). */
const PEER_SUBSCRIPTIONS = `subscriptions(sort: [{createdAt: ASC}, {id: ASC}]) { id offerName productFamily quantity status }`;
const BY_COMPANY = `sort: [{node: {companyNameLower: ASC}}, {node: {id: ASC}}]`;
const SHARED_WITH_ME = `where: {node: {partners: {some: {id: {eq: $pid}}}}}`;

function rootField(subject: Subject): "providers" | "resellers" {
  return subject.kind === "PROVIDER" ? "providers" : "resellers";
}

function peerCustomers(subject: Subject): string {
  return `query PeerCustomers($pid: ID!, $first: Int, $after: String) {
  root: ${rootField(subject)}(where: {id: {eq: $pid}}) {
    customersConnection(first: $first, after: $after, ${BY_COMPANY}) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id companyName domain countryCode ${PEER_PARTNERS} ${PEER_SUBSCRIPTIONS} } }
    }
  }
}`;
}

const PEER_CUSTOMER = `query PeerCustomer($pid: ID!, $id: ID!) {
  customers(where: {id: {eq: $id}, partners: {some: {id: {eq: $pid}}}}) {
    id companyName domain countryCode
    ${PEER_PARTNERS}
    channelPaths(viewerPartnerId: $pid) { providerId providerName resellerId resellerName providerCanOrder }
    ${PEER_SUBSCRIPTIONS}
  }
}`;

// The shared customers' totalCount is the partnership edge's stored count (migrations/0007), read
// as an edge property, as the API reads it; the page is the generated connection, filtered.
const PEER_INDIRECT_RESELLERS = `query PeerIndirectResellers($pid: ID!, $first: Int) {
  providers(where: {id: {eq: $pid}}) {
    indirectResellersConnection(first: $first, sort: [{node: {nameLower: ASC}}, {node: {id: ASC}}]) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor properties { sharedCustomerCount } node {
        id name countryCode mpnId
        sharedCustomers: customersConnection(first: 5, ${SHARED_WITH_ME}, ${BY_COMPANY}) {
          edges { node { id companyName } }
        }
      } }
    }
  }
}`;

const PEER_INDIRECT_PROVIDERS = `query PeerIndirectProviders($pid: ID!) {
  resellers(where: {id: {eq: $pid}}) {
    indirectProvidersConnection(sort: [{node: {nameLower: ASC}}, {node: {id: ASC}}]) {
      edges { properties { sharedCustomerCount } node {
        id name countryCode
        sharedCustomers: customersConnection(first: 20, ${SHARED_WITH_ME}, ${BY_COMPANY}) {
          pageInfo { hasNextPage endCursor }
          edges { node { id companyName domain } }
        }
      } }
    }
  }
}`;

/** Puts each partnership's stored count where the contract's sharedCustomers.totalCount is. */
function withSharedCount(edge: Json): Json {
  return { ...edge.node, sharedCustomers: { ...edge.node.sharedCustomers, totalCount: edge.properties?.sharedCustomerCount ?? 0 } };
}

const PEER_CHANNEL_STATS = `query PeerChannelStats($pid: ID!) {
  channelStats(partnerId: $pid) { providers resellers customers sharedCustomers customersWithoutProvider }
}`;

// Orders (lifecycle.graphql): the peer's Order has its relationships as lists (7.x has no 1:1) and
// its line items as the stored parallel lists; the root maps them to the contract's shape.
function peerOrders(subject: Subject): string {
  const mine = subject.kind === "PROVIDER" ? "placedBy" : "onRecordFor";
  return `query PeerOrders($pid: ID!, $first: Int) {
  ordersConnection(first: $first, where: {${mine}: {some: {id: {eq: $pid}}}}, sort: [{createdAt: DESC}, {id: ASC}]) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id status createdAtText partnerIdOnRecord offerIds quantities
      customer { id companyName }
      onRecordFor { id name mpnId }
      placedBy { id name }
    } }
  }
}`;
}

function peerOrdersRoot(data: Json): Json {
  const conn = data?.ordersConnection;
  if (!conn) return null;
  return {
    ...conn,
    edges: conn.edges.map((e: Json) => ({
      cursor: e.cursor,
      node: {
        ...e.node,
        createdAt: e.node.createdAtText,
        customer: e.node.customer[0] ?? null,
        reseller: e.node.onRecordFor[0] ?? null,
        provider: e.node.placedBy[0] ?? null,
        lineItems: e.node.offerIds.map((offerId: string, i: number) => ({ offerId, quantity: e.node.quantities[i] })),
      },
    })),
  };
}

/**
 * Customers without a provider (D-27, channelStats.customersWithoutProvider): the caller's
 * customers of record that no provider partnered with the caller (nor the caller, when it is a
 * provider) is of record of; for a provider that is none of them.
 */
function peerCustomersWithoutProvider(subject: Subject): string {
  return `query PeerCustomersWithoutProvider($pid: ID!, $first: Int) {
  root: ${rootField(subject)}(where: {id: {eq: $pid}}) {
    customersConnection(first: $first, ${BY_COMPANY},
      where: {node: {partners: {none: {kind: {eq: "PROVIDER"}, OR: [{id: {eq: $pid}}, {channelPartners: {some: {id: {eq: $pid}}}}]}}}}) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id companyName domain } }
    }
  }
}`;
}

function peerChannelPaths(node: Json): Json {
  if (!node) return null;
  return {
    ...node,
    channelPaths: node.channelPaths.map((p: Json) => ({
      provider: { id: p.providerId, name: p.providerName },
      reseller: { id: p.resellerId, name: p.resellerName },
      providerCanOrder: p.providerCanOrder,
    })),
  };
}

// ------------------------------------------------------------------------------------- the cases

export interface PlanOptions {
  families: OpFamily[];
  deepPage: number;
  pageSize: number;
}

const PLAN: Record<OpFamily, SubjectKey[]> = {
  customers: ["reseller-largest", "reseller-median", "provider-largest"],
  "customers-deep": ["reseller-largest", "provider-largest"],
  customer: ["reseller-largest", "provider-largest"],
  "indirect-resellers": ["provider-largest", "provider-median"],
  "indirect-providers": ["reseller-largest", "reseller-median"],
  "channel-stats": ["reseller-largest", "reseller-median", "provider-largest"],
  // Issue 13 asks for the largest provider; the largest reseller is where the list has items
  // (a provider's customers without a provider are none, by definition) and the other side of
  // the orders (partner of record, D-19).
  orders: ["provider-largest", "reseller-largest"],
  "customers-without-provider": ["provider-largest", "reseller-largest"],
};

export async function buildCases(db: Database, subjects: Subject[], options: PlanOptions): Promise<Case[]> {
  const cases: Case[] = [];
  const bySubject = new Map(subjects.map((s) => [s.key, s]));
  const first = options.pageSize;
  for (const family of options.families) {
    for (const key of PLAN[family]) {
      const subject = bySubject.get(key);
      if (!subject) continue;
      const pid = subject.partnerId;
      const scope = { viewerPartnerId: pid };
      if (family === "customers" || family === "customers-deep") {
        const deep = family === "customers-deep" ? await deepPage(db, subject, options.deepPage, first) : null;
        const notes: string[] = [];
        if (deep && deep.page < deep.wanted) {
          notes.push(`${subject.partnerName} has ${subject.customers} customers: page ${deep.page} is its last page (page ${deep.wanted} wanted).`);
        }
        const after = deep?.cursor ?? null;
        cases.push({
          family,
          label: deep ? `Customers p${deep.page}` : "Customers p1",
          operationName: "Customers",
          subject,
          apiBody: body(contractOperation("Customers"), "Customers", { first, after }),
          apiRoot: (data) => data?.customers,
          floor: {
            file: "customers.cypher",
            query: floorQuery("customers.cypher"),
            params: {
              ...scope,
              first: neo4j.int(first),
              limit: neo4j.int(first + 1),
              afterKey: after ? decodeKey(after)[0] : null,
              afterId: after ? decodeKey(after)[1] : null,
            },
            root: (data) => data,
          },
          peer: {
            body: body(peerCustomers(subject), "PeerCustomers", { pid, first, after: deep?.peerCursor ?? null }),
            root: (data) => data?.root?.[0]?.customersConnection,
            note: `Customers: \`resellers|providers(where: {id: {eq: <partner id>}}) { customersConnection(first, after, sort) }\`, partners filtered by the partner id in \`where\` (subscriptions: all of the customer's, T-2, D-21); its cursors are offsets ("arrayconnection:<n>"), so page N is SKIP (N-1)*${first}.`,
          },
          canon: canonCustomerConnection,
          notes,
        });
      } else if (family === "customer") {
        const id = await customerWithPaths(db, subject);
        if (!id) continue;
        cases.push({
          family,
          label: "Customer",
          operationName: "Customer",
          subject,
          apiBody: body(contractOperation("Customer"), "Customer", { id }),
          apiRoot: (data) => data?.customer,
          floor: { file: "customer.cypher", query: floorQuery("customer.cypher"), params: { ...scope, id }, root: (data) => data ?? null },
          peer: {
            body: body(PEER_CUSTOMER, "PeerCustomer", { pid, id }),
            root: (data) => peerChannelPaths(data?.customers?.[0] ?? null),
            note: "Customer: `customers(where: {id: {eq: <id>}, partners: {some: {id: {eq: <partner id>}}}})` (a list: the generated schema has no single-object query); channelPaths is a @cypher field taking the partner id, returning flat ids and names (a non-node ChannelPath type).",
          },
          canon: canonCustomer,
          notes: [],
        });
      } else if (family === "indirect-resellers") {
        cases.push({
          family,
          label: "IndirectResellers",
          operationName: "IndirectResellers",
          subject,
          apiBody: body(contractOperation("IndirectResellers"), "IndirectResellers", { first }),
          apiRoot: (data) => data?.me?.partner?.indirectResellers,
          floor: {
            file: "indirect-resellers.cypher",
            query: floorQuery("indirect-resellers.cypher"),
            params: { ...scope, first: neo4j.int(first), limit: neo4j.int(first + 1), sharedFirst: neo4j.int(5) },
            root: (data) => data,
          },
          peer: {
            body: body(PEER_INDIRECT_RESELLERS, "PeerIndirectResellers", { pid, first }),
            root: (data) => {
              const connection = data?.providers?.[0]?.indirectResellersConnection;
              return connection ? { ...connection, edges: connection.edges.map((e: Json) => ({ cursor: e.cursor, node: withSharedCount(e) })) } : null;
            },
            note: "IndirectResellers: `providers(where: {id: {eq: <partner id>}}) { indirectResellersConnection }`; sharedCustomers = each reseller's `customersConnection(where: {node: {partners: {some: {id: {eq: <partner id>}}}}})`, its totalCount the partnership edge's stored `sharedCustomerCount` (as the API). No `me`: the peer does not know the caller.",
          },
          canon: canonIndirectResellers,
          notes: [],
        });
      } else if (family === "indirect-providers") {
        cases.push({
          family,
          label: "IndirectProviders",
          operationName: "IndirectProviders",
          subject,
          apiBody: body(contractOperation("IndirectProviders"), "IndirectProviders", {}),
          apiRoot: (data) => (data?.me?.partner ? { indirectProviders: data.me.partner.indirectProviders } : null),
          floor: {
            file: "indirect-providers.cypher",
            query: floorQuery("indirect-providers.cypher"),
            params: { ...scope, first: neo4j.int(20), limit: neo4j.int(21) },
            root: (data) => data,
          },
          peer: {
            body: body(PEER_INDIRECT_PROVIDERS, "PeerIndirectProviders", { pid }),
            root: (data) =>
              data?.resellers?.[0] ? { indirectProviders: data.resellers[0].indirectProvidersConnection.edges.map(withSharedCount) } : null,
            note: "IndirectProviders: `resellers(where: {id: {eq: <partner id>}}) { indirectProvidersConnection { edges { properties { sharedCustomerCount } node { customersConnection(first: 20, where: {node: {partners: {some: {id: {eq: <partner id>}}}}}) } } } }`: the connection, for the partnership's stored count (as the API).",
          },
          canon: canonIndirectProviders,
          notes: [],
        });
      } else if (family === "channel-stats") {
        cases.push({
          family,
          label: "ChannelStats",
          operationName: "ChannelStats",
          subject,
          apiBody: body(contractOperation("ChannelStats"), "ChannelStats", {}),
          apiRoot: (data) => data?.channelStats,
          floor: { file: "channel-stats.cypher", query: floorQuery("channel-stats.cypher"), params: scope, root: (data) => data },
          peer: {
            body: body(PEER_CHANNEL_STATS, "PeerChannelStats", { pid }),
            root: (data) => data?.channelStats,
            note: "ChannelStats: a @cypher Query field with the API's Cypher (cypher/queries/stats/channel.cypher: degrees and the stored count), the partner id as argument: the generated schema has no way to express these counts.",
          },
          canon: canonStats,
          notes: [],
        });
      } else if (family === "orders") {
        cases.push({
          family,
          label: "Orders p1",
          operationName: "Orders",
          subject,
          apiBody: body(contractOperation("Orders"), "Orders", { first }),
          apiRoot: (data) => data?.orders,
          floor: {
            file: "orders.cypher",
            query: floorQuery("orders.cypher"),
            params: { ...scope, first: neo4j.int(first), limit: neo4j.int(first + 1) },
            root: (data) => data,
          },
          peer: {
            body: body(peerOrders(subject), "PeerOrders", { pid, first }),
            root: peerOrdersRoot,
            note: "Orders: `ordersConnection(first, where: {placedBy|onRecordFor: {some: {id: {eq: <partner id>}}}}, sort: [{createdAt: DESC}, {id: ASC}])` (placedBy for a provider, onRecordFor for a reseller); customer, reseller and provider are lists of one, createdAt is read as a @cypher string (\`toString(this.createdAt)\`: selecting a DateTime needs APOC), the line items the order's stored `offerIds` and `quantities`, zipped by the bench.",
          },
          canon: canonOrders,
          notes: [],
        });
      } else if (family === "customers-without-provider") {
        cases.push({
          family,
          label: "CustomersWithoutProvider p1",
          operationName: "CustomersWithoutProvider",
          subject,
          apiBody: body(contractOperation("CustomersWithoutProvider"), "CustomersWithoutProvider", { first }),
          apiRoot: (data) => data?.customers,
          floor: {
            file: "customers-without-provider.cypher",
            query: floorQuery("customers-without-provider.cypher"),
            params: { ...scope, first: neo4j.int(first), limit: neo4j.int(first + 1) },
            root: (data) => data,
          },
          peer: {
            body: body(peerCustomersWithoutProvider(subject), "PeerCustomersWithoutProvider", { pid, first }),
            root: (data) => data?.root?.[0]?.customersConnection,
            note: "CustomersWithoutProvider: `resellers|providers(where: {id: {eq: <partner id>}}) { customersConnection(first, sort, where: {node: {partners: {none: {kind: {eq: \"PROVIDER\"}, OR: [{id: {eq: <partner id>}}, {channelPartners: {some: {id: {eq: <partner id>}}}}]}}}}) }`: the definition written as a filter (no provider partnered with the caller, nor the caller itself, is of record), evaluated per customer; the API and the floor read the `shared` flag stored on the caller's edges (migrations/0007).",
          },
          canon: canonCustomerPage,
          notes:
            subject.kind === "PROVIDER"
              ? [`CustomersWithoutProvider as ${subject.key}: a provider's customers without a provider are none by definition (channelStats.customersWithoutProvider is 0 for a provider): the answer is an empty page.`]
              : [],
        });
      }
    }
  }
  return cases;
}

function decodeKey(cursor: string): [string, string] {
  return JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [string, string];
}
