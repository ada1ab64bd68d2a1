import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { PROJECT_ROOT } from "../config.js";

/**
 * Named Cypher queries, one file each under cypher/queries/<module>/<name>.cypher, read once
 * at start. A query is referred to as "<module>/<name>"; a typo fails at the first call with the
 * list of known names rather than sending an empty query.
 *
 * What several queries share (a record's projection, a key formula, a page walk) is written once,
 * as a fragment in cypher/fragments/<name>.cypher, and included where it is used as `@name` or
 * `@name(arg, ...)` (see `expandFragments`). Queries are expanded when they are loaded: what the
 * executor sends, and what Neo4j caches plans by, is plain Cypher.
 */
const QUERY_DIR = join(PROJECT_ROOT, "cypher", "queries");
const FRAGMENT_DIR = join(PROJECT_ROOT, "cypher", "fragments");

function cypherFiles(dir: string, into: string[] = []): string[] {
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) cypherFiles(path, into);
    else if (entry.endsWith(".cypher")) into.push(path);
  }
  return into;
}

/** "cypher/queries/customers/list.cypher" -> "customers/list" (relative to `dir`). */
function nameIn(dir: string, path: string): string {
  return relative(dir, path).split(sep).join("/").replace(/\.cypher$/, "");
}

function projectPath(path: string): string {
  return relative(PROJECT_ROOT, path).split(sep).join("/");
}

/**
 * A query file with the line `// replan=skip` is sent as `CYPHER replan=skip <query>`: Neo4j keeps
 * its cached plan when the statistics change, instead of planning it again (100-400 ms of the
 * server's CPU for one of the webhook dispatcher's statements, each time a label it names grew or
 * shrank by ¾: webhooks created, deliveries logged, the unsequenced events drained; issue 14, the
 * write bench). Only for statements whose plan the statistics cannot improve: every node they
 * start from is found by a unique or hinted index seek (test/shared/replan-skip.test.ts checks
 * each plan, on the test database where these labels are nearly empty: the state a first plan is
 * made in). The one place the option is added.
 */
export const REPLAN_SKIP_DIRECTIVE = /^\/\/ replan=skip$/m;
export const REPLAN_SKIP_PREFIX = "CYPHER replan=skip ";

function readQueries(): Map<string, string> {
  const fragments = allFragments();
  const into = new Map<string, string>();
  for (const path of cypherFiles(QUERY_DIR)) {
    const source = readFileSync(path, "utf8");
    const text = minifyCypher(expandFragments(source, fragments, projectPath(path)));
    into.set(nameIn(QUERY_DIR, path), REPLAN_SKIP_DIRECTIVE.test(source) ? REPLAN_SKIP_PREFIX + text : text);
  }
  return into;
}

let cache: Map<string, string> | undefined;

const fused = new Map<string, string>();

/**
 * The text of a named query. "<first>+<second>" names two queries run as one statement (see
 * `fuse`): still only texts from cypher/queries, put together once.
 */
export function cypher(name: string): string {
  const text = allQueries().get(name) ?? fused.get(name);
  if (text !== undefined) return text;
  const parts = name.split("+");
  if (parts.length === 2) {
    const composed = fuse(cypher(parts[0]!), cypher(parts[1]!));
    fused.set(name, composed);
    return composed;
  }
  throw new Error(`Unknown Cypher query "${name}"; known: ${[...allQueries().keys()].join(", ")}`);
}

/** The column that marks the rows of the second query in a fused statement. */
export const FUSED_ROW = "fusedRow";

/**
 * Two independent queries in one statement: every row of `first`, each with the rows of
 * `second` (which sees none of first's variables, only the parameters); when `second` has no
 * rows, one row with its columns null. Its rows carry FUSED_ROW = true, so that "no rows" and "a
 * row of nulls" stay apart. Used to read the caller and a request's data in one round trip.
 */
function fuse(first: string, second: string): string {
  if (first.startsWith(REPLAN_SKIP_PREFIX) || second.startsWith(REPLAN_SKIP_PREFIX)) throw new Error("A replan=skip query cannot be fused (its option must open the statement)");
  return `CALL () { ${first} } OPTIONAL CALL () { CALL () { ${second} } RETURN *, true AS ${FUSED_ROW} } RETURN *`;
}

/** Every named query, "<module>/<name>" -> the text the executor sends (fragments expanded). */
export function allQueries(): ReadonlyMap<string, string> {
  cache ??= readQueries();
  return cache;
}

// ---------------------------------------------------------------------------------------------
// Fragments

