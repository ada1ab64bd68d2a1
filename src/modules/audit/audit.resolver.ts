import { Args, Ctx, Query, Resolver } from "type-graphql";
import { caller } from "../../shared/auth/caller.js";
import type { Context } from "../../shared/context.js";
import { ConnectionArgs, timePageRequest, type Connection } from "../../shared/graphql/connection.js";
import { listAuditEvents } from "./audit.repository.js";
import { AuditEvent, AuditEventConnection, type AuditEventRecord } from "./audit.type.js";

@Resolver(() => AuditEvent)
export class AuditResolver {
  @Query(() => AuditEventConnection.connection, {
    description: "The caller's organisation's audit trail, newest first (global admins only, T-1).",
  })
  auditEvents(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context): Promise<Connection<AuditEventRecord>> {
    return listAuditEvents(ctx.executor, caller(ctx).partnerId, timePageRequest(args));
  }
}
