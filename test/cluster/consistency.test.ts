import { randomUUID } from "node:crypto";
import neo4j, { type Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { consistentClient } from "../../examples/consistent-client.js";
import { apiProcesses, signInAt } from "../support/processes.js";
import { CONTRACT_OPERATIONS } from "../support/app.js";
import { bookmarksOf, futureBookmark, signedToken } from "./bookmarks.js";

/**
 * Issue 15, part 6: two API processes (src/main.ts, as deployed) in front of the local test
 * Neo4j reached through `neo4j://` (routing: Community serves it as a single member, checked
 * below), sharing JWT_SECRET. A write through one, a read through the other carrying the first
 * one's X-Consistency-Token: both see the same data. A malformed token is 400 BAD_REQUEST; a
 * well-signed token naming a transaction the database never had is 503 CONSISTENCY_UNAVAILABLE,
 * after which the process serves requests without it as before. Bounded by counts: 5 writes each way.
 */

interface Answer {
  status: number;
  consistency: string | null;
  queries: number;
  body: { data?: Record<string, any> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

const processes = apiProcesses();
const settings = inject("neo4j");
const routingUri = settings.uri.replace(/^(bolt|neo4j)(\+s|\+ssc)?:\/\//, "neo4j$2://");
const tag = randomUUID().slice(0, 8);
const BUDGET_MS = 3_000;
let first: string;
let second: string;
let bearer: string;
let direct: Driver;
let sequence = 0;

async function op(url: string, operationName: string, variables: Record<string, unknown>, consistency?: string): Promise<Answer> {
  const headers: Record<string, string> = { "content-type": "application/json", authorization: `Bearer ${bearer}` };
  if (consistency !== undefined) headers["x-consistency-token"] = consistency;
  const response = await fetch(url, { method: "POST", headers, body: JSON.stringify({ query: CONTRACT_OPERATIONS, operationName, variables }) });
  return {
    status: response.status,
    consistency: response.headers.get("x-consistency-token"),
    queries: Number(response.headers.get("x-cypher-queries")),
    body: (await response.json()) as Answer["body"],
  };
}

const createLead = (url: string) =>
  op(url, "CreateLead", { input: { companyName: `Cluster ${tag} ${++sequence}`, contactEmail: `buyer@cluster-${tag}.example`, source: "OWN_MARKETING" } });
const leadNames = (answer: Answer): string[] =>
  (answer.body.data?.leads.edges as { node: { companyName: string } }[]).map((e) => e.node.companyName).filter((n) => n.startsWith(`Cluster ${tag} `)).sort();

beforeAll(async () => {
  // Both on the routing scheme, with a request budget short enough for the unknown-bookmark case.
  const env = { NEO4J_URI: routingUri, REQUEST_BUDGET_MS: String(BUDGET_MS), EVENT_SEQUENCER_MS: "off" };
  [first, second] = await Promise.all([processes.start(env), processes.start(env)]);
  bearer = await signInAt(first, "ga@adatum.example", inject("demoPassword"));
  direct = neo4j.driver(routingUri, neo4j.auth.basic(settings.username, settings.password));
});

afterAll(async () => {
  await processes.stopAll();
  if (direct) {
    await direct.executeQuery(
      `MATCH (l:Lead) WHERE l.companyName STARTS WITH $prefix
       OPTIONAL MATCH (e:AuditEvent) WHERE l.id IN e.targetIds
       DETACH DELETE e, l`,
      { prefix: `Cluster ${tag} ` },
      { database: settings.database },
    );
    await direct.close();
  }
});

describe("two API processes over neo4j:// (issue 15, part 6)", () => {
  it("when the test Neo4j is reached through neo4j://, then it routes as a single member serving reads, writes and routing", async () => {
    const { records } = await direct.executeQuery("CALL dbms.routing.getRoutingTable({}, $db)", { db: settings.database }, { database: "system" });
    const servers = records[0]!.get("servers") as { addresses: string[]; role: string }[];
    expect(servers.map((s) => s.role).sort()).toEqual(["READ", "ROUTE", "WRITE"]);
    expect(new Set(servers.flatMap((s) => s.addresses)).size).toBe(1);
  });

  it("when 5 writes go through one process and each read through the other carries its token, then both see the same leads, each write included, both ways", async () => {
    for (const [writer, reader] of [
      [first, second],
      [second, first],
    ] as const) {
      for (let n = 0; n < 5; n++) {
        const wrote = await createLead(writer);
        expect(wrote.body.errors, JSON.stringify(wrote.body)).toBeUndefined();
        expect(wrote.consistency).toMatch(/^v1\./);
        const name = `Cluster ${tag} ${sequence}`;
        const there = await op(reader, "Leads", { first: 100 }, wrote.consistency!);
        const here = await op(writer, "Leads", { first: 100 }, wrote.consistency!);
        expect(there.status, JSON.stringify(there.body)).toBe(200);
        expect(leadNames(there)).toContain(name);
        expect(leadNames(there)).toEqual(leadNames(here));
        expect(leadNames(there)).toHaveLength(sequence);
      }
    }
  });

  it("when the typed client example (examples/consistent-client.ts) alternates between the processes, then each list it reads has the lead it just added", async () => {
    let turn = 0;
    const client = consistentClient(() => [first, second][turn++ % 2]!);
    await client.signIn("ga@adatum.example", inject("demoPassword"));
    for (let n = 0; n < 4; n++) {
      // The write goes to one process, the list to the other (turns alternate, two requests a round).
      const { created, listed } = await client.addLeadAndList(`Cluster ${tag} ${++sequence}`, `buyer@cluster-${tag}.example`);
      expect(listed).toContain(created);
      expect(client.consistencyToken).toMatch(/^v1\./);
    }
  });

  it("when the other process first gets a token it did not write, then it sends one catch-up read for it, and none when the token comes again", async () => {
    const wrote = await createLead(first);
    const plain = await op(second, "Leads", { first: 100 });
    const once = await op(second, "Leads", { first: 100 }, wrote.consistency!);
    const again = await op(second, "Leads", { first: 100 }, wrote.consistency!);
    expect(once.queries).toBe(plain.queries + 1);
    expect(again.queries).toBe(plain.queries);
    expect(leadNames(once)).toContain(`Cluster ${tag} ${sequence}`);
    // Reads hand out no token; the one a client holds stays the last write's.
    expect(once.consistency).toBeNull();
  });

  it("when the token is malformed, then the other process answers 400 BAD_REQUEST naming X-Consistency-Token", async () => {
    const wrote = await createLead(first);
    const broken = `${wrote.consistency!.slice(0, -1)}${wrote.consistency!.endsWith("A") ? "B" : "A"}`;
    for (const token of ["garbage", broken]) {
      const answer = await op(second, "Leads", { first: 100 }, token);
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_REQUEST", header: "X-Consistency-Token" });
    }
  });

  it("when a well-signed token names a transaction the database never had, then 503 CONSISTENCY_UNAVAILABLE, and the same process then serves without it", async () => {
    const wrote = await createLead(first);
    const never = signedToken(bookmarksOf(wrote.consistency!).map(futureBookmark));
    const refused = await op(second, "Leads", { first: 100 }, never);
    expect(refused.status, JSON.stringify(refused.body)).toBe(503);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: "CONSISTENCY_UNAVAILABLE", header: "X-Consistency-Token" });
    expect(refused.body.data ?? null).toBeNull();
    const after = await op(second, "Leads", { first: 100 }, wrote.consistency!);
    expect(after.status).toBe(200);
    expect(leadNames(after)).toContain(`Cluster ${tag} ${sequence}`);
  });
});
