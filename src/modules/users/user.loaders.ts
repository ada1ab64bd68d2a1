import { caller } from "../../shared/auth/caller.js";
import type { Context } from "../../shared/context.js";
import { byIdLoader } from "../../shared/neo4j/batch.js";
import { registerViewerRecord } from "../../shared/read-planner.js";
import type { UserRecord } from "./user.type.js";

export function userLoaders(ctx: Context) {
  return ctx.loaders.get("users", () => {
    const viewer = caller(ctx);
    return {
      byId: byIdLoader<UserRecord>(ctx.executor, "users/by-ids", { viewerPartnerId: viewer.partnerId, viewerUserId: viewer.userId }, "user"),
    };
  });
}

// The viewer query brings the caller's own user record along: `me` needs no further query.
registerViewerRecord<UserRecord>("userRecord", (ctx, record) => userLoaders(ctx).byId.prime(record.id, record));
