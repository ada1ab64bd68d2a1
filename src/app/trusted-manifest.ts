import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Kind, parse, print, visit, type DefinitionNode, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from "graphql";
import { PROJECT_ROOT } from "../shared/config.js";
import { sha256Hex, type ManifestOperation, type PersistedQueryManifest } from "./documents.js";

/**
 * The documents a TRUSTED_DOCUMENTS=only server runs: every operation of the contract (the in-repo
 * copy, test/contract/*.graphql, itself checked against ../shared/contract) and of the Sandbox's
 * examples, each printed on its own with the fragments it uses, keyed by the SHA-256 of that text.
 * The manifest is the format Apollo's tooling writes (apollo-persisted-query-manifest), so a
 * frontend can send `extensions.persistedQuery.sha256Hash` alone, or the body as the query text.
 */
export const TRUSTED_SOURCES = [
  join("test", "contract", "operations.graphql"),
  join("test", "contract", "lifecycle.graphql"),
  join("test", "contract", "events.graphql"),
  join("src", "app", "sandbox", "examples.graphql"),
  // The channel explorer's operations (issue 16): the page sends them as printed here.
  join("web", "explorer", "explorer.graphql"),
];

export function buildTrustedManifest(sources: string[] = TRUSTED_SOURCES): PersistedQueryManifest {
  const operations = new Map<string, ManifestOperation>();
  for (const source of sources) {
    const document = parse(readFileSync(join(PROJECT_ROOT, source), "utf8"), { noLocation: true });
    for (const operation of document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)) {
      const body = print(standalone(document, operation));
      const id = sha256Hex(body);
      operations.set(id, { id, name: operation.name?.value ?? "(anonymous)", type: operation.operation, body });
    }
  }
  return {
    format: "apollo-persisted-query-manifest",
    version: 1,
    operations: [...operations.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1)),
  };
}

/** The operation and the fragments it uses (transitively), in the order of the source. */
function standalone(document: DocumentNode, operation: OperationDefinitionNode): DocumentNode {
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  const used = new Set<string>();
  const pending: DefinitionNode[] = [operation];
  while (pending.length > 0) {
    visit(pending.pop()!, {
      FragmentSpread(node) {
        if (!used.has(node.name.value) && fragments.has(node.name.value)) {
          used.add(node.name.value);
          pending.push(fragments.get(node.name.value)!);
        }
      },
    });
  }
  const definitions = document.definitions.filter((d) => d === operation || (d.kind === Kind.FRAGMENT_DEFINITION && used.has(d.name.value)));
  return { kind: Kind.DOCUMENT, definitions };
}
