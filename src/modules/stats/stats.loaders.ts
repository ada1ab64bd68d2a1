import DataLoader from "dataloader";
import type { Context } from "../../shared/context.js";
import { NO_STATS, type ChannelStats } from "./stats.type.js";

/**
 * ChannelStats of the caller's organisation (the only one a caller may ask for), by partner id.
 * The composition root primes it when the viewer query brought them along (auth/viewer.cypher).
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
