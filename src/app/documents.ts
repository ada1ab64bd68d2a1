import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { NextFunction, Request, Response } from "express";
import type { DocumentNode } from "graphql";
import { LRUCache } from "lru-cache";
import { sendGraphQLError } from "./http-errors.js";
import { LIMITS } from "./limits.js";

/**
 * What happens to a request's document before Apollo sees it: the query text's length limit,
 * persisted queries (automatic ones, and the trusted-documents safelist), and the bounded store of
 * parsed documents that Apollo keeps. Apollo's own persisted-query support is off: it answered a
 * hash that does not match its text with an error without a code (masked as INTERNAL_SERVER_ERROR),
 * and it has no safelist.
 */

export type TrustedDocumentsMode = "off" | "only";

/** One entry of an Apollo persisted query manifest (the format @apollo/generate-persisted-query-manifest writes). */
export interface ManifestOperation {
  id: string;
  name: string;
  type: "query" | "mutation" | "subscription";
  body: string;
}

export interface PersistedQueryManifest {
  format: "apollo-persisted-query-manifest";
  version: 1;
  operations: ManifestOperation[];
}

export const TRUSTED_DOCUMENTS_FILE = fileURLToPath(new URL("../generated/trusted-documents.json", import.meta.url));

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export function loadTrustedManifest(file = TRUSTED_DOCUMENTS_FILE): Map<string, string> {
  const manifest = JSON.parse(readFileSync(file, "utf8")) as PersistedQueryManifest;
  const byHash = new Map<string, string>();
  for (const operation of manifest.operations) {
    if (sha256Hex(operation.body) !== operation.id) throw new Error(`${file}: operation ${operation.name} has an id that is not the SHA-256 of its body`);
    byHash.set(operation.id, operation.body);
  }
  return byHash;
}

/**
 * Apollo's documentStore, bounded by bytes. Each parsed document keeps its whole source text
 * (`loc.source`) and its token list (`loc.startToken` links every token) alive, which Apollo's
 * default size estimate (JSON of the tree, without either) does not count: 500 anonymous
 * requests with a 900 KB comment each were kept whole (issue 10, point 2). Here an entry costs
 * its text at 2 bytes a character and ~200 bytes a token (a Token object and the nodes made of it).
 */
export function boundedDocumentStore(maxBytes: number = LIMITS.documentCacheBytes) {
  const cache = new LRUCache<string, DocumentNode>({ maxSize: maxBytes, sizeCalculation: documentBytes });
  return {
    async get(key: string) {
      return cache.get(key);
    },
    async set(key: string, value: DocumentNode) {
      cache.set(key, value);
    },
    async delete(key: string) {
      return cache.delete(key);
    },
    /** For tests and metrics: entries and their estimated bytes. */
    stats() {
      return { entries: cache.size, bytes: cache.calculatedSize };
    },
  };
}

export function documentBytes(document: DocumentNode): number {
  const loc = document.loc;
  if (!loc) return 1024;
  let tokens = 0;
  for (let token: { next: unknown } | null = loc.startToken; token; token = token.next as { next: unknown } | null) tokens += 1;
  return Math.max(1, loc.source.body.length * 2 + tokens * 200);
}

