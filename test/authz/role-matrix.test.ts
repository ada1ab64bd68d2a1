import { createClient } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { encodeEventCursor } from "../../src/modules/events/event-cursor.js";
import { recordAudit } from "../../src/shared/audit.js";
import { hashPassword } from "../../src/shared/auth/password.js";
import { newId } from "../../src/shared/ids.js";
import { CONTRACT_OPERATIONS, EVENTS_OPERATIONS, LIFECYCLE_OPERATIONS, operationOf, startTestApp, uniqueTag, type GqlResult, type TestApp } from "../support/app.js";
import { cases as contractCases, demoIds, eventsCases, lifecycleCases, type DemoIds, type Need, type Org } from "../support/contract-cases.js";

/** Every row: the first release's contract (operations.graphql), the lifecycle's (lifecycle.graphql) and the events' (events.graphql). */
const cases = [...contractCases, ...lifecycleCases, ...eventsCases];

/**
 * ROLES.md, cell by cell, against the running server: every demo user of Contoso Distribution
 * (a provider) and Adatum IT (a reseller), the operator, a user who must still change a
 * temporary password (T-6) and an anonymous caller, times every operation of the contract.
 *
 * The table below is copied from ROLES.md by hand, on purpose: it does not read
 * src/shared/auth/capabilities.ts, so a mistake there cannot hide behind the same mistake here.
 * The operations' variables (test/support/contract-cases.ts) are chosen so that an allowed call
 * cannot change the demo (ids that do not exist, invalid inputs): "allowed" means the call got
 * past authorization, whatever it answered next.
 */
type Role = "AA" | "SA" | "HA" | "GA" | "UMA";

const ROLES_MD: Record<string, { roles: Role[]; org?: Org }> = {
  C1: { roles: ["AA", "SA", "HA", "GA"] },
  C2: { roles: ["AA", "HA", "GA"] },
  C3: { roles: ["AA", "HA", "GA"] },
  C4: { roles: ["AA", "GA"] },
  C5: { roles: ["AA", "HA", "GA"] },
  C6: { roles: ["GA", "UMA"] },
  C7: { roles: ["GA"] },
  C8: { roles: ["GA", "UMA"] },
  C9: { roles: ["GA"] },
  C10: { roles: ["AA", "SA", "GA"] },
  C11: { roles: ["SA", "GA"] },
  C12: { roles: ["GA"], org: "RESELLER" },
  C13: { roles: ["GA"], org: "PROVIDER" },
  C14: { roles: ["AA", "SA", "GA"], org: "PROVIDER" },
  C16: { roles: ["AA", "SA", "HA", "GA"] },
  C17: { roles: ["AA", "GA"] },
  C18: { roles: ["GA"] },
};

interface Caller {
  label: string;
  email: string | null;
  roles: Role[];
  org: Org | null;
  operator?: boolean;
  mustChangePassword?: boolean;
}

const callers: Caller[] = [
  ...(["contosodist.example", "adatum.example"] as const).flatMap((domain) => {
    const org: Org = domain === "contosodist.example" ? "PROVIDER" : "RESELLER";
    const rows: [string, Role[]][] = [
      ["ga", ["AA", "GA"]],
      ["aa", ["AA"]],
      ["sa", ["SA"]],
      ["ha", ["HA"]],
      ["uma", ["UMA"]],
      ["none", []],
    ];
    return rows.map(([local, roles]) => ({ label: `${local}@${domain}`, email: `${local}@${domain}`, roles, org }));
  }),
  { label: "operator", email: "operator@platform.example", roles: [], org: null, operator: true },
  { label: "temporary-password admin agent (T-6)", email: null, roles: ["AA", "GA"], org: "RESELLER", mustChangePassword: true },
  { label: "anonymous", email: null, roles: [], org: null },
];

type Expected = "ALLOWED" | "UNAUTHENTICATED" | "FORBIDDEN" | "PASSWORD_CHANGE_REQUIRED";

function expected(caller: Caller, need: Need): Expected {
  if (need.kind === "anonymous") return "ALLOWED";
  const signedIn = caller.email !== null || caller.mustChangePassword === true;
  if (!signedIn) return "UNAUTHENTICATED";
  if (need.kind === "self") return "ALLOWED";
  // `me` itself is C15; the fragment's fields exist only for callers of that kind of organisation.
  if (need.kind === "fragment" && caller.org !== need.on) return "ALLOWED";
  if (caller.mustChangePassword) return "PASSWORD_CHANGE_REQUIRED";
  if (need.kind === "signedIn") return "ALLOWED";
  if (need.kind === "operator") return caller.operator ? "ALLOWED" : "FORBIDDEN";
  if (need.kind === "caps" && need.org && caller.org !== need.org) return "FORBIDDEN";
  const granted = need.caps.some((cap) => {
    const cell = ROLES_MD[cap];
    return caller.roles.some((role) => cell.roles.includes(role)) && (!cell.org || cell.org === caller.org);
  });
  return granted ? "ALLOWED" : "FORBIDDEN";
}