/** A piece of Cypher several files share: cypher/fragments/<name>.cypher. */
export interface Fragment {
  name: string;
  /** Where it is written, for error messages ("cypher/fragments/customer.cypher"). */
  file: string;
  /** Its parameters, from a `// @params a, b` comment line; none without one. */
  params: string[];
  /** Its text, minified (comments dropped), not yet expanded. */
  body: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*/;
const PARAM = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A fragment from its file's text. Its parameters are declared in a comment line
 * `// @params a, b`; in the text, `@a` is where an argument goes.
 */
export function parseFragment(name: string, text: string, file = `cypher/fragments/${name}.cypher`): Fragment {
  const declared = [...text.matchAll(/^\s*\/\/\s*@params\b(.*)$/gm)];
  if (declared.length > 1) throw new Error(`${file}: more than one "// @params" line`);
  const params = declared[0] ? declared[0][1]!.split(",").map((p) => p.trim()).filter((p) => p !== "") : [];
  for (const param of params) {
    if (!PARAM.test(param)) throw new Error(`${file}: parameter "${param}" is not a name (letters, digits, _)`);
  }
  if (new Set(params).size !== params.length) throw new Error(`${file}: a parameter is declared twice in "${params.join(", ")}"`);
  const body = minifyCypher(text);
  if (body === "") throw new Error(`${file}: the fragment is empty`);
  const unused = params.find((param) => !new RegExp(`@${param}(?![A-Za-z0-9_]|-[A-Za-z0-9_])`).test(body));
  if (unused) throw new Error(`${file}: parameter "${unused}" is declared but never used as @${unused}`);
  return { name, file, params, body };
}

let fragmentCache: ReadonlyMap<string, Fragment> | undefined;

/** Every fragment of cypher/fragments, by name ("customer", "customer-list-key", ...). */
export function allFragments(): ReadonlyMap<string, Fragment> {
  fragmentCache ??= fragmentsFrom(
    (existsSync(FRAGMENT_DIR) ? cypherFiles(FRAGMENT_DIR) : []).map((path) => ({
      name: nameIn(FRAGMENT_DIR, path),
      text: readFileSync(path, "utf8"),
      file: projectPath(path),
    })),
  );
  return fragmentCache;
}

/**
 * Fragments from their files' names and texts, checked: a name is kebab-case ("customer-list-key",
 * what `@name` can reach), and no parameter has a fragment's name (`@c` is always the argument).
 */
export function fragmentsFrom(files: readonly { name: string; text: string; file?: string }[]): ReadonlyMap<string, Fragment> {
  const fragments = new Map<string, Fragment>();
  for (const { name, text, file = `cypher/fragments/${name}.cypher` } of files) {
    if (NAME.exec(name)?.[0] !== name) throw new Error(`${file}: a fragment's name is kebab-case letters and digits ("customer-list-key")`);
    fragments.set(name, parseFragment(name, text, file));
  }
  for (const fragment of fragments.values()) {
    const shadowing = fragment.params.find((p) => fragments.has(p));
    if (shadowing) throw new Error(`${fragment.file}: parameter "${shadowing}" has the name of a fragment; rename it`);
  }
  return fragments;
}

/**
 * One fragment expanded with the given arguments, as Cypher text: for Cypher written outside
 * cypher/ (scripts, test fixtures) that must agree with the queries, e.g. a listKey:
 * `cypherFragment("customer-list-key", "p", "c")`.
 */
export function cypherFragment(name: string, ...args: string[]): string {
  const call = `@${name}${args.length > 0 ? `(${args.join(", ")})` : ""}`;
  return expandFragments(call, allFragments(), `cypherFragment(${JSON.stringify(name)})`);
}

/**
 * Replaces every `@name` and `@name(arg, ...)` in `text` with the fragment of that name, outside
 * comments, string literals and `quoted` names. Arguments are Cypher text, split at the commas
 * outside brackets and strings, and expanded where the include is written; inside the fragment,
 * `@param` stands for its argument, taken verbatim (never expanded again). A fragment may include
 * other fragments. Errors, with the file where the include is written: an unknown fragment, a
 * wrong number of arguments, an unclosed argument list, and a fragment that includes itself,
 * directly or not (the chain is named).
 */
export function expandFragments(text: string, fragments: ReadonlyMap<string, Fragment>, where: string): string {
  return expand(text, fragments, new Map(), [], where);
}

function expand(
  text: string,
  fragments: ReadonlyMap<string, Fragment>,
  scope: ReadonlyMap<string, string>,
  chain: readonly string[],
  where: string,
): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const skipped = skipInert(text, i);
    if (skipped > i) {
      out += text.slice(i, skipped);
      i = skipped;
      continue;
    }
    const name = text[i] === "@" ? NAME.exec(text.slice(i + 1))?.[0] : undefined;
    if (name === undefined) {
      out += text[i];
      i++;
      continue;
    }
    i += 1 + name.length;
    const argument = scope.get(name);
    if (argument !== undefined) {
      out += argument;
      continue;
    }
    const fragment = fragments.get(name);
    const site = chain.length > 0 ? `${where} (in @${chain.join(" -> @")})` : where;
    if (!fragment) {
      const known = [...fragments.keys()].sort().join(", ");
      throw new Error(`${site}: unknown Cypher fragment "@${name}" (no cypher/fragments/${name}.cypher); known: ${known || "none"}`);
    }
    if (chain.includes(name)) throw new Error(`${site}: Cypher fragment cycle: @${[...chain, name].join(" -> @")}`);
    let args: string[] = [];
    if (text[i] === "(") {
      const close = closingParen(text, i);
      if (close === -1) throw new Error(`${site}: "@${name}(" has no closing ")"`);
      args = splitArguments(text.slice(i + 1, close)).map((arg) => expand(minifyCypher(arg), fragments, scope, chain, where));
      i = close + 1;
    }
    if (args.length !== fragment.params.length) {
      const wanted = fragment.params.length === 0 ? "no arguments" : `${fragment.params.length} (${fragment.params.join(", ")})`;
      throw new Error(`${site}: @${name} takes ${wanted}, given ${args.length}; see ${fragment.file}`);
    }
    const inner = new Map(fragment.params.map((param, k) => [param, args[k]!]));
    out += expand(fragment.body, fragments, inner, [...chain, name], where);
  }
  return out;
}

