import {
  getArgumentValues,
  getVariableValues,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import type { Context } from "./context.js";
import { ServiceUnavailableError } from "./errors.js";
import { expandFields, type SelectionInfo } from "./graphql/lookahead.js";
import type { Params, RequestExecutor } from "./neo4j/executor.js";
import { FUSED_ROW } from "./neo4j/queries.js";

/**
 * The read planner: sends a request's data read to Neo4j in the same statement as the viewer
 * query, one round trip instead of two (`Customer`, `Customers` and the partnership lists are
 * one statement each; README, "Performance", has what it saves).
 *
 * How it goes, all of it here:
 * 1. Modules register, once, the fields whose resolver starts with one named read that depends
 *    only on its arguments, its selection and the caller's organisation (`registerReadPlanners`,
 *    with the same function the resolver uses, so the two cannot drift), and how the records the
 *    viewer query brings along prime their loaders (`registerViewerRecord`).
 * 2. After Apollo has parsed and validated the document (every request limit has run),
 *    `planRequestRead` works out that read on Apollo's document, for the organisation the caller
 *    had at its previous request.
 * 3. `readWithPlanned` runs the viewer query and the planned read as one statement (the two named
 *    queries composed by the query registry, `a+b`) and hands the planned read's rows to the
 *    request's executor (`primePlannedRead`).
 * 4. The resolver's own `executor.read` of exactly that query with exactly those parameters, built
 *    from the viewer read from the graph after graphql-shield allowed the field, gets those rows.
 *    Any other read goes to the database: a wrong plan costs one wasted read, never a different
 *    answer, and authorization stays in shield.
 */

/** One named read with its parameters: exactly what the resolver would pass to `executor.read`. */
export interface ReadPlan {
  query: string;
  params: Params;
}

/**
 * A field whose resolver starts with one named read. `path` leads from the operation's root to the
 * field (e.g. ["me", "partner", "indirectResellers"]); the fields before it take no arguments.
 * `plan` builds the read the way the resolver does, or returns null when it would not read that way.
 * `now` is the request's domain time (Context.now), the one the resolver reads at: a read that
 * depends on the clock (delegated admin's state, D-25) is planned at exactly that time.
 */
export interface FieldReadPlanner {
  path: string[];
  parentType: string;
  plan(args: Record<string, unknown>, info: SelectionInfo, viewerPartnerId: string, now: number): ReadPlan | null;
}

/** The records the viewer query (auth/viewer.cypher) returns beside the viewer itself. */
export type ViewerRecordColumn = "userRecord" | "partnerRecord" | "channelStats";

type ViewerRecordPrimer = (context: Context, record: Record<string, unknown>) => void;

const fieldPlanners: FieldReadPlanner[] = [];
const viewerRecordPrimers = new Map<ViewerRecordColumn, ViewerRecordPrimer>();

/** Registers fields whose read can go with the viewer query (a module's `*.plans.ts`). */
export function registerReadPlanners(planners: readonly FieldReadPlanner[]): void {
  for (const planner of planners) {
    if (!fieldPlanners.some((p) => p.parentType === planner.parentType && p.path.join(".") === planner.path.join("."))) fieldPlanners.push(planner);
  }
}

/**
 * Registers how a record the viewer query returns primes the owning module's loader. `T` is the
 * module's record type: the viewer query projects it with the module's own fragment
 * (cypher/fragments), which test/shared/projections.test.ts holds to that type's fields.
 */
export function registerViewerRecord<T>(column: ViewerRecordColumn, prime: (context: Context, record: T) => void): void {
  viewerRecordPrimers.set(column, prime as unknown as ViewerRecordPrimer);
}

/** What has been registered (tests). */
export function registeredReadPlanners(): readonly FieldReadPlanner[] {
  return fieldPlanners;
}

/** The request as Apollo has it after parsing and validation. */
export interface ValidatedRequest {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: unknown;
}

export interface RequestReadPlan {
  /** The read of the request's one planned field, or null. */
  read: ReadPlan | null;
  /** Whether the operation selects `channelStats`, whose O(1) counts the viewer query can bring along. */
  withStats: boolean;
}

/**
 * The read planned for a validated request, for a caller of organisation `viewerPartnerId` (null:
 * not known yet, no read planned) at the request's domain time `now` (Context.now). Only for a
 * query operation whose root selects one field, down a registered path, with variables that
 * coerce; anything else, or any doubt, plans nothing.
 */
export function planRequestRead(request: ValidatedRequest, viewerPartnerId: string | null | undefined, now: number): RequestReadPlan {
  const fragments = fragmentsOf(request.document);
  const withStats = expandFields([request.operation.selectionSet], fragments).fields.some((f) => f.name.value === "channelStats");
  const read = viewerPartnerId ? planFieldRead(request, fragments, viewerPartnerId, now) : null;
  return { read, withStats };
}

function planFieldRead(
  request: ValidatedRequest,
  fragments: Record<string, FragmentDefinitionNode>,
  viewerPartnerId: string,
  now: number,
): ReadPlan | null {
  const { schema, operation } = request;
  if (fieldPlanners.length === 0 || operation.operation !== "query") return null;
  const raw = request.variables !== null && typeof request.variables === "object" ? (request.variables as Record<string, unknown>) : {};
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], raw);
  if (coerced.errors) return null;
  const variableValues = coerced.coerced;

  for (const planner of fieldPlanners) {
    const node = followPath(operation.selectionSet, planner.path, fragments);
    if (!node) continue;
    const parent = schema.getType(planner.parentType);
    const definition = isObjectType(parent) ? parent.getFields()[planner.path[planner.path.length - 1]!] : undefined;
    if (!definition) continue;
    try {
      const args = getArgumentValues(definition, node, variableValues);
      return planner.plan(args, { fieldNodes: [node], fragments, schema, variableValues }, viewerPartnerId, now);
    } catch {
      return null;
    }
  }
  return null;
}