const AUTHZ_CODES = new Set(["UNAUTHENTICATED", "FORBIDDEN", "PASSWORD_CHANGE_REQUIRED"]);

function outcome(result: GqlResult): Expected | `UNEXPECTED ${string}` {
  const codes = (result.errors ?? []).map((e) => e.extensions?.code ?? "NO_CODE");
  const authz = codes.filter((c) => AUTHZ_CODES.has(c));
  if (authz.length > 0) return authz[0] as Expected;
  if (codes.includes("INTERNAL_SERVER_ERROR")) return `UNEXPECTED ${JSON.stringify(result.errors)}`;
  return "ALLOWED";
}

let app: TestApp;
let demoPassword: string;
const tokens = new Map<string, string | null>();
let ids: DemoIds;
const tag = uniqueTag();

beforeAll(async () => {
  app = await startTestApp();
  const { inject } = await import("vitest");
  demoPassword = inject("demoPassword");
  for (const caller of callers) {
    if (caller.email) tokens.set(caller.label, await app.signIn(caller.email));
  }
  // T-6: an admin agent + global admin of Adatum who has not yet changed a temporary password.
  const email = `temp-${tag}@adatum.example`;
  await app.cypher(
    `MATCH (p:Partner {mpnId: '2000001'})
     CREATE (:User {id: $id, email: $email, displayName: 'Temporary', agentRole: 'ADMIN_AGENT', adminRole: 'GLOBAL_ADMIN',
       passwordHash: $hash, mustChangePassword: true, fixture: $tag, createdAt: datetime()})-[:MEMBER_OF]->(p)`,
    { id: newId("User"), email, hash: await hashPassword("Temp-passw0rd!"), tag },
  );
  tokens.set("temporary-password admin agent (T-6)", await app.signIn(email, "Temp-passw0rd!"));
  ids = await demoIds(app);
});

afterAll(async () => {
  await app?.cypher("MATCH (u:User {fixture: $tag}) DETACH DELETE u", { tag });
  await app?.close();
});

describe("ROLES.md role matrix: every demo role x every operation of the contract", () => {
  // One test per caller: each runs one row of the matrix (cases.length requests), so its time
  // limit is bounded by a fixed amount of work, however many callers the table grows to.
  it.each(callers.map((caller) => [caller.label, caller] as const))(
    "when %s runs every operation, then each cell is allowed or refused with the code ROLES.md implies",
    async (_label, caller) => {
      const mismatches: string[] = [];
      let cells = 0;
      const token = tokens.get(caller.label) ?? null;
      for (const c of cases) {
        let variables = c.variables(ids);
        if (c.operation === "SignIn") variables = { ...variables, password: demoPassword };
        const document =
          c.document === "lifecycle" ? LIFECYCLE_OPERATIONS : c.document === "events" ? operationOf(EVENTS_OPERATIONS, c.operation) : CONTRACT_OPERATIONS;
        const result = await app.gql(document, { operationName: c.operation, variables, token });
        const want = expected(caller, c.need);
        const got = outcome(result);
        cells += 1;
        const cell = `${caller.label} x ${c.operation}${c.variant ? ` (${c.variant})` : ""}`;
        if (got !== want) mismatches.push(`${cell}: expected ${want}, got ${got} ${JSON.stringify(result.errors ?? [])}`);
        if (want === "FORBIDDEN" && got === "FORBIDDEN" && c.need.kind === "caps") {
          // A refused capability is named, not "Not Authorised!".
          const forbidden = result.errors!.find((e) => e.extensions?.code === "FORBIDDEN")!;
          if (/not authori[sz]ed!/i.test(forbidden.message)) mismatches.push(`${cell}: generic shield message`);
        }
      }
      expect(mismatches).toEqual([]);
      expect(cells).toBe(cases.length);
    },
  );

  it("when the contract is compared with the table, then every operation of operations.graphql, lifecycle.graphql and events.graphql has a row", () => {
    const names = (document: string, types = "query|mutation") => [...document.matchAll(new RegExp(`^(?:${types})\\s+(\\w+)`, "gm"))].map((m) => m[1]).sort();
    expect([...new Set(contractCases.map((c) => c.operation))].sort()).toEqual(names(CONTRACT_OPERATIONS));
    expect([...new Set(lifecycleCases.map((c) => c.operation))].sort()).toEqual(names(LIFECYCLE_OPERATIONS));
    expect([...new Set(eventsCases.map((c) => c.operation))].sort()).toEqual(names(EVENTS_OPERATIONS));
    expect(names(EVENTS_OPERATIONS, "subscription")).toEqual(["ChannelEvents"]);
  });
});

