import { Ctx, Query, Resolver } from "type-graphql";
import type { Context } from "../../shared/context.js";
import { statsLoaders } from "./stats.loaders.js";
import { ChannelStats, NO_STATS } from "./stats.type.js";

@Resolver(() => ChannelStats)
export class StatsResolver {
  @Query(() => ChannelStats)
  async channelStats(@Ctx() ctx: Context): Promise<ChannelStats> {
    const partnerId = ctx.viewer?.partnerId;
    return partnerId ? statsLoaders(ctx).channel.load(partnerId) : NO_STATS;
  }
}
