import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTrustedManifest, sha256Hex, TRUSTED_DOCUMENTS_FILE } from "../../src/app/documents.js";
import { buildTrustedManifest } from "../../src/app/trusted-manifest.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { expectJsonRefusal, post } from "../support/http.js";

/**
 * Issue 10, "also required": TRUSTED_DOCUMENTS=only runs the safelist of
 * src/generated/trusted-documents.json and nothing else.
 */

describe("trusted documents (TRUSTED_DOCUMENTS=only)", () => {
  let trusted: TestApp;
  const manifest = JSON.parse(readFileSync(TRUSTED_DOCUMENTS_FILE, "utf8")) as { operations: { id: string; name: string; body: string }[] };

  beforeAll(async () => {
    trusted = await startTestApp({ TRUSTED_DOCUMENTS: "only" });
  });

  afterAll(async () => {
    await trusted?.close();
  });

  it("when the safelist is built from the contract, the Sandbox examples and the explorer's operations, then it is the committed file (run `npm run trusted:emit` after a change) and covers every operation of the contract (operations.graphql, lifecycle.graphql and events.graphql) and of the explorer (web/explorer/explorer.graphql, issue 16)", () => {
    expect(JSON.parse(readFileSync(TRUSTED_DOCUMENTS_FILE, "utf8"))).toEqual(buildTrustedManifest());
    const contract = [
      ...["operations.graphql", "lifecycle.graphql", "events.graphql"].map((file) => readFileSync(new URL(`../contract/${file}`, import.meta.url), "utf8")),
      readFileSync(new URL("../../web/explorer/explorer.graphql", import.meta.url), "utf8"),
    ].join("\n");
    const names = [...contract.matchAll(/^(?:query|mutation|subscription)\s+(\w+)/gm)].map((m) => m[1]);
    expect(new Set(manifest.operations.map((o) => o.name))).toEqual(new Set(names));
    expect(loadTrustedManifest().size).toBe(manifest.operations.length);
  });

  it("when a safelisted document is sent as text or as its hash alone, then it runs", async () => {
    const signIn = manifest.operations.find((o) => o.name === "SignIn")!;
    const byText = await post(trusted.url, JSON.stringify({ query: signIn.body, variables: { email: "nobody@nowhere.example", password: "x" } }));
    expect(byText.json?.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const byHash = await post(trusted.url, JSON.stringify({ variables: { email: "nobody@nowhere.example", password: "x" }, extensions: { persistedQuery: { version: 1, sha256Hash: signIn.id } } }));
    expect(byHash.json?.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("when any other document is sent, as text or by a hash registered with it, then it is refused with PERSISTED_QUERY_NOT_ALLOWED and nothing runs", async () => {
    const other = "{ __typename }";
    expectJsonRefusal(await post(trusted.url, JSON.stringify({ query: other })), 400, "PERSISTED_QUERY_NOT_ALLOWED");
    expectJsonRefusal(
      await post(trusted.url, JSON.stringify({ query: other, extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(other) } } })),
      400,
      "PERSISTED_QUERY_NOT_ALLOWED",
    );
    const byHash = await post(trusted.url, JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(other) } } }));
    expect(byHash.json?.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
  });
});
