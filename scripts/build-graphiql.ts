// npm run build:graphiql: the self-hosted GraphiQL page that GET /graphiql serves in development
// (src/app/graphiql.ts), bundled by esbuild from web/graphiql/ and npm packages (graphiql 4,
// react 19) into .local/graphiql/: index.html, graphiql.js, graphiql.css. Nothing is loaded from a
// CDN at run time. The contract's operations (test/contract/operations.graphql, then
// lifecycle.graphql and events.graphql: copies of shared/contract) become one tab each, with example
// variables built from schema/schema.graphql; ChannelEvents (a subscription) runs over WebSocket.
//
// Rebuilds only when an input changed (page sources, contract, schema, this script, the bundled
// packages' versions): `--if-stale` is what `npm start` (prestart) runs, and it never fails the
// start: without the dev dependencies (a production install) it says so and exits 0.
// `--force` rebuilds regardless.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  Kind,
  parse,
  typeFromAST,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { GRAPHIQL_DIR, GRAPHIQL_FILES } from "../src/app/graphiql.js";
import { demoUsers } from "../src/demo/demo-data.js";
import { PROJECT_ROOT } from "../src/shared/config.js";
import { isMainModule } from "./main-module.js";
import { filesUnder, inputsHash, isCurrent, PAGE_BUNDLE, pageBuildCli, publish, sizesOf, type BuildResult } from "./web-bundle.js";

const SOURCE_DIR = join(PROJECT_ROOT, "web", "graphiql");
/** The contract documents whose operations are tabs, in this order (D-28..D-30's events last). */
export const CONTRACT_DOCUMENTS = ["operations.graphql", "lifecycle.graphql", "events.graphql"].map((file) => join(PROJECT_ROOT, "test", "contract", file));
const SCHEMA = join(PROJECT_ROOT, "schema", "schema.graphql");
/** Packages whose code ends up in the bundle (their versions are part of the inputs). */
const BUNDLED = ["graphiql", "@graphiql/react", "react", "react-dom", "graphql", "graphql-ws", "esbuild"];

export interface ContractTab {
  /** The operation's name (GraphiQL titles the tab with it). */
  name: string;
  query: string;
  variables: string | null;
}

/**
 * Example values for variables that a placeholder cannot explain: where an id or a token comes
 * from. Everything else is built from the variable's type (required fields of input objects, the
 * first value of an enum, `first: 5` for pages).
 */
const EXAMPLES: Record<string, Record<string, unknown>> = {
  SignIn: { email: "ga@adatum.example", password: "<the demo password that npm start printed>" },
  VerifyPrimaryContactEmail: { token: "<token from the link of the verification mail>" },
  ReviewEnrollment: { partnerId: "<id from PendingEnrollments>", decision: "APPROVE" },
  UpdateUserRoles: { userId: "<id from Users>" },
  ResetUserPassword: { userId: "<id from Users>" },
  RemoveUser: { userId: "<id from Users>" },
  AuthorizeIndirectProvider: { token: "<token from the link of the reseller invitation>" },
  Customer: { id: "<id from Customers>" },
  InviteCustomerWithProvider: { providerId: "<id from IndirectProviders>", customerEmail: "it@customer.example" },
  RequestResellerRelationship: { customerEmail: "it@customer.example" },
  AcceptRelationshipRequest: { token: "<token from the link of the relationship request>" },
  RevokeRelationshipRequest: { id: "<id from RelationshipRequests>" },
  SubmitOrder: {
    input: { customerId: "<id from Customers>", resellerId: "<the reseller's id, from Me>", lineItems: [{ offerId: "<id from Offers>", quantity: 1 }] },
  },
  UpdateSubscriptionQuantity: { subscriptionId: "<subscription id from Customer>", quantity: 10 },
  ServiceHealth: { customerId: "<id from Customers>" },
  RequestDelegatedAdmin: { customerId: "<id from Customers>" },
  NodeById: { id: "<any id>" },
  // lifecycle.graphql (D-20..D-27)
  SuspendSubscription: { subscriptionId: "<subscription id from Customer>" },
  ReactivateSubscription: { subscriptionId: "<subscription id from Customer>" },
  CancelSubscription: { subscriptionId: "<subscription id from Customer>" },
  CustomerChannel: { id: "<id from Customers>" },
  EndCustomerRelationship: { customerId: "<id from Customers>" },
  EndPartnership: { partnerId: "<id from IndirectProviders or IndirectResellers>" },
  DeclinePartnershipInvitation: { id: "<id from ReceivedPartnershipInvitations>" },
  RequestGranularDelegatedAdmin: { customerId: "<id from Customers>" },
  TerminateDelegatedAdmin: { id: "<id from DelegatedAdminRelationships>" },
  // events.graphql (D-28..D-30)
  CreateWebhook: { input: { url: "http://127.0.0.1:8080/hook", events: ["ORDER_SUBMITTED"] } },
  DeleteWebhook: { id: "<id from Webhooks>" },
  WebhookDeliveries: { webhookId: "<id from Webhooks>" },
};

/** The operations of every contract document (CONTRACT_DOCUMENTS), each with the comment lines right above it, in the documents' order. */
export function contractTabs(schema = buildSchema(readFileSync(SCHEMA, "utf8"))): ContractTab[] {
  return CONTRACT_DOCUMENTS.flatMap((path) => documentTabs(readFileSync(path, "utf8"), schema));
}

