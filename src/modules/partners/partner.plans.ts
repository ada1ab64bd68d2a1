import { pageRequest, type PageArgs, type PageRequest } from "../../shared/graphql/connection.js";
import { selectedFieldArguments, type SelectionInfo } from "../../shared/graphql/lookahead.js";
import { registerReadPlanners, type FieldReadPlanner, type ReadPlan } from "../../shared/read-planner.js";
import { indirectProvidersRead, indirectResellersRead } from "./partner.repository.js";

/**
 * How a partner's list fields read when their sharedCustomers are selected along: one function
 * each, used by the resolver and by the read planner (src/shared/read-planner.ts).
 */

/**
 * The one page of sharedCustomers selected on the partners of a list (at `path`, of type
 * `typeName`), which the list query can then fetch along. null when the field is not selected,
 * is selected with different pages (aliases), or with arguments it will refuse: then its own
 * resolver runs (and reports the error against its own path).
 */
function foldedSharedPage(info: SelectionInfo, path: string[], typeName: string): PageRequest | null {
  const occurrences = selectedFieldArguments(info, path, "sharedCustomers", typeName);
  if (occurrences.length === 0) return null;
  try {
    const pages = occurrences.map((args) => pageRequest(args as PageArgs));
    const same = (a: PageRequest, b: PageRequest) => a.first === b.first && a.afterKey === b.afterKey && a.afterId === b.afterId;
    return pages.every((page) => same(page, pages[0]!)) ? pages[0]! : null;
  } catch {
    return null;
  }
}

/** `read` is null when no sharedCustomers come along: the resolver uses its loader. */
export function indirectResellersQuery(
  args: PageArgs,
  info: SelectionInfo,
  viewerPartnerId: string | null,
  providerId: string,
): { page: PageRequest; shared: PageRequest | null; read: ReadPlan | null } {
  const page = pageRequest(args);
  const shared = foldedSharedPage(info, ["edges", "node"], "Reseller");
  return { page, shared, read: shared ? indirectResellersRead(viewerPartnerId, providerId, page, shared) : null };
}

export function indirectProvidersQuery(
  info: SelectionInfo,
  viewerPartnerId: string | null,
  resellerId: string,
): { shared: PageRequest | null; read: ReadPlan | null } {
  const shared = foldedSharedPage(info, [], "Provider");
  return { shared, read: shared ? indirectProvidersRead(viewerPartnerId, resellerId, shared) : null };
}

/** `me { partner { ... } }` is the caller's own organisation, so the list's owner is the viewer's. */
export const partnerReadPlanners: FieldReadPlanner[] = [
  {
    path: ["me", "partner", "indirectResellers"],
    parentType: "Provider",
    plan: (args, info, viewerPartnerId) => indirectResellersQuery(args as PageArgs, info, viewerPartnerId, viewerPartnerId).read,
  },
  {
    path: ["me", "partner", "indirectProviders"],
    parentType: "Reseller",
    plan: (_args, info, viewerPartnerId) => indirectProvidersQuery(info, viewerPartnerId, viewerPartnerId).read,
  },
];

registerReadPlanners(partnerReadPlanners);