interface PersistedQueryExtension {
  version?: unknown;
  sha256Hash?: unknown;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface DocumentGateOptions {
  trusted: TrustedDocumentsMode;
  /** The safelist (hash -> text); required when `trusted` is "only", and also served to hash-only requests otherwise. */
  safelist?: Map<string, string>;
  maxQueryChars?: number;
  persistedQueryCacheBytes?: number;
}

/**
 * Express middleware on /graphql, after the body is parsed and before Apollo: limits the query
 * text, resolves persisted queries (extensions.persistedQuery, version 1) from the safelist or
 * the automatic persisted-query cache, and in trusted mode lets through only documents of the
 * safelist. Refusals are JSON GraphQL errors: QUERY_TOO_COMPLEX (text too long),
 * PERSISTED_QUERY_NOT_FOUND (an unknown hash: send the text too), PERSISTED_QUERY_HASH_MISMATCH,
 * PERSISTED_QUERY_NOT_ALLOWED (trusted mode, a document not in the safelist), BAD_REQUEST (a
 * malformed extension).
 */
export function documentGate(options: DocumentGateOptions) {
  const maxQueryChars = options.maxQueryChars ?? LIMITS.maxQueryChars;
  const safelist = options.safelist ?? new Map<string, string>();
  if (options.trusted === "only" && safelist.size === 0) throw new Error("TRUSTED_DOCUMENTS=only needs a safelist");
  const automatic =
    options.trusted === "off"
      ? new LRUCache<string, string>({ maxSize: options.persistedQueryCacheBytes ?? LIMITS.persistedQueryCacheBytes, sizeCalculation: (text) => Math.max(1, text.length * 2) })
      : null;

  return function gate(req: Request, res: Response, next: NextFunction): void {
    const get = req.method === "GET";
    const params = get ? new URL(req.originalUrl, "http://localhost").searchParams : null;
    const body = get ? null : (req.body as Record<string, unknown> | undefined);
    // Batches (a JSON array) and bodies that are not objects are left to Apollo, which refuses them.
    if (!get && (body === null || typeof body !== "object" || Array.isArray(body))) return next();

    const query = get ? (params!.get("query") ?? undefined) : body!.query;
    if (typeof query === "string" && query.length > maxQueryChars) {
      return sendGraphQLError(res, 400, "QUERY_TOO_COMPLEX", `The query text is longer than ${maxQueryChars} characters.`);
    }

    let extensions: unknown = get ? params!.get("extensions") ?? undefined : body!.extensions;
    if (get && typeof extensions === "string") {
      try {
        extensions = JSON.parse(extensions);
      } catch {
        return sendGraphQLError(res, 400, "BAD_REQUEST", "The `extensions` search parameter is not JSON.");
      }
    }
    const persisted =
      extensions !== null && typeof extensions === "object" && !Array.isArray(extensions)
        ? ((extensions as { persistedQuery?: unknown }).persistedQuery as PersistedQueryExtension | undefined)
        : undefined;

    let text: string | undefined = typeof query === "string" ? query : undefined;
    if (persisted !== undefined) {
      if (persisted === null || typeof persisted !== "object" || persisted.version !== 1 || typeof persisted.sha256Hash !== "string" || !SHA256_HEX.test(persisted.sha256Hash)) {
        return sendGraphQLError(res, 400, "BAD_REQUEST", "extensions.persistedQuery must be { version: 1, sha256Hash: <64 lower-case hex digits> }.");
      }
      const hash = persisted.sha256Hash;
      if (text !== undefined) {
        if (sha256Hex(text) !== hash) {
          return sendGraphQLError(res, 400, "PERSISTED_QUERY_HASH_MISMATCH", "extensions.persistedQuery.sha256Hash is not the SHA-256 of the query text.");
        }
        if (automatic && !safelist.has(hash)) automatic.set(hash, text);
      } else {
        text = safelist.get(hash) ?? automatic?.get(hash);
        // Apollo's code and status for an unknown hash, so that Apollo Client sends the text next.
        if (text === undefined) return sendGraphQLError(res, 200, "PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound");
      }
    }

    if (options.trusted === "only" && text !== undefined && !safelist.has(sha256Hex(text))) {
      return sendGraphQLError(res, 400, "PERSISTED_QUERY_NOT_ALLOWED", "This server runs only trusted documents (TRUSTED_DOCUMENTS=only), and this one is not among them.");
    }

    if (persisted !== undefined) {
      const { persistedQuery: _persisted, ...rest } = extensions as Record<string, unknown>;
      if (get) {
        params!.set("query", text!);
        if (Object.keys(rest).length > 0) params!.set("extensions", JSON.stringify(rest));
        else params!.delete("extensions");
        req.url = `${req.path}?${params!.toString()}`;
      } else {
        body!.query = text;
        body!.extensions = rest;
      }
    }
    next();
  };
}
