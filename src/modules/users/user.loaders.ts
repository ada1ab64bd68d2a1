import { caller } from "../../shared/auth/caller.js";
import type { Context } from "../../shared/context.js";
import { byIdLoader } from "../../shared/neo4j/batch.js";
import type { UserRecord } from "./user.type.js";

export function userLoaders(ctx: Context) {
  return ctx.loaders.get("users", () => {
    const viewer = caller(ctx);
    return {
      byId: byIdLoader<UserRecord>(ctx.executor, "users/by-ids", { viewerPartnerId: viewer.partnerId, viewerUserId: viewer.userId }, "user"),
    };
  });
}
