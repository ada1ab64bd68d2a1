import { recordAudit } from "../../shared/audit.js";
import { capabilityError, GLOBAL_ADMIN, MANAGES_GLOBAL_ADMINS } from "../../shared/auth/capabilities.js";
import type { AdminRole, AgentRole, Viewer } from "../../shared/auth/viewer.js";
import { ConflictError, ForbiddenError, NotFoundError } from "../../shared/errors.js";
import type { Connection, PageRequest } from "../../shared/graphql/connection.js";
import { readPage } from "../../shared/neo4j/batch.js";
import type { RequestExecutor, Tx } from "../../shared/neo4j/executor.js";
import { echo } from "../../shared/validation.js";
import type { UserRecord } from "./user.type.js";

export interface Credentials {
  user: UserRecord;
  passwordHash: string;
  sessionVersion: number;
}

export async function findCredentials(executor: RequestExecutor, email: string): Promise<Credentials | null> {
  const [row] = await executor.read<Credentials>("users/credentials", { email });
  return row ?? null;
}

export async function currentPasswordHash(executor: RequestExecutor, userId: string): Promise<string | null> {
  const [row] = await executor.read<{ passwordHash: string }>("users/password-hash", { userId });
  return row?.passwordHash ?? null;
}

/** null when the hash changed since it was read (a concurrent change won). */
export async function changePasswordHash(
  executor: RequestExecutor,
  userId: string,
  expectedHash: string,
  newHash: string,
): Promise<{ user: UserRecord; sessionVersion: number } | null> {
  const [row] = await executor.write<{ user: UserRecord; sessionVersion: number }>("users/change-password", { userId, expectedHash, newHash });
  return row ?? null;
}

export function listUsers(executor: RequestExecutor, viewerPartnerId: string | null, page: PageRequest): Promise<Connection<UserRecord>> {
  return readPage(executor, "users/list", { viewerPartnerId }, page, (u) => u.email);
}

// ---------------------------------------------------------------- user administration (C6, D-6, D-7)

interface AdminState {
  /** The caller's roles as they are now, under the organisation's lock (null: the caller is gone). */
  viewerAgentRole: AgentRole | null;
  viewerAdminRole: AdminRole | null;
  target: { id: string; agentRole: string; adminRole: string } | null;
  globalAdmins: number;
  emailTaken: boolean;
}

/**
 * Locks the caller's organisation (so that every check below holds until commit, even under
 * concurrent changes to its users), then reads the caller's current admin role, the target user
 * (only within the organisation, T-4) and the number of global admins.
 */
async function lockAndRead(tx: Tx, viewer: Viewer, targetUserId: string | null, email: string | null = null): Promise<AdminState> {
  const viewerPartnerId = viewer.partnerId;
  const [locked] = await tx.run("users/lock-org", { viewerPartnerId });
  if (!locked) throw new NotFoundError("Your organisation");
  const [state] = await tx.run<AdminState>("users/admin-state", {
    viewerPartnerId,
    viewerUserId: viewer.userId,
    targetUserId,
    email,
    globalAdminRole: GLOBAL_ADMIN,
  });
  // The roles may have changed since the request started: C6 is checked again under the lock,
  // with the roles read now (a user's organisation, and so its kind, never changes).
  const refused = capabilityError(
    { agentRole: state.viewerAgentRole ?? "NONE", adminRole: state.viewerAdminRole ?? "NONE", partnerKind: viewer.partnerKind },
    "C6",
  );
  if (refused) throw refused;
  return state;
}

/** Product decision: only a global admin grants, removes or takes over the global admin role (C6). */
function onlyGlobalAdmin(state: AdminState, what: string): void {
  if (state.viewerAdminRole === null || !MANAGES_GLOBAL_ADMINS.includes(state.viewerAdminRole)) {
    throw new ForbiddenError(`Only a global admin may ${what} (C6, product decision); a user management admin may not.`, "C6");
  }
}

function lastGlobalAdminConflict(what: string): ConflictError {
  return new ConflictError(`userId: this user is the organisation's last global admin and cannot be ${what}; make another user global admin first.`, "userId");
}

