import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ID_PREFIX, newId, type IdKind } from "../../src/shared/ids.js";
import { startTestApp, uniqueTag, type GqlResult, type TestApp } from "../support/app.js";
import { createChannel, type Channel } from "../support/fixtures.js";

/**
 * Issue 10, point 6: a forged `after` cursor is refused as BAD_USER_INPUT naming `after`, on
 * every paged list, before anything reaches Neo4j; never INTERNAL_SERVER_ERROR.
 *
 * Cursors are base64url(JSON [sortKey, id]) (src/shared/graphql/connection.ts). Each forged
 * cursor below is made the way a client could make one: by encoding a bad pair, or something
 * that is not a pair. Every list holds at least one item (a fixture channel with a lead, a
 * relationship request and an enrollment under review), so that Cypher does compare with the
 * cursor: on an empty list a bad key never reaches datetime(). On f3574e0, `leads` with the key
 * "March 7, 2020" (which Date.parse accepts and Cypher's datetime() does not) answered
 * INTERNAL_SERVER_ERROR, `relationshipRequests` and `pendingEnrollments` did with any key that is
 * not a date, and most other forgeries were answered as if they were cursors.
 */

/** A cursor in the list's format, for any value (the client's view of encodeCursor). */
const forge = (value: unknown): string => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");

type KeyKind = "text" | "time";

const SAMPLE_KEY: Record<KeyKind, string> = { text: "contoso", time: "2024-03-02T09:00:00.000Z" };
const sampleId = (kind: IdKind) => `${ID_PREFIX[kind]}_${"a".repeat(26)}`;

/** Forged cursors refused by every list, whatever its sort key. */
function commonForgeries(key: string, id: string): [string, string][] {
  return [
    ["not base64url", "%%%not-a-cursor%%%"],
    ["base64url of text that is not JSON", Buffer.from("not json", "utf8").toString("base64url")],
    ["a JSON object instead of a pair", forge({ key, id })],
    ["a pair with a third element", forge([key, id, "extra"])],
    ["a single element", forge([key])],
    ["an empty array", forge([])],
    ["a number as the key", forge([20240302, id])],
    ["null as the key", forge([null, id])],
    ["an object as the key", forge([{ $gt: "" }, id])],
    ["a number as the id", forge([key, 42])],
    ["an empty id", forge([key, ""])],
    ["an id of 5,000 characters", forge([key, "x".repeat(5000)])],
    ["a key of 5,000 characters", forge(["a".repeat(5000), id])],
    ["an unpaired surrogate in the key", forge([`${key}\ud800`, id])],
    ["a genuine-looking cursor with '==' padding", `${forge([key, id])}==`],
    ["a genuine-looking cursor with a space inside", `${forge([key, id]).slice(0, 4)} ${forge([key, id]).slice(4)}`],
    ["20,000 characters of base64", "A".repeat(20_000)],
  ];
}

/** Keys that look like times but are not the ISO instant the list writes (Date#toISOString). */
const TIME_FORGERIES: [string, string][] = [
  ["month 13, hour 99", "2024-13-45T99:99:99Z"],
  ["a date Date.parse reads and Cypher does not", "March 7, 2020"],
  ["30 February", "2024-02-30T00:00:00.000Z"],
  ["a date without a time", "2024-03-02"],
  ["no milliseconds", "2024-03-02T09:00:00Z"],
  ["an offset instead of Z", "2024-03-02T09:00:00.000+01:00"],
  ["an extended year", "+275760-09-13T00:00:00.000Z"],
  ["a bare number", "1"],
  ["text", "contoso"],
];

interface Row {
  /** What is paged, as the contract names it. */
  list: string;
  /** Who may run it: the fixture's reseller or provider global admin (ADMIN_AGENT too), or the operator. */
  caller: "reseller" | "provider" | "operator";
  keyKind: KeyKind;
  idKind: IdKind;
  /** The request with `after` set. */
  send: (after: string, token: string) => Promise<GqlResult>;
}

let app: TestApp;
let channel: Channel;
const op = (name: string, variables: Record<string, unknown> = {}) => (after: string, token: string) =>
  app.op(name, { first: 2, ...variables, after }, token);
const query = (text: string) => (after: string, token: string) => app.gql(text, { variables: { after }, token });

