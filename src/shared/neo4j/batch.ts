import DataLoader from "dataloader";
import neo4j from "neo4j-driver";
import { pageParams, toConnection, type Connection, type PageRequest } from "../graphql/connection.js";
import type { Params, RequestExecutor } from "./executor.js";
import type { ReadPlan } from "../read-planner.js";

/**
 * DataLoaders over named queries that take `$ids` and UNWIND them: one query per batch of
 * parents, whatever the number of rows. Missing keys get the fallback, which is how an id
 * outside the caller's scope reads as "not there" (T-4).
 */
export function batchLoader<V>(
  executor: RequestExecutor,
  queryName: string,
  params: Params,
  pick: (row: Params) => [key: string, value: V],
  fallback: () => V,
): DataLoader<string, V> {
  return new DataLoader<string, V>(
    async (ids) => {
      const rows = await executor.read<Params>(queryName, { ...params, ids: [...ids] });
      const byId = new Map(rows.map(pick));
      return ids.map((id) => (byId.has(id) ? (byId.get(id) as V) : fallback()));
    },
    { maxBatchSize: 1000 },
  );
}

/** Objects by id: the named query returns one row per visible id, the object under `field`. */
export function byIdLoader<T extends { id: string }>(
  executor: RequestExecutor,
  queryName: string,
  params: Params,
  field: string,
): DataLoader<string, T | null> {
  return batchLoader<T | null>(
    executor,
    queryName,
    params,
    (row) => {
      const value = row[field] as T;
      return [value.id, value];
    },
    () => null,
  );
}

/**
 * Paged relationship lists (a connection per parent). Parents asking for the same page
 * (first/after) share one batched query; a different page of the same field is another batch.
 */
export class PagedLoader<T extends { id: string }> {
  private readonly byPage = new Map<string, DataLoader<string, Connection<T>>>();

  constructor(
    private readonly executor: RequestExecutor,
    private readonly queryName: string,
    private readonly params: Params,
    private readonly sortKey: (row: T) => string,
  ) {}

  load(parentId: string, page: PageRequest): Promise<Connection<T>> {
    return this.loaderFor(page).load(parentId);
  }

  /** A page fetched by the parent's own query (look-ahead): later loads of it run no query. */
  prime(parentId: string, page: PageRequest, rows: { totalCount: number; nodes: T[] }): void {
    this.loaderFor(page).prime(parentId, toConnection(rows.nodes, rows.totalCount, page, this.sortKey));
  }

  private loaderFor(page: PageRequest): DataLoader<string, Connection<T>> {
    const key = `${page.first}\u0000${page.afterKey ?? ""}\u0000${page.afterId ?? ""}`;
    let loader = this.byPage.get(key);
    if (!loader) {
      loader = new DataLoader<string, Connection<T>>(
        async (ids) => {
          const { limit, afterKey, afterId } = pageParams(page);
          const rows = await this.executor.read<{ parentId: string; totalCount: number; nodes: T[] }>(this.queryName, {
            ...this.params,
            ids: [...ids],
            limit: neo4j.int(limit),
            afterKey,
            afterId,
          });
          const byParent = new Map(rows.map((row) => [row.parentId, row]));
          return ids.map((id) => {
            const row = byParent.get(id);
            return toConnection(row?.nodes ?? [], row?.totalCount ?? 0, page, this.sortKey);
          });
        },
        { maxBatchSize: 1000 },
      );
      this.byPage.set(key, loader);
    }
    return loader;
  }
}

/** The read of one keyset page of a root list: the named query with the page's parameters. */
export function pageRead(queryName: string, params: Params, page: PageRequest): ReadPlan {
  const { limit, afterKey, afterId } = pageParams(page);
  return { query: queryName, params: { ...params, limit: neo4j.int(limit), afterKey, afterId } };
}

/** One keyset page of a root list: the named query returns `totalCount` and `nodes` (at most limit rows). */
export function readPage<T extends { id: string }>(
  executor: RequestExecutor,
  queryName: string,
  params: Params,
  page: PageRequest,
  sortKey: (row: T) => string,
): Promise<Connection<T>> {
  return readPlannedPage(executor, pageRead(queryName, params, page), page, sortKey);
}

/** A page read built beforehand with `pageRead` (so that the read planner can plan it). */
export async function readPlannedPage<T extends { id: string }>(
  executor: RequestExecutor,
  read: ReadPlan,
  page: PageRequest,
  sortKey: (row: T) => string,
): Promise<Connection<T>> {
  const [row] = await executor.read<{ totalCount: number; nodes: T[] }>(read.query, read.params);
  return toConnection(row?.nodes ?? [], row?.totalCount ?? 0, page, sortKey);
}
