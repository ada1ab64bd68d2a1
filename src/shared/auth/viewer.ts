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
import { readWithPlanned, type ReadPlan } from "../read-planner.js";

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
 *
 * With `plan` (the read the request's resolver will make), both go in one statement: see
 * src/shared/read-planner.ts.
 */
export async function loadViewer(
  executor: RequestExecutor,
  userId: string,
  sessionVersion: number,
  withStats = false,
  plan: ReadPlan | null = null,
): Promise<LoadedViewer | null> {
  const [row] = await readWithPlanned<ViewerRow & Record<string, unknown>>(executor, "auth/viewer", { userId, withStats }, VIEWER_COLUMNS, plan);
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
  rememberPartner(viewer.userId, viewer.partnerId);
  return { viewer, userRecord: row.userRecord, partnerRecord: row.partnerRecord, channelStats: row.channelStats ?? null };
}

/** The columns of auth/viewer.cypher. */
const VIEWER_COLUMNS = ["user", "partner", "userRecord", "partnerRecord", "channelStats"] as const;

/**
 * The organisation each recent caller belonged to at its last request: what a plan is built for
 * before the viewer is read. A user never changes organisation, but if the guess were wrong the
 * resolver would ask with the true one and the planned rows would simply go unused.
 */
const partnerOfUser = new Map<string, string | null>();
const MAX_REMEMBERED = 100_000;

export function knownPartnerOf(userId: string): string | null | undefined {
  return partnerOfUser.get(userId);
}

export function rememberPartner(userId: string, partnerId: string | null): void {
  if (partnerOfUser.get(userId) === partnerId) return;
  if (partnerOfUser.size >= MAX_REMEMBERED) partnerOfUser.clear();
  partnerOfUser.set(userId, partnerId);
}