const ROWS: Row[] = [
  { list: "pendingEnrollments (PendingEnrollments)", caller: "operator", keyKind: "time", idKind: "Partner", send: op("PendingEnrollments") },
  { list: "users (Users)", caller: "reseller", keyKind: "text", idKind: "User", send: op("Users") },
  { list: "providerDirectory (ProviderDirectory)", caller: "reseller", keyKind: "text", idKind: "Partner", send: op("ProviderDirectory") },
  { list: "Provider.indirectResellers (IndirectResellers)", caller: "provider", keyKind: "text", idKind: "Partner", send: op("IndirectResellers") },
  { list: "customers (Customers)", caller: "reseller", keyKind: "text", idKind: "Customer", send: op("Customers") },
  { list: "customers, filtered (Customers)", caller: "reseller", keyKind: "text", idKind: "Customer", send: op("Customers", { where: { search: "o", countryCode: "US" } }) },
  { list: "relationshipRequests (RelationshipRequests)", caller: "reseller", keyKind: "time", idKind: "RelationshipRequest", send: op("RelationshipRequests") },
  { list: "relationshipRequests, by status (RelationshipRequests)", caller: "reseller", keyKind: "time", idKind: "RelationshipRequest", send: op("RelationshipRequests", { status: "PENDING" }) },
  { list: "leads (Leads)", caller: "reseller", keyKind: "time", idKind: "Lead", send: op("Leads") },
  {
    list: "auditEvents",
    caller: "reseller",
    keyKind: "time",
    idKind: "AuditEvent",
    send: query("query ($after: String) { auditEvents(first: 2, after: $after) { totalCount edges { cursor node { id } } } }"),
  },
  {
    list: "Reseller.indirectProviders.sharedCustomers",
    caller: "reseller",
    keyKind: "text",
    idKind: "Customer",
    send: query(
      "query ($after: String) { me { partner { ... on Reseller { indirectProviders { id sharedCustomers(first: 2, after: $after) { totalCount edges { node { id } } } } } } } }",
    ),
  },
  {
    list: "Provider.indirectResellers.sharedCustomers (fetched with the list)",
    caller: "provider",
    keyKind: "text",
    idKind: "Customer",
    send: query(
      "query ($after: String) { me { partner { ... on Provider { indirectResellers(first: 5) { edges { node { id sharedCustomers(first: 2, after: $after) { totalCount } } } } } } } }",
    ),
  },
];

function tokenOf(caller: Row["caller"]): Promise<string> {
  if (caller === "operator") return app.signInOnce("operator@platform.example");
  return app.signInOnce(caller === "reseller" ? channel.resellerUsers.ga : channel.providerUsers.ga, channel.password);
}

beforeAll(async () => {
  app = await startTestApp();
  const tag = uniqueTag();
  channel = await createChannel(app, tag);
  const reseller = await tokenOf("reseller");
  // One item in each list that is empty on a fresh channel (the audit trail gets the lead's and the request's events).
  const lead = await app.op("CreateLead", { input: { companyName: `Cursor Lead ${tag}`, contactEmail: `buyer@lead-${tag}.example`, source: "OWN_MARKETING" } }, reseller);
  expect(lead.errors).toBeUndefined();
  const request = await app.op("RequestResellerRelationship", { customerEmail: `admin@prospect-${tag}.example` }, reseller);
  expect(request.errors).toBeUndefined();
  await app.cypher(
    `CREATE (:Partner:Reseller {id: $id, kind: 'RESELLER', name: $name, nameLower: toLower($name), mpnId: $mpnId, countryCode: 'US',
       tenantDomain: $domain, enrollmentStatus: 'UNDER_REVIEW', fixture: $tag, createdAt: datetime({epochMillis: timestamp()})})`,
    { id: newId("Partner"), name: `Cursor Enrollment ${tag}`, mpnId: String(9_000_000 + Math.floor(Math.random() * 900_000)), domain: `enr-${tag}.example`, tag },
  );
});
afterAll(async () => {
  await channel?.remove();
  await app?.close();
});

/** What a request answered, in one line for the failure list. */
function outcome(result: GqlResult): string {
  if (!result.errors?.length) return `HTTP ${result.status}, no error (the forged cursor was used)`;
  return result.errors.map((e) => `HTTP ${result.status} ${e.extensions?.code} field=${String(e.extensions?.field)}`).join("; ");
}

describe("forged cursors (issue 10, point 6)", () => {
  it.each(ROWS)("when a cursor of the list's own shape is sent to $list, then it is accepted (control)", async (row) => {
    const token = await tokenOf(row.caller);
    const result = await row.send(forge([SAMPLE_KEY[row.keyKind], sampleId(row.idKind)]), token);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    expect(result.status).toBe(200);
  });

  it.each(ROWS)(
    "when forged cursors are sent to $list, then each is BAD_USER_INPUT naming `after` (HTTP 200), never INTERNAL_SERVER_ERROR",
    async (row) => {
      const token = await tokenOf(row.caller);
      const key = SAMPLE_KEY[row.keyKind];
      const id = sampleId(row.idKind);
      const forgeries = [
        ...commonForgeries(key, id),
        ...(row.keyKind === "time" ? TIME_FORGERIES.map(([what, bad]): [string, string] => [`time key: ${what}`, forge([bad, id])]) : []),
      ];
      const wrong: string[] = [];
      for (const [what, cursor] of forgeries) {
        const result = await row.send(cursor, token);
        const errors = result.errors ?? [];
        const refused =
          result.status === 200 &&
          errors.length > 0 &&
          errors.every((e) => e.extensions?.code === "BAD_USER_INPUT" && e.extensions?.field === "after" && e.extensions?.rule === "cursor");
        if (!refused) wrong.push(`${what}: ${outcome(result)}`);
        // The answer never echoes the forged cursor.
        for (const error of errors) expect(error.message.length, error.message).toBeLessThan(200);
      }
      expect(wrong).toEqual([]);
    },
  );
});
