import { Ctx, Query, Resolver } from "type-graphql";
import { caller } from "../../shared/auth/caller.js";
import type { Context } from "../../shared/context.js";
import { statsLoaders } from "./stats.loaders.js";
import { ChannelStats, NO_STATS } from "./stats.type.js";

@Resolver(() => ChannelStats)
export class StatsResolver {
  @Query(() => ChannelStats)
  async channelStats(@Ctx() ctx: Context): Promise<ChannelStats> {
    const partnerId = caller(ctx).partnerId;
    return partnerId ? statsLoaders(ctx).channel.load(partnerId) : NO_STATS;
  }
}
