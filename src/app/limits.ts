/**
 * Every limit a request meets, in the order it meets them, in one place (the README's "Limits and
 * failure behaviour" quotes these). Each runs before any work that grows with what it limits:
 *
 * 1. the HTTP body: at most MAX_BODY_BYTES, read by express.json before anything looks at it;
 * 2. the query text: at most MAX_QUERY_CHARS, checked before it is hashed, looked up or parsed;
 * 3. parsing: at most MAX_TOKENS tokens (graphql-js stops parsing there);
 * 4. validation, in one pass with graphql-js's own rules: depth, cost, aliases, directives
 *    (graphql-armor), known operation types;
 * 5. only then the viewer query with the planned read (context.resolveViewer), and execution,
 *    whose Cypher statements share the request's time budget (REQUEST_BUDGET_MS).
 */
export const LIMITS = {
  /** JSON body of a POST (the contract's whole operations document is 9.3 KB). */
  maxBodyBytes: 64 * 1024,
  /** Query text, in UTF-16 code units (a GET's query string is also bounded by Node's 16 KB header limit). */
  maxQueryChars: 32 * 1024,
  maxTokens: 3_000,
  maxDepth: 10,
  /**
   * armor multiplies a list's cost by a literal `first` (a variable counts as 1), with 1.5x per
   * level: the limit lets the contract's heaviest read ask for its largest pages written inline
   * (IndirectResellers: 100 resellers x 20 shared customers, ~280k) as it may with variables;
   * `first` itself is capped at MAX_PAGE_SIZE on every connection.
   */
  maxCost: 300_000,
  maxAliases: 15,
  maxDirectives: 30,
  /** Parsed and validated documents kept for reuse, by the size of their text and tree. */
  documentCacheBytes: 16 * 1024 * 1024,
  /** Automatic persisted queries (hash -> text) kept, by text size. */
  persistedQueryCacheBytes: 8 * 1024 * 1024,
} as const;
