import type { Viewer } from "./viewer.js";
import { UnauthenticatedError } from "../errors.js";

/**
 * The signed-in caller of this request (roles and organisation read from the graph, not the
 * token), and the one way modules get the caller's organisation: `caller(ctx).partnerId` is the
 * `$viewerPartnerId` every tenant-scoped query starts from (T-1..T-4), null for the operator,
 * whose scoped queries then find no partner's data (T-7).
 *
 * The permission map admits only signed-in callers to every field whose resolver or loader calls
 * this, and only users of an ACTIVE partner to every `can("Cn")` field (src/app/permissions.ts),
 * so the UNAUTHENTICATED error here guards a field mapped wrongly; a client never meets it.
 */
export function caller(ctx: { viewer: Viewer | null }): Viewer {
  if (!ctx.viewer) throw new UnauthenticatedError();
  return ctx.viewer;
}
