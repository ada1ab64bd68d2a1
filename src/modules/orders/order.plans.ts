import { timePageRequest, type PageArgs, type PageRequest } from "../../shared/graphql/connection.js";
import { registerReadPlanners, type FieldReadPlanner, type ReadPlan } from "../../shared/read-planner.js";
import { BadUserInputError } from "../../shared/errors.js";
import { listOrdersRead, type OrderFilter } from "./order.repository.js";

/**
 * How the root `orders` field reads, from its arguments: one function, used by the resolver and by
 * the read planner (src/shared/read-planner.ts), so the two cannot drift and a request for the
 * list is one Cypher statement (with the viewer query).
 */
export interface OrderWhereArgs {
  customerId?: string | null;
  resellerId?: string | null;
  providerId?: string | null;
}

function optionalId(field: string, value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  const id = value.trim();
  if (id === "") throw new BadUserInputError(field, "required", "must not be empty (leave it out to list every order).");
  return id;
}

export function ordersQuery(args: PageArgs, where: OrderWhereArgs | null | undefined, viewerPartnerId: string | null): { page: PageRequest; read: ReadPlan } {
  const filter: OrderFilter = {
    customerId: optionalId("where.customerId", where?.customerId),
    resellerId: optionalId("where.resellerId", where?.resellerId),
    providerId: optionalId("where.providerId", where?.providerId),
  };
  // Newest first: the cursor's key is the order's createdAt (an ISO instant), then its id.
  const page = timePageRequest(args);
  return { page, read: listOrdersRead(viewerPartnerId, filter, page) };
}

export const orderReadPlanners: FieldReadPlanner[] = [
  {
    path: ["orders"],
    parentType: "Query",
    plan: (args, _info, viewerPartnerId) => ordersQuery(args as PageArgs, args.where as OrderWhereArgs | null, viewerPartnerId).read,
  },
];

registerReadPlanners(orderReadPlanners);
