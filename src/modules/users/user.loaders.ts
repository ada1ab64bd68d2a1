import type { Context } from "../../shared/context.js";
import { batchLoader } from "../../shared/neo4j/batch.js";
import type { UserRecord } from "./user.type.js";

export function userLoaders(ctx: Context) {
  return ctx.loaders.get("users", () => ({
    byId: batchLoader<UserRecord | null>(
      ctx.executor,
      "users/by-ids",
      { viewerPartnerId: ctx.viewer?.partnerId ?? null, viewerUserId: ctx.viewer?.userId ?? null },
      (row) => {
        const user = row.user as UserRecord;
        return [user.id, user];
      },
      () => null,
    ),
  }));
}