/** The end of the comment, string literal or `quoted` name at `i`; `i` when there is none. */
function skipInert(text: string, i: number): number {
  const ch = text[i];
  const next = text[i + 1];
  if (ch === "/" && next === "/") {
    const end = text.indexOf("\n", i);
    return end === -1 ? text.length : end;
  }
  if (ch === "/" && next === "*") {
    const end = text.indexOf("*/", i + 2);
    return end === -1 ? text.length : end + 2;
  }
  if (ch === "'" || ch === '"' || ch === "`") {
    let j = i + 1;
    while (j < text.length && text[j] !== ch) j += text[j] === "\\" && ch !== "`" ? 2 : 1;
    return Math.min(j + 1, text.length);
  }
  return i;
}

/**
 * Walks `text` from `from`, past string literals, quoted names and comments, telling `visit` each
 * other character with the bracket depth before it; returns the index where `visit` said stop,
 * or -1 at the end.
 */
function walkCode(text: string, from: number, visit: (ch: string, i: number, depth: number) => boolean): number {
  let depth = 0;
  let i = from;
  while (i < text.length) {
    const skipped = skipInert(text, i);
    if (skipped > i) {
      i = skipped;
      continue;
    }
    const ch = text[i]!;
    if (visit(ch, i, depth)) return i;
    if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") depth--;
    i++;
  }
  return -1;
}

/** The index of the ")" that closes the "(" at `open`, or -1. */
function closingParen(text: string, open: number): number {
  const closer = walkCode(text, open, (ch, _i, depth) => depth === 1 && (ch === ")" || ch === "]" || ch === "}"));
  return closer !== -1 && text[closer] === ")" ? closer : -1;
}

/** "a, f(b, c), [d, e]" -> ["a", "f(b, c)", "[d, e]"]: commas inside brackets or strings do not split. */
function splitArguments(text: string): string[] {
  if (text.trim() === "") return [];
  const args: string[] = [];
  let start = 0;
  walkCode(text, 0, (ch, i, depth) => {
    if (ch === "," && depth === 0) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
    return false;
  });
  args.push(text.slice(start).trim());
  return args;
}

// ---------------------------------------------------------------------------------------------

/**
 * The query as sent: comments dropped and every run of whitespace outside string literals and
 * `quoted` names made one space. The files keep their comments for readers, but the text goes
 * over Bolt with every request, and the driver writes it in 1,400-byte chunks, each a socket
 * write: the customer list went from 3,313 bytes (three writes) to about half. Neo4j's plan cache
 * is keyed by the text, so the minified form is also what it caches.
 */
export function minifyCypher(text: string): string {
  let out = "";
  let space = false;
  let i = 0;
  const emit = (s: string) => {
    if (space && out !== "") out += " ";
    space = false;
    out += s;
  };
  while (i < text.length) {
    const ch = text[i]!;
    const next = text[i + 1];
    if (ch === "/" && next === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      space = true;
    } else if (ch === "/" && next === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end === -1 ? text.length : end + 2;
      space = true;
    } else if (/\s/.test(ch)) {
      space = true;
      i++;
    } else if (ch === "'" || ch === '"' || ch === "`") {
      let j = i + 1;
      while (j < text.length && text[j] !== ch) j += text[j] === "\\" && ch !== "`" ? 2 : 1;
      emit(text.slice(i, j + 1));
      i = j + 1;
    } else {
      emit(ch);
      i++;
    }
  }
  return out;
}
