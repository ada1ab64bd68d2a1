import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import type { Context } from "../../shared/context.js";
import { Node } from "../../shared/graphql/node.js";
import { kindOfId } from "../../shared/ids.js";
import { customerLoaders } from "../customers/customer.loaders.js";
import { offerLoaders } from "../offers/offer.resolver.js";
import { partnerLoaders } from "../partners/partner.loaders.js";
import { userLoaders } from "../users/user.loaders.js";

/**
 * Relay's node(id). Each kind goes through the same scoped loader as its own fields, so an
 * object outside the caller's scope is null here too, exactly like an id that never existed (T-4).
 */
@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true })
  async node(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<object | null> {
    switch (kindOfId(id)) {
      case "Partner":
        return partnerLoaders(ctx).byId.load(id);
      case "Customer":
        return customerLoaders(ctx).byId.load(id);
      case "Subscription":
        return customerLoaders(ctx).subscriptionById.load(id);
      case "User":
        return userLoaders(ctx).byId.load(id);
      case "Offer":
        return offerLoaders(ctx).byId.load(id);
      default:
        return null;
    }
  }
}
