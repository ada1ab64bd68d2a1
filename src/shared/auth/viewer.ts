export type AgentRole = "ADMIN_AGENT" | "SALES_AGENT" | "HELPDESK_AGENT" | "NONE";
export type AdminRole = "GLOBAL_ADMIN" | "USER_MANAGEMENT_ADMIN" | "NONE";
export type PartnerKind = "PROVIDER" | "RESELLER";
export type EnrollmentStatus = "PENDING_EMAIL_VERIFICATION" | "UNDER_REVIEW" | "ACTIVE" | "REJECTED";

/**
 * Who is calling, read from the graph on every request (not from the token), so a role change
 * or a removed user takes effect at the next request.
 */
export interface Viewer {
  userId: string;
  email: string;
  agentRole: AgentRole;
  adminRole: AdminRole;
  mustChangePassword: boolean;
  isOperator: boolean;
  /** null for the operator (T-7). */
  partnerId: string | null;
  partnerKind: PartnerKind | null;
  partnerStatus: EnrollmentStatus | null;
}

import type { RequestExecutor } from "../neo4j/executor.js";

interface ViewerRow {
  user: {
    id: string;
    email: string;
    agentRole: AgentRole;
    adminRole: AdminRole;
    mustChangePassword: boolean;
    isOperator: boolean;
    sessionVersion: number;
  };
  partner: { id: string; kind: PartnerKind; enrollmentStatus: EnrollmentStatus } | null;
  userRecord: Record<string, unknown>;
  partnerRecord: Record<string, unknown> | null;
  channelStats: Record<string, unknown> | null;
}

export interface LoadedViewer {
  viewer: Viewer;
  /** The caller's user and organisation as their modules' loaders return them (to prime those). */
  userRecord: Record<string, unknown>;
  partnerRecord: Record<string, unknown> | null;
  /** The organisation's ChannelStats, when asked for (`withStats`). */
  channelStats: Record<string, unknown> | null;
}

/**
 * The viewer for a verified token, or null when the user is gone or the token belongs to an
 * older session version (a changed or reset password signs out every other session).
 */
export async function loadViewer(
  executor: RequestExecutor,
  userId: string,
  sessionVersion: number,
  withStats = false,
): Promise<LoadedViewer | null> {
  const [row] = await executor.read<ViewerRow>("auth/viewer", { userId, withStats });
  if (!row) return null;
  const { user, partner } = row;
  if (user.sessionVersion !== sessionVersion) return null;
  const viewer: Viewer = {
    userId: user.id,
    email: user.email,
    agentRole: user.agentRole,
    adminRole: user.adminRole,
    mustChangePassword: user.mustChangePassword === true,
    isOperator: user.isOperator === true,
    partnerId: partner?.id ?? null,
    partnerKind: partner?.kind ?? null,
    partnerStatus: partner?.enrollmentStatus ?? null,
  };
  return { viewer, userRecord: row.userRecord, partnerRecord: row.partnerRecord, channelStats: row.channelStats ?? null };
}
