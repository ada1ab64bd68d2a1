import { readFileSync } from "node:fs";
import { join } from "node:path";
import { print, type DocumentNode } from "graphql";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { listCustomers } from "../../examples/typed-client.js";
import * as generated from "../../src/generated/client/graphql.js";
import { sha256Hex, TRUSTED_DOCUMENTS_FILE } from "../../src/app/documents.js";
import { PROJECT_ROOT } from "../../src/shared/config.js";
import { CONTRACT_OPERATIONS, LIFECYCLE_OPERATIONS, EVENTS_OPERATIONS, startTestApp, type TestApp } from "../support/app.js";

/**
 * Issue 12, point 3: a typed client for frontend teams. src/generated/client/ (codegen's client
 * preset over the contract's operations) has a TypedDocumentNode for every contract operation, and
 * the README's 20-line example (examples/typed-client.ts) type-checks and runs against the API.
 */

const EXAMPLE = join(PROJECT_ROOT, "examples", "typed-client.ts");

/** Type-checks `files` (path -> source; a path that exists on disk is read from it) with the repository's tsconfig. */
function typeErrors(files: Record<string, string | null>): string[] {
  const configFile = ts.readConfigFile(join(PROJECT_ROOT, "tsconfig.json"), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, PROJECT_ROOT);
  const host = ts.createCompilerHost(options);
  const virtual = new Map(Object.entries(files).filter((e): e is [string, string] => e[1] !== null));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, onError) =>
    virtual.has(name) ? ts.createSourceFile(name, virtual.get(name)!, language) : getSourceFile(name, language, onError);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => virtual.has(name) || fileExists(name);
  const program = ts.createProgram(Object.keys(files), { ...options, noEmit: true }, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

describe("typed client for frontend teams (issue 12, point 3)", () => {
  let app: TestApp;
  let trusted: TestApp;
  const demoPassword = inject("demoPassword");

  beforeAll(async () => {
    [app, trusted] = await Promise.all([startTestApp(), startTestApp({ TRUSTED_DOCUMENTS: "only" })]);
  });

  afterAll(async () => {
    await Promise.all([app?.close(), trusted?.close()]);
  });

  it("when the client is generated, then it has one typed document per contract operation (operations.graphql, lifecycle.graphql and events.graphql), each printing to its trusted-documents entry", () => {
    const contractNames = [CONTRACT_OPERATIONS, LIFECYCLE_OPERATIONS, EVENTS_OPERATIONS].flatMap((document) =>
      [...document.matchAll(/^(?:query|mutation|subscription)\s+(\w+)/gm)].map((m) => m[1]),
    );
    expect(contractNames).toHaveLength(36 + 13 + 6);
    const documents = Object.entries(generated).filter(([name]) => name.endsWith("Document")) as [string, DocumentNode][];
    expect(documents.map(([name]) => name.replace(/Document$/, "")).sort()).toEqual([...contractNames].sort());
    // So a frontend built on them may send the hash alone (persisted queries) to a TRUSTED_DOCUMENTS=only server.
    const manifest = JSON.parse(readFileSync(TRUSTED_DOCUMENTS_FILE, "utf8")) as { operations: { id: string; name: string }[] };
    const trustedIds = new Map(manifest.operations.map((o) => [o.id, o.name]));
    for (const [name, document] of documents) expect(trustedIds.get(sha256Hex(print(document))), name).toBe(name.replace(/Document$/, ""));
  });

  it("when the example is compiled with the repository's tsconfig, then it type-checks, and misuse of a generated document does not", () => {
    expect(typeErrors({ [EXAMPLE]: null })).toEqual([]);
    // The types are real, not `any`: a wrong variable and an unselected field are compile errors.
    const misuse = join(PROJECT_ROOT, "examples", "misuse.ts");
    const errors = typeErrors({
      [misuse]: [
        'import { request } from "./typed-client.js";',
        'import { CustomersDocument } from "../src/generated/client/graphql.js";',
        'export const wrongVariable = () => request("http://x", CustomersDocument, { first: "20" });',
        'export const unselected = async () => (await request("http://x", CustomersDocument, {})).customers.edges[0]?.node.serviceHealth;',
      ].join("\n"),
    });
    expect(errors.join("\n")).toMatch(/Type 'string' is not assignable to type 'number'/);
    expect(errors.join("\n")).toMatch(/Property 'serviceHealth' does not exist/);
    expect(errors).toHaveLength(2);
  });

  it("when the example signs in as a demo global admin and lists customers, then it returns the page the contract's Customers operation returns", async () => {
    const token = await app.signIn("ga@contosodist.example");
    const expected = await app.op<{ customers: { edges: { node: { companyName: string; partners: { name: string }[] } }[] } }>(
      "Customers",
      { first: 20 },
      token,
    );
    const customers = await listCustomers(app.url, "ga@contosodist.example", demoPassword);
    expect(customers.length).toBeGreaterThan(0);
    expect(customers).toEqual(expected.data!.customers.edges.map(({ node }) => ({ name: node.companyName, partners: node.partners.map((p) => p.name) })));
  });

  it("when the server runs only trusted documents (TRUSTED_DOCUMENTS=only), then the example still works, since its documents are the safelist's", async () => {
    const customers = await listCustomers(trusted.url, "ga@contosodist.example", demoPassword);
    expect(customers.length).toBeGreaterThan(0);
  });

  it("when the sign-in fails, then the example throws with the API's error code", async () => {
    await expect(listCustomers(app.url, "nobody@nowhere.example", "not-a-password")).rejects.toThrow(/^UNAUTHENTICATED: /);
  });
});
