import { ForbiddenError } from "../errors.js";
import type { AdminRole, AgentRole, PartnerKind, Viewer } from "./viewer.js";

/**
 * ROLES.md as data: for each capability, the agent roles and admin roles that grant it, and the
 * kind of organisation it is limited to. A user may do what either of their two roles allows.
 * The one source of roles: the permission map (src/app/permissions.ts) and every re-check a
 * module makes in its transaction (a role may change between shield's check and the write) read
 * this table through `refusal` and `capabilityError`; no other file lists roles.
 * test/authz/role-matrix.test.ts checks it against its own copy of ROLES.md.
 */
export interface Capability {
  id: `C${number}`;
  title: string;
  agentRoles: readonly AgentRole[];
  adminRoles: readonly AdminRole[];
  /** Only in an organisation of this kind (C12 reseller, C13 and C14 provider). */
  orgKind?: PartnerKind;
  /** C15 also holds for a user with no role at all. */
  everyUser?: boolean;
  /** C3 and C5: these agent roles grant it, but not on an Office 365 subscription (unless the admin role grants it). */
  notOnOffice365?: readonly AgentRole[];
}

const AA = "ADMIN_AGENT";
const SA = "SALES_AGENT";
const HA = "HELPDESK_AGENT";
const GA = "GLOBAL_ADMIN";
const UMA = "USER_MANAGEMENT_ADMIN";

export const CAPABILITIES = {
  C1: { id: "C1", title: "search and view customers and their subscriptions", agentRoles: [AA, SA, HA], adminRoles: [GA] },
  C2: { id: "C2", title: "view customer service health", agentRoles: [AA, HA], adminRoles: [GA] },
  C3: { id: "C3", title: "create service requests on behalf of a customer", agentRoles: [AA, HA], adminRoles: [GA], notOnOffice365: [HA] },
  C4: { id: "C4", title: "request delegated admin privileges", agentRoles: [AA], adminRoles: [GA] },
  C5: { id: "C5", title: "administer on behalf of a customer (subscriptions, licenses, users)", agentRoles: [AA, HA], adminRoles: [GA], notOnOffice365: [HA] },
  C6: { id: "C6", title: "view, create and manage partner users", agentRoles: [], adminRoles: [GA, UMA] },
  C7: { id: "C7", title: "open Partner Center support tickets", agentRoles: [], adminRoles: [GA] },
  C8: { id: "C8", title: "view the partner's profiles", agentRoles: [], adminRoles: [GA, UMA] },
  C9: { id: "C9", title: "update the partner's profiles", agentRoles: [], adminRoles: [GA] },
  C10: { id: "C10", title: "request customer relationships and invite customers", agentRoles: [AA, SA], adminRoles: [GA] },
  C11: { id: "C11", title: "manage leads", agentRoles: [SA], adminRoles: [GA] },
  C12: { id: "C12", title: "authorize an indirect provider", agentRoles: [], adminRoles: [GA], orgKind: "RESELLER" },
  C13: { id: "C13", title: "invite an indirect reseller", agentRoles: [], adminRoles: [GA], orgKind: "PROVIDER" },
  C14: { id: "C14", title: "submit orders for a shared customer", agentRoles: [AA, SA], adminRoles: [GA], orgKind: "PROVIDER" },
  C15: { id: "C15", title: "view own user and organisation, change own password", agentRoles: [], adminRoles: [], everyUser: true },
  C16: { id: "C16", title: "list indirect providers and resellers and shared customers", agentRoles: [AA, SA, HA], adminRoles: [GA] },
  C17: { id: "C17", title: "end the organisation's own reseller relationship with a customer", agentRoles: [AA], adminRoles: [GA] },
  C18: { id: "C18", title: "manage webhooks and read their deliveries", agentRoles: [], adminRoles: [GA] },
} as const satisfies Record<string, Capability>;

export type CapabilityId = keyof typeof CAPABILITIES;

export type Refusal = "ROLE" | "ORG_KIND";

/** A global admin's admin role: D-5 gives it to the enrolling user, D-7 keeps one in every organisation. */
export const GLOBAL_ADMIN: AdminRole = GA;

/**
 * Product decision within C6 that ROLES.md's table does not show: creating a global admin,
 * granting or removing the role, resetting a global admin's password and removing one need one of
 * these admin roles (a user management admin may not: it could sign in as a global admin).
 */
export const MANAGES_GLOBAL_ADMINS: readonly AdminRole[] = [GA];

/** Product decision: the organisation's audit trail is for these admin roles (no capability of ROLES.md covers it). */
export const READS_AUDIT_TRAIL: readonly AdminRole[] = [GA];

/** The roles a check reads: a Viewer's, or the same read again in a transaction. */
export type Roles = Pick<Viewer, "agentRole" | "adminRole" | "partnerKind">;

/** Why a viewer lacks a capability, or null when it has it. Pure, so the matrix test can call it. */
export function refusal(viewer: Roles, capability: Capability): Refusal | null {
  if (capability.everyUser) return null;
  const byRole =
    (capability.agentRoles as readonly string[]).includes(viewer.agentRole) ||
    (capability.adminRoles as readonly string[]).includes(viewer.adminRole);
  if (!byRole) return "ROLE";
  if (capability.orgKind && viewer.partnerKind !== capability.orgKind) return "ORG_KIND";
  return null;
}

/** The FORBIDDEN answer when the roles (or the organisation's kind) lack Cn, else null. */
export function capabilityError(viewer: Roles, id: CapabilityId): ForbiddenError | null {
  const capability: Capability = CAPABILITIES[id];
  const why = refusal(viewer, capability);
  if (why === null) return null;
  if (why === "ORG_KIND") {
    return new ForbiddenError(
      `${id} (${capability.title}) is only for ${capability.orgKind === "PROVIDER" ? "indirect providers" : "indirect resellers"}.`,
      id,
    );
  }
  return new ForbiddenError(`Your roles do not allow ${id}: ${capability.title}.`, id);
}