function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  return fragments;
}

/**
 * The node of the field at `path` when each level selects exactly that one field (once, no alias,
 * no directive anywhere on the way), through inline fragments and fragment spreads; else null.
 */
function followPath(root: SelectionSetNode, path: string[], fragments: Record<string, FragmentDefinitionNode>): FieldNode | null {
  let level: SelectionSetNode | undefined = root;
  let field: FieldNode | undefined;
  for (const name of path) {
    const expanded: { fields: FieldNode[]; conditional: boolean } | null = level ? expandFields([level], fragments) : null;
    const fields: FieldNode[] = expanded && !expanded.conditional ? expanded.fields.filter((f) => f.name.value !== "__typename") : [];
    const only: FieldNode | undefined = fields.length === 1 ? fields[0] : undefined;
    if (!only || only.name.value !== name || only.alias || only.directives?.length) return null;
    field = only;
    level = only.selectionSet;
  }
  return field ?? null;
}

/**
 * Runs the named read `query` and, in the same statement, the planned read; returns `query`'s rows
 * (with only its `columns`) and hands the planned rows to the executor for the resolver that will
 * ask for them. If that statement fails, `query` runs alone and the resolver's read reports the
 * error where it would have been (a timeout at once, anything else by running again on its own).
 */
export async function readWithPlanned<T extends Record<string, unknown>>(
  executor: RequestExecutor,
  query: string,
  params: Params,
  columns: readonly string[],
  plan: ReadPlan | null,
): Promise<T[]> {
  if (plan && !Object.keys(params).some((name) => name in plan.params)) {
    try {
      const rows = await executor.read<Record<string, unknown>>(`${query}+${plan.query}`, { ...plan.params, ...params });
      if (rows.length > 0) {
        const own = new Set<string>([...columns, FUSED_ROW]);
        const planned = rows.filter((r) => r[FUSED_ROW] === true).map((r) => Object.fromEntries(Object.entries(r).filter(([key]) => !own.has(key))));
        executor.primePlannedRead(plan.query, plan.params, planned);
      }
      return rows.slice(0, 1).map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null])) as T);
    } catch (error) {
      // A timeout would only repeat: the resolver gets it at once. Anything else may come from
      // putting the two together, so the resolver's own read runs as usual.
      if (error instanceof ServiceUnavailableError) executor.primePlannedReadFailure(plan.query, plan.params, error);
    }
  }
  return executor.read<T>(query, params);
}

/** Primes the modules' loaders with the records the viewer query brought along. */
export function primeViewerRecords(context: Context, records: Partial<Record<ViewerRecordColumn, Record<string, unknown> | null>>): void {
  for (const [column, record] of Object.entries(records) as [ViewerRecordColumn, Record<string, unknown> | null][]) {
    if (record) viewerRecordPrimers.get(column)?.(context, record);
  }
}
