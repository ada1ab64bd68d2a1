import type { PageRequest } from "../../shared/graphql/connection.js";
import { pageRequest, type PageArgs } from "../../shared/graphql/connection.js";
import { selectedFields, type SelectionInfo } from "../../shared/graphql/lookahead.js";
import { registerReadPlanners, type FieldReadPlanner, type ReadPlan } from "../../shared/read-planner.js";
import { optionalCountryCode, searchTerm } from "../../shared/validation.js";
import { customerDetailRead, listCustomersRead, type CustomerIncludes } from "./customer.repository.js";

/**
 * How the root customer fields read, from their arguments and selection: one function each, used
 * by the resolver and by the read planner (src/shared/read-planner.ts), so the two cannot drift.
 */
export interface CustomerWhereArgs {
  search?: string | null;
  countryCode?: string | null;
  sharedWithPartnerId?: string | null;
  withoutProvider?: boolean | null;
}

export function customersQuery(
  args: PageArgs,
  where: CustomerWhereArgs | null | undefined,
  info: SelectionInfo,
  viewerPartnerId: string | null,
): { include: CustomerIncludes; page: PageRequest; read: ReadPlan } {
  const filter = {
    search: searchTerm("where.search", where?.search),
    countryCode: optionalCountryCode("where.countryCode", where?.countryCode),
    sharedWithPartnerId: where?.sharedWithPartnerId || null,
    withoutProvider: where?.withoutProvider ?? null,
  };
  const include = includes(selectedFields(info, ["edges", "node"]));
  const page = pageRequest(args);
  return { include, page, read: listCustomersRead(viewerPartnerId, filter, include, page) };
}

/**
 * `read` is null when only the customer's own fields are selected: the resolver uses its loader.
 * `now` is the request's domain time (Context.now): delegatedAdminRelationships read at it (D-25).
 */
export function customerQuery(
  id: string,
  info: SelectionInfo,
  viewerPartnerId: string | null,
  now: number,
): { include: CustomerIncludes; read: ReadPlan | null } {
  const include = includes(selectedFields(info));
  if (!include.partners && !include.subscriptions && !include.channelPaths && !include.delegatedAdmin) return { include, read: null };
  return { include, read: customerDetailRead(viewerPartnerId, id, include, now) };
}

function includes(fields: Set<string>): CustomerIncludes {
  return {
    partners: fields.has("partners"),
    subscriptions: fields.has("subscriptions"),
    channelPaths: fields.has("channelPaths"),
    delegatedAdmin: fields.has("delegatedAdminRelationships"),
  };
}

export const customerReadPlanners: FieldReadPlanner[] = [
  {
    path: ["customers"],
    parentType: "Query",
    plan: (args, info, viewerPartnerId) =>
      customersQuery(args as PageArgs, args.where as CustomerWhereArgs | null, info, viewerPartnerId).read,
  },
  {
    path: ["customer"],
    parentType: "Query",
    plan: (args, info, viewerPartnerId, now) => customerQuery(String(args.id), info, viewerPartnerId, now).read,
  },
];

registerReadPlanners(customerReadPlanners);
