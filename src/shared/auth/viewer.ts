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

import type { ReadPlan } from "../graphql/prefetch.js";
import type { RequestExecutor } from "../neo4j/executor.js";
import { ServiceUnavailableError } from "../errors.js";
import { FUSED_ROW } from "../neo4j/queries.js";

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
 * With `prefetch` (the read the request's resolver will make, see planRead), both go in one
 * statement and the read's rows are handed to the executor for that resolver. If that statement
 * fails, the viewer is read alone and the resolver's read reports the error where it would have
 * been (a timeout at once, anything else by running again on its own).
 */
export async function loadViewer(
  executor: RequestExecutor,
  userId: string,
  sessionVersion: number,
  withStats = false,
  prefetch: ReadPlan | null = null,
): Promise<LoadedViewer | null> {
  const params = { userId, withStats };
  let row: ViewerRow | undefined;
  if (prefetch && !("userId" in prefetch.params) && !("withStats" in prefetch.params)) {
    try {
      const rows = await executor.read<ViewerRow & Record<string, unknown>>(`auth/viewer+${prefetch.query}`, { ...prefetch.params, ...params });
      row = rows[0];
      if (row) executor.prime(prefetch.query, prefetch.params, rows.filter((r) => r[FUSED_ROW] === true).map(dataColumns));
    } catch (error) {
      // A timeout would only repeat: the resolver gets it at once. Anything else may come from
      // putting the two together, so the resolver's own read runs as usual.
      if (error instanceof ServiceUnavailableError) executor.primeFailure(prefetch.query, prefetch.params, error);
      row = undefined;
      prefetch = null;
    }
  }
  if (!prefetch) [row] = await executor.read<ViewerRow>("auth/viewer", params);
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

const VIEWER_COLUMNS = new Set(["user", "partner", "userRecord", "partnerRecord", "channelStats", FUSED_ROW]);

function dataColumns(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) if (!VIEWER_COLUMNS.has(key)) out[key] = value;
  return out;
}

/**
 * The organisation each recent caller belonged to at its last request: what a plan is built for
 * before the viewer is read. A user never changes organisation, but if the guess were wrong the
 * resolver would ask with the true one and the prefetched rows would simply go unused.
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
