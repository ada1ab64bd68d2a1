import neo4j from "neo4j-driver";
import { recordAudit } from "../../shared/audit.js";
import type { Viewer } from "../../shared/auth/viewer.js";
import { DAY_MS } from "../../shared/clock.js";
import { BadUserInputError, ConflictError, NotFoundError } from "../../shared/errors.js";
import type { ChannelEventDraft } from "../../shared/events.js";
import type { Connection, PageRequest } from "../../shared/graphql/connection.js";
import { DelegatedAdminRole } from "../../shared/graphql/enums.js";
import { readPage } from "../../shared/neo4j/batch.js";
import type { RequestExecutor, Tx } from "../../shared/neo4j/executor.js";
import { echo } from "../../shared/validation.js";
import type { CustomerRecord } from "../customers/customer.type.js";
import type { DelegatedAdminRecord } from "./delegated-admin.type.js";

/** What a relationship asks for (D-25): roles in DelegatedAdminRole's order, no repeats. */
export interface DelegatedAdminTerms {
  roles: DelegatedAdminRole[];
  durationDays: number;
  autoExtend: boolean;
}

export const MAX_DURATION_DAYS = 730;
/** D-25: an ACTIVE relationship that auto-extends gets this many more days each time it reaches endsAt. */
export const AUTO_EXTENSION_DAYS = 180;
export const AUTO_EXTENSION_MS = AUTO_EXTENSION_DAYS * DAY_MS;

/**
 * D-25: the default set, asked for by `requestDelegatedAdmin` without input and given to a reseller
 * by an accepted customer invitation (in Cypher: fragments/delegated-admin-default.cypher, the same set).
 */
export const DEFAULT_TERMS: DelegatedAdminTerms = {
  roles: [
    DelegatedAdminRole.USER_ADMINISTRATOR,
    DelegatedAdminRole.LICENSE_ADMINISTRATOR,
    DelegatedAdminRole.HELPDESK_ADMINISTRATOR,
    DelegatedAdminRole.SERVICE_SUPPORT_ADMINISTRATOR,
  ],
  durationDays: MAX_DURATION_DAYS,
  autoExtend: true,
};

/** D-26: the roles that let a partner open service requests on a customer's behalf. */
export const SUPPORT_ROLES: readonly DelegatedAdminRole[] = [
  DelegatedAdminRole.SERVICE_SUPPORT_ADMINISTRATOR,
  DelegatedAdminRole.HELPDESK_ADMINISTRATOR,
  DelegatedAdminRole.GLOBAL_ADMINISTRATOR,
];

const ROLE_ORDER = Object.values(DelegatedAdminRole) as DelegatedAdminRole[];

/** The terms of a request (D-25): input absent is the default set; else checked, roles deduplicated in enum order. */
export function delegatedAdminTerms(
  input: { roles: DelegatedAdminRole[]; durationDays: number; autoExtend?: boolean | null } | null | undefined,
): DelegatedAdminTerms {
  if (!input) return { ...DEFAULT_TERMS, roles: [...DEFAULT_TERMS.roles] };
  const asked = new Set(input.roles);
  const roles = ROLE_ORDER.filter((role) => asked.has(role));
  if (roles.length === 0) throw new BadUserInputError("input.roles", "D-25", "name at least one DelegatedAdminRole.");
  const days = input.durationDays;
  if (!Number.isInteger(days) || days < 1 || days > MAX_DURATION_DAYS) {
    throw new BadUserInputError("input.durationDays", "D-25", `must be a whole number of days from 1 to ${MAX_DURATION_DAYS}, got ${days}.`);
  }
  const autoExtend = input.autoExtend ?? true;
  if (autoExtend && roles.includes(DelegatedAdminRole.GLOBAL_ADMINISTRATOR)) {
    throw new BadUserInputError(
      "input.autoExtend",
      "D-25",
      "a relationship with GLOBAL_ADMINISTRATOR cannot auto-extend; send autoExtend: false (it defaults to true).",
    );
  }
  return { roles, durationDays: days, autoExtend };
}

// ------------------------------------------------------------------ channel events (D-28)

/**
 * DELEGATED_ADMIN_TERMINATED (D-28, D-25): concerns the holding partner only (the relationship is
 * its own record, T-1); subject the relationship. The customer's name is what the holder saw when
 * the change was made (it was of record then, T-2). One event per relationship.
 */
export function delegatedAdminTerminated(holderId: string, relationshipId: string, customerName: string | null, why: string): ChannelEventDraft {
  const of = customerName ? ` with ${customerName}` : "";
  return {
    type: "DELEGATED_ADMIN_TERMINATED",
    subjectId: relationshipId,
    summary: `Delegated admin relationship${of} terminated ${why}.`,
    partnerIds: [holderId],
  };
}

/**
 * DELEGATED_ADMIN_APPROVED (D-28, D-25): the customer approved a relationship through its link, or
 * accepted a customer invitation that gave the reseller the default one (D-14, D-16: that
 * acceptance is the customer's approval of it). Concerns the holder only (T-1); subject the relationship.
 */
