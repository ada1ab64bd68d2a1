import DataLoader from "dataloader";
import { caller } from "../../shared/auth/caller.js";
import type { Context } from "../../shared/context.js";
import { registerViewerRecord } from "../../shared/read-planner.js";
import { NO_STATS, type ChannelStats } from "./stats.type.js";

/**
 * ChannelStats of the caller's organisation (the only one a caller may ask for), by partner id.
 * Primed when the viewer query brought them along (auth/viewer.cypher; the operation selects channelStats).
 */
export function statsLoaders(ctx: Context) {
  return ctx.loaders.get("stats", () => ({
    channel: new DataLoader<string, ChannelStats>(async (partnerIds) =>
      Promise.all(
        partnerIds.map(async (viewerPartnerId) => (await ctx.executor.read<ChannelStats>("stats/channel", { viewerPartnerId }))[0] ?? NO_STATS),
      ),
    ),
  }));
}

registerViewerRecord<ChannelStats>("channelStats", (ctx, stats) => {
  const partnerId = caller(ctx).partnerId;
  if (partnerId) statsLoaders(ctx).channel.prime(partnerId, stats);
});
