import neo4j, { type Integer } from "neo4j-driver";
import type { Connection, PageRequest } from "../../shared/graphql/connection.js";
import type { ReadPlan } from "../../shared/read-planner.js";
import { pageRead, readPlannedPage } from "../../shared/neo4j/batch.js";
import type { RequestExecutor } from "../../shared/neo4j/executor.js";
import type { DelegatedAdminRecord } from "../delegated-admin/delegated-admin.type.js";
import type { PartnerRecord } from "../partners/partner.type.js";
import type { ChannelPathRecord, CustomerRecord, SubscriptionRecord } from "./customer.type.js";

export interface CustomerFilter {
  search: string | null;
  countryCode: string | null;
  sharedWithPartnerId: string | null;
  /** D-27: true, customers without a provider (fragments/customer-without-provider.cypher); false, with one; null, all. */
  withoutProvider: boolean | null;
}

/** Relationship fields to fetch with the customers themselves (what the client selected). */
export interface CustomerIncludes {
  partners: boolean;
  subscriptions: boolean;
  channelPaths: boolean;
  /** Customer.delegatedAdminRelationships (D-25): the caller's relationships with it, read at the request's time. */
  delegatedAdmin: boolean;
}

/** A customer with the relationship fields fetched in the same statement (empty when not asked for). */
export interface CustomerWithRelations extends CustomerRecord {
  partners: PartnerRecord[];
  subscriptions: SubscriptionRecord[];
}

export const customerSortKey = (c: CustomerRecord): string => c.companyNameLower;

/**
 * The page's customers come with their partners and subscriptions when selected; their
 * delegatedAdminRelationships (D-25) are read by the customers' loader for the whole page in one
 * statement (delegated-admin/by-customers, at the request's time), not planned here.
 */
export function listCustomersRead(
  viewerPartnerId: string | null,
  filter: CustomerFilter,
  include: CustomerIncludes,
  page: PageRequest,
): ReadPlan {
  return pageRead(
    "customers/list",
    { viewerPartnerId, ...filter, withPartners: include.partners, withSubscriptions: include.subscriptions },
    page,
  );
}

/** $withDelegatedAdmin and $now, the request's time, at which the relationships' state is read (D-25). */
function delegatedAdminParams(include: CustomerIncludes, now: number): { withDelegatedAdmin: boolean; now: Integer } {
  return { withDelegatedAdmin: include.delegatedAdmin, now: neo4j.int(now) };
}

export function listCustomers(executor: RequestExecutor, read: ReadPlan, page: PageRequest): Promise<Connection<CustomerWithRelations>> {
  return readPlannedPage<CustomerWithRelations>(executor, read, page, customerSortKey);
}

export interface CustomerDetail {
  customer: CustomerRecord;
  partners: PartnerRecord[];
  subscriptions: SubscriptionRecord[];
  paths: ChannelPathRecord[];
  delegatedAdminRelationships: DelegatedAdminRecord[];
}

export function customerDetailRead(viewerPartnerId: string | null, id: string, include: CustomerIncludes, now: number): ReadPlan {
  return {
    query: "customers/detail",
    params: {
      viewerPartnerId,
      id,
      withPartners: include.partners,
      withSubscriptions: include.subscriptions,
      withChannelPaths: include.channelPaths,
      ...delegatedAdminParams(include, now),
    },
  };
}

export async function customerDetail(executor: RequestExecutor, read: ReadPlan): Promise<CustomerDetail | null> {
  const [row] = await executor.read<CustomerDetail>(read.query, read.params);
  return row ?? null;
}
