import { Arg, Args, Ctx, Query, Resolver } from "type-graphql";
import { caller } from "../../shared/auth/caller.js";
import type { Context } from "../../shared/context.js";
import { readableEventTypes } from "../../shared/events.js";
import { ConnectionArgs, type Connection } from "../../shared/graphql/connection.js";
import { ChannelEventConnection, EventWhere, type ChannelEventRecord } from "./channel-event.type.js";
import { eventsQuery } from "./events.plans.js";
import { listEvents } from "./events.repository.js";

@Resolver()
export class EventsResolver {
  @Query(() => ChannelEventConnection.connection, {
    description:
      "D-28, D-29: the channel events that concern the caller's organisation, of the types its user's roles read (C16 partnerships; C1 customers, orders, subscriptions; C4 or C1 delegated admin), newest first; keyset-paged.",
  })
  events(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("where", () => EventWhere, { nullable: true }) where: EventWhere | null,
    @Ctx() ctx: Context,
  ): Promise<Connection<ChannelEventRecord>> {
    const viewer = caller(ctx);
    const { page, read } = eventsQuery(args, where, viewer.partnerId, readableEventTypes(viewer));
    return listEvents(ctx.executor, read, page);
  }
}
