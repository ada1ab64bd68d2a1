import type { Connection, PageRequest } from "../../shared/graphql/connection.js";
import { readPage } from "../../shared/neo4j/batch.js";
import type { RequestExecutor } from "../../shared/neo4j/executor.js";
import type { UserRecord } from "./user.type.js";

export async function findCredentials(executor: RequestExecutor, email: string): Promise<{ user: UserRecord; passwordHash: string } | null> {
  const [row] = await executor.read<{ user: UserRecord; passwordHash: string }>("users/credentials", { email });
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
): Promise<UserRecord | null> {
  const [row] = await executor.write<{ user: UserRecord }>("users/change-password", { userId, expectedHash, newHash });
  return row?.user ?? null;
}

export function listUsers(executor: RequestExecutor, viewerPartnerId: string | null, page: PageRequest): Promise<Connection<UserRecord>> {
  return readPage(executor, "users/list", { viewerPartnerId }, page, (u) => u.email);
}