const isUnnamedConflict = (error: unknown) => error instanceof ConflictError && error.extensions.field === undefined;

/** D-6: a new user of the caller's organisation, with a temporary password to change at first sign-in (T-6). */
export async function addUser(
  executor: RequestExecutor,
  viewer: Viewer,
  user: { id: string; email: string; displayName: string; agentRole: string; adminRole: string },
  passwordHash: string,
): Promise<UserRecord> {
  const duplicate = () => new ConflictError(`input.email: ${echo(user.email)} is already a user's email (D-6).`, "input.email");
  try {
    return await executor.transaction("WRITE", async (tx) => {
      const state = await lockAndRead(tx, viewer, null, user.email);
      if (user.adminRole === GLOBAL_ADMIN) onlyGlobalAdmin(state, "create a global admin");
      if (state.emailTaken) throw duplicate();
      const [row] = await tx.run<{ user: UserRecord }>("users/create", { viewerPartnerId: viewer.partnerId, user, passwordHash });
      await recordAudit(tx, { operation: "addUser", viewer, targetIds: [user.id] });
      return row.user;
    });
  } catch (error) {
    // A concurrent addUser with the same email got past the check: the constraint caught it.
    throw isUnnamedConflict(error) ? duplicate() : error;
  }
}

/** D-7 roles of a user of the caller's organisation; never leaves it without a global admin. */
export async function updateUserRoles(
  executor: RequestExecutor,
  viewer: Viewer,
  userId: string,
  agentRole: string,
  adminRole: string,
): Promise<UserRecord> {
  return executor.transaction("WRITE", async (tx) => {
    const state = await lockAndRead(tx, viewer, userId);
    if (!state.target) throw new NotFoundError("User", echo(userId));
    const wasGa = state.target.adminRole === GLOBAL_ADMIN;
    if (wasGa !== (adminRole === GLOBAL_ADMIN)) onlyGlobalAdmin(state, wasGa ? "remove the global admin role" : "grant the global admin role");
    if (wasGa && adminRole !== GLOBAL_ADMIN && state.globalAdmins <= 1) throw lastGlobalAdminConflict("demoted");
    const [row] = await tx.run<{ user: UserRecord }>("users/update-roles", { viewerPartnerId: viewer.partnerId, userId, agentRole, adminRole });
    await recordAudit(tx, { operation: "updateUserRoles", viewer, targetIds: [userId] });
    return row.user;
  });
}

/** D-6: a new temporary password for a user of the caller's organisation (its sessions end). */
export async function resetUserPassword(executor: RequestExecutor, viewer: Viewer, userId: string, passwordHash: string): Promise<UserRecord> {
  return executor.transaction("WRITE", async (tx) => {
    const state = await lockAndRead(tx, viewer, userId);
    if (!state.target) throw new NotFoundError("User", echo(userId));
    // A user management admin who could reset a global admin's password could sign in as them.
    if (state.target.adminRole === GLOBAL_ADMIN) onlyGlobalAdmin(state, "reset a global admin's password");
    const [row] = await tx.run<{ user: UserRecord }>("users/set-temporary-password", { viewerPartnerId: viewer.partnerId, userId, passwordHash });
    await recordAudit(tx, { operation: "resetUserPassword", viewer, targetIds: [userId] });
    return row.user;
  });
}

/** Removes a user of the caller's organisation (possibly the caller), never the last global admin. */
export async function removeUser(executor: RequestExecutor, viewer: Viewer, userId: string): Promise<boolean> {
  return executor.transaction("WRITE", async (tx) => {
    const state = await lockAndRead(tx, viewer, userId);
    if (!state.target) throw new NotFoundError("User", echo(userId));
    if (state.target.adminRole === GLOBAL_ADMIN) {
      onlyGlobalAdmin(state, "remove a global admin");
      if (state.globalAdmins <= 1) throw lastGlobalAdminConflict("removed");
    }
    await tx.run("users/remove", { viewerPartnerId: viewer.partnerId, userId });
    await recordAudit(tx, { operation: "removeUser", viewer, targetIds: [userId] });
    return true;
  });
}
