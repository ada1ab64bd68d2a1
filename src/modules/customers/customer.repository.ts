import type { Connection, PageRequest } from "../../shared/graphql/connection.js";
import { readPage } from "../../shared/neo4j/batch.js";
import type { RequestExecutor } from "../../shared/neo4j/executor.js";
import type { CustomerRecord } from "./customer.type.js";

export interface CustomerFilter {
  search: string | null;
  countryCode: string | null;
  sharedWithPartnerId: string | null;
}

export const customerSortKey = (c: CustomerRecord): string => c.companyNameLower;

export function listCustomers(
  executor: RequestExecutor,
  viewerPartnerId: string | null,
  filter: CustomerFilter,
  page: PageRequest,
): Promise<Connection<CustomerRecord>> {
  return readPage(executor, "customers/list", { viewerPartnerId, ...filter }, page, customerSortKey);
}
