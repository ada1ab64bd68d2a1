import neo4j from "neo4j-driver";
import type { Viewer } from "../../shared/auth/viewer.js";
import { recordAudit } from "../../shared/audit.js";
import { ForbiddenError, NotFoundError } from "../../shared/errors.js";
import { newId } from "../../shared/ids.js";
import type { RequestExecutor } from "../../shared/neo4j/executor.js";
import { echo } from "../../shared/validation.js";
import type { ServiceHealth } from "../customers/customer.type.js";

export interface ServiceRequestRecord {
  id: string;
  title: string;
  description: string;
  severity: string;
  status: string;
  createdAt: Date;
}

/** Operator only: the status of one service; NOT_FOUND for a service that is not in the graph. */
export async function setServiceStatus(executor: RequestExecutor, viewer: Viewer, service: string, status: string): Promise<ServiceHealth> {
  const now = neo4j.int(Date.now());
  return executor.transaction("WRITE", async (tx) => {
    const [row] = await tx.run<{ service: ServiceHealth }>("service/set-status", { service, status, now });
    if (!row) throw new NotFoundError("Service", echo(service));
    await recordAudit(tx, { operation: "setServiceStatus", viewer, targetIds: [service] });
    return row.service;
  });
}

export interface NewServiceRequest {
  customerId: string | null;
  subscriptionId: string | null;
  title: string;
  description: string;
  severity: string;
}

/** D-26: why an on-behalf request is refused when no delegated admin relationship allows it. */
export const DELEGATED_ADMIN_REQUIRED = "DELEGATED_ADMIN_REQUIRED";

/**
 * C3 (on behalf of a visible customer, optionally about one of its visible subscriptions) or C7
 * (the partner's own ticket), one write transaction with its audit event. The helpdesk rule on
 * Office 365 subscriptions is in the permission layer (src/app/permissions.ts). On behalf, D-26
 * also needs a delegated admin relationship with a support role that reads ACTIVE at `nowMillis`
 * (the domain's clock), checked in the same transaction (service/request-scope).
 */
export async function createServiceRequest(
  executor: RequestExecutor,
  viewer: Viewer,
  input: NewServiceRequest,
  nowMillis: number,
): Promise<ServiceRequestRecord> {
  const id = newId("ServiceRequest");
  const now = neo4j.int(nowMillis);
  const params = { viewerPartnerId: viewer.partnerId, ...input, id, now };
  return executor.transaction("WRITE", async (tx) => {
    if (input.customerId) {
      const [scope] = await tx.run<{ customerFound: boolean; subscriptionFound: boolean; delegatedAdmin: boolean }>("service/request-scope", params);
      if (!scope?.customerFound) throw new NotFoundError("Customer", echo(input.customerId));
      if (input.subscriptionId && !scope.subscriptionFound) throw new NotFoundError("Subscription", echo(input.subscriptionId));
      if (!scope.delegatedAdmin) {
        throw new ForbiddenError(
          `A service request on behalf of customer ${echo(input.customerId)} needs an ACTIVE delegated admin relationship of your organisation with it holding SERVICE_SUPPORT_ADMINISTRATOR, HELPDESK_ADMINISTRATOR or GLOBAL_ADMINISTRATOR (D-26); ask for one with requestDelegatedAdmin (C4).`,
          "C3",
          { reason: DELEGATED_ADMIN_REQUIRED },
        );
      }
    }
    const [row] = await tx.run<{ request: ServiceRequestRecord }>("service/create-request", params);
    await recordAudit(tx, {
      operation: "createServiceRequest",
      viewer,
      targetIds: [id, ...(input.customerId ? [input.customerId] : []), ...(input.subscriptionId ? [input.subscriptionId] : [])],
    });
    return row.request;
  });
}
