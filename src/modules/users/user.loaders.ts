import type { Context } from "../../shared/context.js";
import { byIdLoader } from "../../shared/neo4j/batch.js";
import type { UserRecord } from "./user.type.js";

export function userLoaders(ctx: Context) {
  return ctx.loaders.get("users", () => ({
    byId: byIdLoader<UserRecord>(
      ctx.executor,
      "users/by-ids",
      { viewerPartnerId: ctx.viewer?.partnerId ?? null, viewerUserId: ctx.viewer?.userId ?? null },
      "user",
    ),
  }));
}
