import { GraphQLError, type ASTVisitor, type ValidationContext } from "graphql";

/**
 * graphql 17's KnownOperationTypesRule, which graphql 16 lacks: an operation whose type has no
 * root in the schema (`subscription { x }` before there is a Subscription root) is a validation
 * error, not a failure at execution that the API would have to mask as INTERNAL_SERVER_ERROR.
 */
export function KnownOperationTypesRule(context: ValidationContext): ASTVisitor {
  const schema = context.getSchema();
  return {
    OperationDefinition(node) {
      const root =
        node.operation === "query" ? schema.getQueryType() : node.operation === "mutation" ? schema.getMutationType() : schema.getSubscriptionType();
      if (!root) {
        context.reportError(new GraphQLError(`The schema has no ${node.operation} operations.`, { nodes: node }));
      }
    },
  };
}
