import { ArgsType, Field, Int, ObjectType, type ClassType } from "type-graphql";
import { BadUserInputError } from "../errors.js";

/**
 * Relay connections with keyset cursors. Every list is ordered by a sort key and the id (a
 * total order), and a cursor is that pair, so the next page starts with an index seek
 * (`WHERE (key, id) > cursor`) instead of SKIP.
 */
@ObjectType("PageInfo")
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: "Always false: these lists page forward only." })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  totalCount: number;
  pageInfo: PageInfo;
  edges: Edge<T>[];
}

export interface ConnectionClass<T> {
  connection: ClassType<Connection<T>>;
  edge: ClassType<Edge<T>>;
}

export function connectionTypes<T extends object>(name: string, node: () => ClassType<T> | object): ConnectionClass<T> {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => String)
    cursor!: string;

    @Field(node as () => ClassType<T>)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => Int, { description: "All items of the list (not only this page)." })
    totalCount!: number;

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => [EdgeType])
    edges!: EdgeType[];
  }

  return { connection: ConnectionType, edge: EdgeType };
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageRequest {
  /** Items asked for. */
  first: number;
  /** Keyset position to continue after, or nulls for the first page. */
  afterKey: string | null;
  afterId: string | null;
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export function encodeCursor(key: string, id: string): string {
  return Buffer.from(JSON.stringify([key, id]), "utf8").toString("base64url");
}

/**
 * What a list's sort key is: `text` (a lower-cased name or an email, compared as a string) or
 * `time` (an instant, written by Date#toISOString and given to Cypher's datetime()).
 */
export type CursorKeyKind = "text" | "time";

/** Longest cursor read at all: a list's cursor is under 1,100 characters (a 200-character name, lower-cased, in UTF-8 and base64). */
export const MAX_CURSOR_LENGTH = 2_000;
/** Longest sort key (names are at most 200 characters, emails 254) and id (ours are 30) in a cursor. */
const MAX_KEY_LENGTH = 1_000;
const MAX_ID_LENGTH = 100;
/** The one form Date#toISOString writes for the years 0000-9999. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A well-formed UTF-16 string (no unpaired surrogate) of 1..max characters. */
function isPlainString(value: unknown, max: number, min = 1): value is string {
  return typeof value === "string" && value.length >= min && value.length <= max && !/\p{Cs}/u.test(value);
}

function isCursorKey(value: unknown, kind: CursorKeyKind): value is string {
  if (kind === "text") return isPlainString(value, MAX_KEY_LENGTH, 0);
  // Round trip: "2024-02-30T00:00:00.000Z" parses (as 1 March) but does not come back the same.
  return typeof value === "string" && ISO_INSTANT.test(value) && new Date(value).toISOString() === value;
}

/**
 * The (key, id) of a cursor this list could have made, or BAD_USER_INPUT naming `field`: the
 * cursor is checked in full before anything reaches Neo4j. It must be exactly what encodeCursor
 * writes (unpadded base64url of the JSON pair, so no padding, spaces or other JSON), the key of
 * the list's kind (a time key is the ISO instant the list writes, which Cypher's datetime() reads)
 * and the id a plain string; lengths are bounded before any decoding.
 */
export function decodeCursor(cursor: string, field = "after", kind: CursorKeyKind = "text"): { key: string; id: string } {
  if (cursor.length <= MAX_CURSOR_LENGTH && /^[A-Za-z0-9_-]+$/.test(cursor)) {
    try {
      const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
      if (
        Array.isArray(value) &&
        value.length === 2 &&
        isCursorKey(value[0], kind) &&
        isPlainString(value[1], MAX_ID_LENGTH) &&
        encodeCursor(value[0], value[1]) === cursor
      ) {
        return { key: value[0], id: value[1] };
      }
    } catch {
      // fall through to the input error
    }
  }
  throw new BadUserInputError(field, "cursor", "is not a cursor returned by this list (use pageInfo.endCursor).");
}

/** The page asked for; `key` is the kind of the list's sort key, which its cursor must carry. */
export function pageRequest(args: PageArgs, defaultSize = DEFAULT_PAGE_SIZE, key: CursorKeyKind = "text"): PageRequest {
  const first = args.first ?? defaultSize;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new BadUserInputError("first", "page size", `must be between 0 and ${MAX_PAGE_SIZE}, got ${first}.`);
  }
  if (args.after === undefined || args.after === null || args.after === "") return { first, afterKey: null, afterId: null };
  const decoded = decodeCursor(args.after, "after", key);
  return { first, afterKey: decoded.key, afterId: decoded.id };
}

/** A page of a list ordered by a time (newest or oldest first): its cursor's key is an ISO instant. */
export function timePageRequest(args: PageArgs): PageRequest {
  return pageRequest(args, DEFAULT_PAGE_SIZE, "time");
}

/** Cypher parameters for a page: one extra row is fetched to learn whether another page follows. */
export function pageParams(page: PageRequest): { limit: number; afterKey: string | null; afterId: string | null } {
  return { limit: page.first + 1, afterKey: page.afterKey, afterId: page.afterId };
}

/** Builds the connection from the rows of a page query (at most first + 1 rows, in order). */
export function toConnection<T extends { id: string }>(
  rows: T[],
  totalCount: number,
  page: PageRequest,
  sortKey: (row: T) => string,
): Connection<T> {
  const hasNextPage = rows.length > page.first;
  const nodes = hasNextPage ? rows.slice(0, page.first) : rows;
  const edges = nodes.map((node) => ({ cursor: encodeCursor(sortKey(node), node.id), node }));
  return {
    totalCount,
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}


@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: `Page size, 0..${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: "pageInfo.endCursor of the previous page." })
  after?: string | null;
}