/**
 * ChannelEvents runs over WebSocket (graphql-ws, the token in connection_init), so it has its own
 * row: ROLES.md's paragraph under the table gives `channelEvents` the capabilities that read some
 * event type (C16, C1 or C4), as `events`. An allowed caller receives an event of its organisation
 * written after it subscribed (the subscription resumes from the head, so none is missed while it
 * starts); a refused one gets the code; an anonymous connection is closed with 4403 (graphql-ws's
 * Forbidden), which this row reads as UNAUTHENTICATED.
 */
describe("ROLES.md role matrix: ChannelEvents over WebSocket", () => {
  const need: Need = { kind: "caps", caps: ["C16", "C1", "C4"] };
  const summary = `role matrix ${tag}`;

  afterAll(async () => {
    await app?.cypher("MATCH (e:ChannelEvent {summary: $summary}) DETACH DELETE e", { summary });
  });

  it.each(callers.map((caller) => [caller.label, caller] as const))("when %s subscribes to ChannelEvents, then it is allowed or refused as ROLES.md implies", async (_label, caller) => {
    const want = expected(caller, need);
    const token = tokens.get(caller.label) ?? null;
    const [{ head }] = await app.cypher<{ head: number }>("MATCH (s:EventSequence {name: 'channel'}) RETURN toInteger(s.next) - 1 AS head");
    const client = createClient({
      url: app.url.replace(/^http/, "ws"),
      webSocketImpl: WebSocket,
      connectionParams: token === null ? {} : { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    const got: { codes: string[]; closed: number | null; events: string[] } = { codes: [], closed: null, events: [] };
    const stop = client.subscribe<{ channelEvents: { event: { id: string; summary: string } } | null }>(
      { query: operationOf(EVENTS_OPERATIONS, "ChannelEvents"), variables: { after: encodeEventCursor(Number(head)) } },
      {
        next: (result) => {
          for (const error of result.errors ?? []) got.codes.push(String(error.extensions?.code));
          if (result.data?.channelEvents?.event.summary === summary) got.events.push(result.data.channelEvents.event.id);
        },
        error: (error) => {
          if (Array.isArray(error)) got.codes.push(...error.map((e: { extensions?: { code?: string } }) => String(e.extensions?.code)));
          else got.closed = (error as { code?: number }).code ?? -1;
        },
        complete: () => undefined,
      },
    );
    try {
      if (want === "ALLOWED") {
        // An event of the caller's organisation, of a type every role holding C16, C1 or C4 reads (C4|C1).
        const orgId = caller.org === "PROVIDER" ? (await app.cypher<{ id: string }>("MATCH (p:Partner {mpnId: '1000001'}) RETURN p.id AS id"))[0].id : ids.adatum;
        await app.executor.forRequest({ operation: "role-matrix" }).transaction("WRITE", (tx) =>
          recordAudit(tx, {
            operation: "roleMatrix",
            viewer: null,
            partnerId: orgId,
            targetIds: [],
            events: [{ type: "DELEGATED_ADMIN_APPROVED", subjectId: orgId, summary, partnerIds: [orgId] }],
          }),
        );
        await app.events.sequencer.drain();
        await vi.waitFor(() => expect(got.events.length + got.codes.length + (got.closed === null ? 0 : 1)).toBeGreaterThan(0), { timeout: 20_000, interval: 50 });
        expect(got.codes).toEqual([]);
        expect(got.closed).toBeNull();
        expect(got.events).toHaveLength(1);
      } else {
        await vi.waitFor(() => expect(got.codes.length + (got.closed === null ? 0 : 1)).toBeGreaterThan(0), { timeout: 20_000, interval: 50 });
        const outcome = got.closed === 4403 ? "UNAUTHENTICATED" : got.codes[0];
        expect(outcome).toBe(want);
        expect(got.events).toEqual([]);
      }
    } finally {
      stop();
      await client.dispose();
    }
  });
});