/** One contract document's operations, each with the comment lines right above it, in its order. */
export function documentTabs(contract: string, schema: GraphQLSchema): ContractTab[] {
  const document = parse(contract);
  const lines = contract.split("\n");
  const tabs: ContractTab[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION || !definition.name || !definition.loc) continue;
    const startLine = definition.loc.startToken.line - 1;
    let first = startLine;
    // The operation's own comment: the "#" lines directly above it (not a section rule "# ----").
    while (first > 0 && /^#(?! -{4})/.test(lines[first - 1]!)) first -= 1;
    const comment = lines.slice(first, startLine).join("\n");
    const body = contract.slice(definition.loc.start, definition.loc.end);
    const variables = exampleVariables(definition, schema);
    tabs.push({
      name: definition.name.value,
      query: comment ? `${comment}\n${body}\n` : `${body}\n`,
      variables: variables ? JSON.stringify(variables, null, 2) : null,
    });
  }
  return tabs;
}

function exampleVariables(operation: OperationDefinitionNode, schema: GraphQLSchema): Record<string, unknown> | null {
  const given = EXAMPLES[operation.name!.value] ?? {};
  const variables: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (name in given) {
      variables[name] = given[name];
      continue;
    }
    if (name === "first") {
      variables[name] = 5;
      continue;
    }
    const type = typeFromAST(schema, definition.type as never) as GraphQLInputType | undefined;
    if (!type) throw new Error(`${operation.name!.value}: variable $${name} has a type the schema lacks`);
    if (isNonNullType(type)) variables[name] = example(type, name);
  }
  return Object.keys(variables).length > 0 ? variables : null;
}

/** A value of `type`: required fields only, placeholders named after the field. */
function example(type: GraphQLInputType, name: string, depth = 0): unknown {
  if (isNonNullType(type)) return example(type.ofType, name, depth);
  if (isListType(type)) return [example(type.ofType as GraphQLInputType, name, depth)];
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0]!.value;
  if (isInputObjectType(named)) {
    if (depth > 4) return {};
    const value: Record<string, unknown> = {};
    for (const field of Object.values(named.getFields())) {
      if (isNonNullType(field.type)) value[field.name] = example(field.type, field.name, depth + 1);
    }
    return value;
  }
  if (isScalarType(named)) {
    if (named.name === "Int") return /quantity/i.test(name) ? 1 : 0;
    if (named.name === "Float") return 0;
    if (named.name === "Boolean") return false;
    if (/email/i.test(name)) return `${name.toLowerCase().includes("contact") ? "contact" : "someone"}@example.com`;
    if (/countryCode/i.test(name)) return "US";
    return `<${name}>`;
  }
  return null;
}

/** A hash of everything the bundle is made of. */
function graphiqlInputsHash(): string {
  return inputsHash([...filesUnder(SOURCE_DIR), ...CONTRACT_DOCUMENTS, SCHEMA, join(PROJECT_ROOT, "scripts", "build-graphiql.ts")], BUNDLED);
}

/**
 * Builds the page into .local/graphiql when an input changed (or `force`). Written to a
 * temporary folder and renamed into place, so a server never serves half a bundle.
 */
export async function buildGraphiql(options: { force?: boolean } = {}): Promise<BuildResult> {
  const hash = graphiqlInputsHash();
  if (!options.force && isCurrent(GRAPHIQL_DIR, GRAPHIQL_FILES, hash)) {
    return { built: false, dir: GRAPHIQL_DIR, bytes: sizesOf(GRAPHIQL_DIR, GRAPHIQL_FILES) };
  }
  const { build } = await import("esbuild");
  const tabs = contractTabs();
  const demoEmails = demoUsers().map((user) => user.email);
  await publish(GRAPHIQL_DIR, hash, async (out) => {
    await build({
      entryPoints: { graphiql: join(SOURCE_DIR, "main.tsx") },
      outdir: out,
      ...PAGE_BUNDLE,
      jsx: "automatic",
      // graphiql's CSS inlines its fonts (woff2) and icons as data: URLs; anything else it names
      // would be copied next to the bundle, never fetched from elsewhere.
      loader: { ".woff2": "dataurl", ".woff": "dataurl", ".ttf": "dataurl", ".svg": "dataurl", ".png": "dataurl" },
      define: {
        "process.env.NODE_ENV": '"production"',
        __CONTRACT_TABS__: JSON.stringify(tabs),
        __DEMO_EMAILS__: JSON.stringify(demoEmails),
        __CONTRACT_HASH__: JSON.stringify(hash.slice(0, 12)),
      },
    });
    writeFileSync(join(out, "index.html"), readFileSync(join(SOURCE_DIR, "index.html")));
  });
  return { built: true, dir: GRAPHIQL_DIR, bytes: sizesOf(GRAPHIQL_DIR, GRAPHIQL_FILES) };
}

if (isMainModule(import.meta.url)) {
  pageBuildCli({ title: "GraphiQL page", tools: ["esbuild", "graphiql/package.json"], developmentOnly: true, build: buildGraphiql });
}
