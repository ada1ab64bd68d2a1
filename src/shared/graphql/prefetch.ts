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
import type { Params } from "../neo4j/executor.js";
import { expandFields, type SelectionInfo } from "./lookahead.js";

/** One named read with its parameters: exactly what the resolver would pass to `executor.read`. */
export interface ReadPlan {
  query: string;
  params: Params;
}

/**
 * A field whose resolver starts with one named read that depends only on the field's arguments,
 * its selection and the caller's organisation. `path` leads from the operation's root to the
 * field (e.g. ["me", "partner", "indirectResellers"]); the fields before it take no arguments.
 * `plan` must build the read the way the resolver does (modules share one function between the
 * two), and return null when the resolver would not read that way.
 */
export interface FieldReadPlanner {
  path: string[];
  parentType: string;
  plan(args: Record<string, unknown>, info: SelectionInfo, viewerPartnerId: string): ReadPlan | null;
}

/**
 * The read a request's only field of interest will make, worked out before execution so that it
 * can go to the database together with the viewer query: one round trip instead of two. It runs
 * after Apollo has parsed and validated the document (token, depth, cost and alias limits, no
 * fragment cycles), on that same document: never on raw request text. Only for a query operation
 * whose root selects one field, down a path of `planners`, with variables that coerce. Anything
 * else, or any doubt, is null, and the request runs as usual. A wrong plan costs one wasted read,
 * never a wrong answer: the resolver receives the rows only if it asks for exactly this query with
 * exactly these parameters, which it builds from the viewer read from the graph (see
 * RequestExecutor.prime). Authorization is untouched: graphql-shield still decides before the
 * resolver runs.
 */
export function planRead(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: unknown,
  planners: readonly FieldReadPlanner[],
  viewerPartnerId: string,
): ReadPlan | null {
  if (planners.length === 0 || operation.operation !== "query") return null;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;

  const raw = rawVariables !== null && typeof rawVariables === "object" ? (rawVariables as Record<string, unknown>) : {};
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], raw);
  if (coerced.errors) return null;
  const variableValues = coerced.coerced;

  for (const planner of planners) {
    const nodes = followPath(operation.selectionSet, planner.path, fragments);
    if (!nodes) continue;
    const parent = schema.getType(planner.parentType);
    const definition = isObjectType(parent) ? parent.getFields()[planner.path[planner.path.length - 1]!] : undefined;
    if (!definition) continue;
    try {
      const args = getArgumentValues(definition, nodes[0]!, variableValues);
      return planner.plan(args, { fieldNodes: nodes, fragments, schema, variableValues }, viewerPartnerId);
    } catch {
      return null;
    }
  }
  return null;
}

/** Whether the operation's root selects `field` (through fragments, whatever the directives say). */
export function selectsRootField(document: DocumentNode, operation: OperationDefinitionNode, field: string): boolean {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  return expandFields([operation.selectionSet], fragments).fields.some((f) => f.name.value === field);
}

/**
 * The node of the field at `path` when each level selects exactly that one field (once, no alias,
 * no directive anywhere on the way), through inline fragments and fragment spreads; else null.
 */
function followPath(root: SelectionSetNode, path: string[], fragments: Record<string, FragmentDefinitionNode>): FieldNode[] | null {
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
  return field ? [field] : null;
}
