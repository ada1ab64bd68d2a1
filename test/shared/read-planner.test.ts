import { getOperationAST, parse, validate, type DocumentNode, type GraphQLSchema } from "graphql";
import neo4j from "neo4j-driver";
import { beforeAll, describe, expect, it } from "vitest";
import { buildAppSchema } from "../../src/app/schema.js";
import { encodeCursor } from "../../src/shared/graphql/connection.js";
import { planRequestRead, registeredReadPlanners } from "../../src/shared/read-planner.js";
import { CONTRACT_OPERATIONS, LIFECYCLE_OPERATIONS } from "../support/app.js";

/** The read planner alone (no database): which requests get their read planned, and the plan itself. */

let schema: GraphQLSchema;
const ME = "ptn_viewer";
/** The request's domain time (Context.now), which a clock-dependent read is planned at. */
const NOW = Date.parse("2030-01-02T03:04:05.678Z");
/** As the server calls it: on the document Apollo parsed and validated, for the operation it resolved. */
const plan = (query: string, variables: Record<string, unknown> = {}, operationName?: string) => {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch {
    return null;
  }
  if (validate(schema, document).length > 0) return null;
  const operation = getOperationAST(document, operationName);
  return operation ? planRequestRead({ schema, document, operation, variables }, ME, NOW).read : null;
};

beforeAll(async () => {
  schema = await buildAppSchema();
});

describe("the read planner", () => {
  it("when the schema is built, then the modules have registered their planned fields", () => {
    expect(registeredReadPlanners().map((p) => `${p.parentType}.${p.path.join(".")}`).sort()).toEqual([
      "Provider.me.partner.indirectResellers",
      "Query.customer",
      "Query.customers",
      // D-28: the events feed, one statement with the viewer query (issue 14).
      "Query.events",
      "Query.orders",
      "Reseller.me.partner.indirectProviders",
    ]);
  });


  it("when the contract's Customers is sent, then the plan is the resolver's read: the caller's organisation, the filter, the selected relationships and the page", () => {
    const after = encodeCursor("contoso", "cus_1");
    const read = plan(CONTRACT_OPERATIONS, { first: 5, after, where: { countryCode: "us" } }, "Customers");
    expect(read).toEqual({
      query: "customers/list",
      params: {
        viewerPartnerId: ME,
        search: null,
        countryCode: "US",
        sharedWithPartnerId: null,
        withoutProvider: null,
        withPartners: true,
        withSubscriptions: true,
        limit: neo4j.int(6),
        afterKey: "contoso",
        afterId: "cus_1",
      },
    });
  });

  it("when the contract's Customer, IndirectResellers and IndirectProviders are sent, then each gets its read", () => {
    expect(plan(CONTRACT_OPERATIONS, { id: "cus_1" }, "Customer")?.query).toBe("customers/detail");
    const resellers = plan(CONTRACT_OPERATIONS, { first: 10 }, "IndirectResellers");
    expect(resellers?.query).toBe("partners/indirect-resellers");
    expect(resellers?.params).toMatchObject({ viewerPartnerId: ME, ids: [ME], withShared: true, sharedLimit: neo4j.int(6) });
    const providers = plan(CONTRACT_OPERATIONS, {}, "IndirectProviders");
    expect(providers?.query).toBe("partners/indirect-providers");
    expect(providers?.params).toMatchObject({ viewerPartnerId: ME, ids: [ME], withShared: true, sharedLimit: neo4j.int(21) });
  });

  it("when the contract's CustomerChannel (lifecycle.graphql) is sent, then the customer's read brings its subscriptions and the caller's delegated admin relationships, read at the request's time (Context.now, D-25)", () => {
    expect(plan(LIFECYCLE_OPERATIONS, { id: "cus_1" }, "CustomerChannel")).toEqual({
      query: "customers/detail",
      params: {
        viewerPartnerId: ME,
        id: "cus_1",
        withPartners: false,
        withSubscriptions: true,
        withChannelPaths: false,
        withDelegatedAdmin: true,
        now: neo4j.int(NOW),
      },
    });
    // delegatedAdminRelationships alone is reason enough to read the customer with it.
    expect(plan("query ($id: ID!) { customer(id: $id) { id delegatedAdminRelationships { id status } } }", { id: "cus_1" })?.params).toMatchObject({
      withDelegatedAdmin: true,
      withSubscriptions: false,
      now: neo4j.int(NOW),
    });
  });

  it("when the resolver would use a loader instead (no relationship selected), then nothing is planned", () => {
    expect(plan("query ($id: ID!) { customer(id: $id) { id companyName } }", { id: "cus_1" })).toBeNull();
    expect(plan("{ me { partner { ... on Reseller { indirectProviders { id name } } } } }")).toBeNull();
  });

  it("when the request is not one plain query of one planned field, then nothing is planned", () => {
    const cases: [string, Record<string, unknown>?][] = [
      ["mutation { signIn(email: \"a@b.example\", password: \"x\") { token } }"],
      ["{ customers { totalCount } channelStats { customers } }"],
      ["{ mine: customers { totalCount } }"],
      ["query ($all: Boolean!) { customers @include(if: $all) { totalCount } }", { all: true }],
      ["{ channelStats { customers } }"],
      ["{ customers(first: 5) { totalCount } "],
      [CONTRACT_OPERATIONS],
    ];
    for (const [query, variables] of cases) expect(plan(query, variables), query).toBeNull();
  });

  it("when the arguments are wrong (a variable of the wrong type, a bad cursor, a page too large), then nothing is planned and the resolver reports it", () => {
    expect(plan(CONTRACT_OPERATIONS, { first: "many" }, "Customers")).toBeNull();
    expect(plan(CONTRACT_OPERATIONS, { first: 5, after: "not a cursor" }, "Customers")).toBeNull();
    expect(plan(CONTRACT_OPERATIONS, { first: 100_000 }, "Customers")).toBeNull();
    expect(plan(CONTRACT_OPERATIONS, { first: 5 }, "NoSuchOperation")).toBeNull();
  });

  it("when the field is reached through named fragments, then it is planned as when written inline", () => {
    const query = `query { ...Root }
      fragment Root on Query { customers(first: 3) { edges { node { ...Row } } } }
      fragment Row on Customer { id partners { id } }`;
    expect(plan(query)).toMatchObject({ query: "customers/list", params: { withPartners: true, withSubscriptions: false, limit: neo4j.int(4) } });
  });
});
