import { Arg, ID, Int, Mutation, Resolver } from "type-graphql";
import { NotImplementedError } from "../../shared/errors.js";
import { Subscription, type SubscriptionRecord } from "../customers/customer.type.js";
import { SubmitOrderInput, SubmitOrderPayload } from "./order.type.js";

@Resolver()
export class OrderResolver {
  @Mutation(() => SubmitOrderPayload, { description: "A provider orders for a customer it shares with the reseller (D-10, D-12, D-19, C14)." })
  submitOrder(@Arg("input", () => SubmitOrderInput) _input: SubmitOrderInput): SubmitOrderPayload {
    throw new NotImplementedError("submitOrder");
  }

  @Mutation(() => Subscription, { description: "Change the licenses of a subscription (C5)." })
  updateSubscriptionQuantity(
    @Arg("subscriptionId", () => ID) _subscriptionId: string,
    @Arg("quantity", () => Int) _quantity: number,
  ): SubscriptionRecord {
    throw new NotImplementedError("updateSubscriptionQuantity");
  }
}
