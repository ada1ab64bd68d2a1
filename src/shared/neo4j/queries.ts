import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { PROJECT_ROOT } from "../config.js";

/**
 * Named Cypher queries, one file each under cypher/queries/<module>/<name>.cypher, read once
 * at start. A query is referred to as "<module>/<name>"; a typo fails at the first call with the
 * list of known names rather than sending an empty query.
 */
const QUERY_DIR = join(PROJECT_ROOT, "cypher", "queries");

function readQueries(dir: string, into: Map<string, string>): Map<string, string> {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) readQueries(path, into);
    else if (entry.endsWith(".cypher")) {
      const name = relative(QUERY_DIR, path).split(sep).join("/").replace(/\.cypher$/, "");
      into.set(name, minifyCypher(readFileSync(path, "utf8")));
    }
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
  return `CALL () { ${first} } OPTIONAL CALL () { CALL () { ${second} } RETURN *, true AS ${FUSED_ROW} } RETURN *`;
}

/** Every named query, "<module>/<name>" -> the text the executor sends. */
export function allQueries(): ReadonlyMap<string, string> {
  cache ??= readQueries(QUERY_DIR, new Map());
  return cache;
}

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
