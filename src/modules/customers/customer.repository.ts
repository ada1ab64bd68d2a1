import type { Connection, PageRequest } from "../../shared/graphql/connection.js";
import { readPage } from "../../shared/neo4j/batch.js";
import type { RequestExecutor } from "../../shared/neo4j/executor.js";
import type { PartnerRecord } from "../partners/partner.type.js";
import type { ChannelPathRecord, CustomerRecord, SubscriptionRecord } from "./customer.type.js";

export interface CustomerFilter {
  search: string | null;
  countryCode: string | null;
  sharedWithPartnerId: string | null;
}

/** Relationship fields to fetch with the customers themselves (what the client selected). */
export interface CustomerIncludes {
  partners: boolean;
  subscriptions: boolean;
  channelPaths: boolean;
}

/** A customer with the relationship fields fetched in the same statement (empty when not asked for). */
export interface CustomerWithRelations extends CustomerRecord {
  partners: PartnerRecord[];
  subscriptions: SubscriptionRecord[];
}

export const customerSortKey = (c: CustomerRecord): string => c.companyNameLower;

export function listCustomers(
  executor: RequestExecutor,
  viewerPartnerId: string | null,
  filter: CustomerFilter,
  include: CustomerIncludes,
  page: PageRequest,
): Promise<Connection<CustomerWithRelations>> {
  return readPage<CustomerWithRelations>(
    executor,
    "customers/list",
    { viewerPartnerId, ...filter, withPartners: include.partners, withSubscriptions: include.subscriptions },
    page,
    customerSortKey,
  );
}

export interface CustomerDetail {
  customer: CustomerRecord;
  partners: PartnerRecord[];
  subscriptions: SubscriptionRecord[];
  paths: ChannelPathRecord[];
}

export async function customerDetail(
  executor: RequestExecutor,
  viewerPartnerId: string | null,
  id: string,
  include: CustomerIncludes,
): Promise<CustomerDetail | null> {
  const [row] = await executor.read<CustomerDetail>("customers/detail", {
    viewerPartnerId,
    id,
    withPartners: include.partners,
    withSubscriptions: include.subscriptions,
    withChannelPaths: include.channelPaths,
  });
  return row ?? null;
}
