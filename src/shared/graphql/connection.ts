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

export function decodeCursor(cursor: string, field = "after"): { key: string; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === "string" && typeof value[1] === "string") {
      return { key: value[0], id: value[1] };
    }
  } catch {
    // fall through to the input error
  }
  throw new BadUserInputError(field, "cursor", "is not a cursor returned by this list (use pageInfo.endCursor).");
}

export function pageRequest(args: PageArgs, defaultSize = DEFAULT_PAGE_SIZE): PageRequest {
  const first = args.first ?? defaultSize;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new BadUserInputError("first", "page size", `must be between 0 and ${MAX_PAGE_SIZE}, got ${first}.`);
  }
  if (args.after === undefined || args.after === null || args.after === "") return { first, afterKey: null, afterId: null };
  const { key, id } = decodeCursor(args.after);
  return { first, afterKey: key, afterId: id };
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
