import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";

/**
 * The names of the fields selected below the current field, at `path` (e.g. ["edges", "node"]
 * for the nodes of a connection), through inline fragments and named fragments. Lets a list
 * query fetch, in the same Cypher statement, the relationship fields the client asked for: one
 * round trip instead of one per field. Directives (@include/@skip) are not evaluated: a field
 * under one is fetched, which costs a little work, never a wrong answer.
 */
export function selectedFields(info: GraphQLResolveInfo, path: string[] = []): Set<string> {
  let level: SelectionSetNode[] = info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  for (const name of path) {
    level = fieldsOf(level, info)
      .filter((field) => field.name.value === name)
      .flatMap((field) => (field.selectionSet ? [field.selectionSet] : []));
  }
  return new Set(fieldsOf(level, info).map((field) => field.name.value));
}

function fieldsOf(sets: SelectionSetNode[], info: GraphQLResolveInfo): FieldNode[] {
  const fields: FieldNode[] = [];
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) fields.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else {
        const fragment = info.fragments[selection.name.value];
        if (fragment) visit(fragment.selectionSet);
      }
    }
  };
  sets.forEach(visit);
  return fields;
}
