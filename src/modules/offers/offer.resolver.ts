import { Ctx, Query, Resolver } from "type-graphql";
import type { Context } from "../../shared/context.js";
import { byIdLoader } from "../../shared/neo4j/batch.js";
import { Offer, type OfferRecord } from "./offer.type.js";

export function offerLoaders(ctx: Context) {
  return ctx.loaders.get("offers", () => ({
    byId: byIdLoader<OfferRecord>(ctx.executor, "offers/by-ids", {}, "offer"),
  }));
}

@Resolver(() => Offer)
export class OfferResolver {
  @Query(() => [Offer], { description: "The catalogue: a short list, so not paged." })
  async offers(@Ctx() ctx: Context): Promise<OfferRecord[]> {
    const rows = await ctx.executor.read<{ offer: OfferRecord }>("offers/list");
    return rows.map((row) => row.offer);
  }
}