export function delegatedAdminApproved(
  holderId: string,
  relationship: { id: string; roles: readonly string[]; durationDays: number },
  customerName: string,
): ChannelEventDraft {
  const roles = relationship.roles.length;
  return {
    type: "DELEGATED_ADMIN_APPROVED",
    subjectId: relationship.id,
    summary: `${customerName} approved a delegated admin relationship: ${roles} role${roles === 1 ? "" : "s"} for ${relationship.durationDays} days.`,
    partnerIds: [holderId],
  };
}

/** C4: the PENDING_APPROVAL relationship of a DELEGATED_ADMIN request, made in the request's transaction. */
export async function createRequestedRelationship(
  tx: Tx,
  viewer: Viewer,
  fields: { id: string; requestId: string; customerId: string; terms: DelegatedAdminTerms; now: number },
): Promise<DelegatedAdminRecord> {
  const [row] = await tx.run<{ relationship: DelegatedAdminRecord }>("delegated-admin/create", {
    viewerPartnerId: viewer.partnerId,
    requestId: fields.requestId,
    customerId: fields.customerId,
    id: fields.id,
    roles: fields.terms.roles,
    durationDays: neo4j.int(fields.terms.durationDays),
    autoExtend: fields.terms.autoExtend,
    now: neo4j.int(fields.now),
  });
  // The request and the customer were matched in this transaction just before.
  if (!row) throw new NotFoundError("Customer", echo(fields.customerId));
  return row.relationship;
}

/**
 * D-25, D-17: the customer accepted the request's link: its relationship becomes ACTIVE at `now`.
 * Null when it cannot be: the sender is no longer the customer's reseller of record, or the
 * relationship was terminated meanwhile.
 */
export async function approveRequestedRelationship(
  tx: Tx,
  requestId: string,
  now: number,
): Promise<{ relationship: DelegatedAdminRecord; customer: CustomerRecord } | null> {
  const [row] = await tx.run<{ relationship: DelegatedAdminRecord; customer: CustomerRecord }>("delegated-admin/approve", {
    requestId,
    now: neo4j.int(now),
  });
  return row ?? null;
}

/**
 * D-17: a revoked DELEGATED_ADMIN request takes its PENDING_APPROVAL relationship with it
 * (TERMINATED). Returns the relationship terminated (with its customer's name, for the event), or
 * null when it was no longer pending.
 */
export async function terminateRequestedRelationship(
  tx: Tx,
  requestId: string,
  now: number,
): Promise<{ id: string; customerName: string | null } | null> {
  const [row] = await tx.run<{ id: string; customerName: string | null }>("delegated-admin/terminate-requested", { requestId, now: neo4j.int(now) });
  return row ?? null;
}

/**
 * terminateDelegatedAdmin (C4, D-25): the caller's organisation's relationship (T-1; else
 * NOT_FOUND, T-4), locked first, then TERMINATED when it reads ACTIVE or PENDING_APPROVAL at `now`;
 * EXPIRED or TERMINATED is CONFLICT. One transaction with its audit event.
 */
export function terminateDelegatedAdmin(executor: RequestExecutor, viewer: Viewer, id: string, nowMillis: number): Promise<DelegatedAdminRecord> {
  const params = { viewerPartnerId: viewer.partnerId, id, now: neo4j.int(nowMillis) };
  return executor.transaction("WRITE", async (tx) => {
    const [locked] = await tx.run<{ relationship: DelegatedAdminRecord }>("delegated-admin/lock-own", params);
    if (!locked) throw new NotFoundError("Delegated admin relationship", echo(id));
    const status = locked.relationship.status;
    if (status !== "ACTIVE" && status !== "PENDING_APPROVAL") {
      throw new ConflictError(`This delegated admin relationship is ${status}; only an ACTIVE or PENDING_APPROVAL one can be terminated (D-25).`, "id");
    }
    const [row] = await tx.run<{ relationship: DelegatedAdminRecord }>("delegated-admin/terminate", params);
    // The customer's name from the caller's lock-time read (null when no longer of record: then unnamed, T-2).
    const customerName = row.relationship.customer?.companyName ?? locked.relationship.customer?.companyName ?? null;
    await recordAudit(tx, {
      operation: "terminateDelegatedAdmin",
      viewer,
      targetIds: [id, ...(row.relationship.customer ? [row.relationship.customer.id] : [])],
      events: [delegatedAdminTerminated(viewer.partnerId!, id, customerName, "by its holder")],
    });
    return row.relationship;
  });
}

export function listDelegatedAdmin(
  executor: RequestExecutor,
  viewerPartnerId: string | null,
  where: { status: string | null; customerId: string | null },
  page: PageRequest,
  nowMillis: number,
): Promise<Connection<DelegatedAdminRecord>> {
  return readPage(executor, "delegated-admin/list", { viewerPartnerId, ...where, now: neo4j.int(nowMillis) }, page, (r: DelegatedAdminRecord) =>
    r.createdAt.toISOString(),
  );
}
