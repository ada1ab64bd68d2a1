import { Arg, Ctx, Field, ID, InputType, Mutation, ObjectType, Resolver } from "type-graphql";
import { DateTimeISOResolver } from "graphql-scalars";
import { caller } from "../../shared/auth/caller.js";
import type { Context } from "../../shared/context.js";
import { BadUserInputError } from "../../shared/errors.js";
import { ServiceHealthState, ServiceRequestSeverity, ServiceRequestStatus } from "../../shared/graphql/enums.js";
import { Node } from "../../shared/graphql/node.js";
import { multilineText, text } from "../../shared/validation.js";
import { ServiceHealth } from "../customers/customer.type.js";
import { createServiceRequest, setServiceStatus, type ServiceRequestRecord } from "./service.repository.js";

@ObjectType("ServiceRequest", { implements: Node, description: "A service request for a customer (C3) or a Partner Center ticket (C7)." })
export class ServiceRequest extends Node {
  @Field(() => ID) override id!: string;
  @Field(() => String) title!: string;
  @Field(() => String) description!: string;
  @Field(() => ServiceRequestSeverity) severity!: ServiceRequestSeverity;
  @Field(() => ServiceRequestStatus) status!: ServiceRequestStatus;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
}

@InputType("CreateServiceRequestInput", { description: "customerId absent: a ticket for the partner itself (C7); present: on behalf (C3)." })
export class CreateServiceRequestInput {
  @Field(() => ID, { nullable: true }) customerId?: string | null;
  @Field(() => ID, { nullable: true, description: "Only with customerId: one of that customer's subscriptions." }) subscriptionId?: string | null;
  @Field(() => String, { description: "1..200 characters." }) title!: string;
  @Field(() => String, { description: "1..5,000 characters." }) description!: string;
  @Field(() => ServiceRequestSeverity) severity!: ServiceRequestSeverity;
}

const blankToNull = (value: string | null | undefined): string | null => (value === null || value === undefined || value.trim() === "" ? null : value.trim());

@Resolver(() => ServiceRequest)
export class ServiceResolver {
  @Mutation(() => ServiceRequest, {
    description: "A service request on behalf of a customer (C3) or a support ticket of the partner itself (C7).",
  })
  createServiceRequest(
    @Arg("input", () => CreateServiceRequestInput) input: CreateServiceRequestInput,
    @Ctx() ctx: Context,
  ): Promise<ServiceRequestRecord> {
    const customerId = blankToNull(input.customerId);
    const subscriptionId = blankToNull(input.subscriptionId);
    const title = text("input.title", input.title, 200);
    const description = multilineText("input.description", input.description, 5000);
    if (subscriptionId && !customerId) {
      throw new BadUserInputError(
        "input.subscriptionId",
        "C3",
        "a request about a subscription is made on behalf of its customer: give input.customerId too (without it, the request is a ticket of your own organisation, C7).",
      );
    }
    return createServiceRequest(
      ctx.executor,
      caller(ctx),
      { customerId, subscriptionId, title, description, severity: input.severity },
      ctx.services.clock.now(),
    );
  }

  @Mutation(() => ServiceHealth, { description: "Operator only: set the status of one Microsoft cloud service (read per customer with C2)." })
  setServiceStatus(
    @Arg("service", () => String, { description: "The service's name, e.g. \"Exchange Online\"." }) service: string,
    @Arg("status", () => ServiceHealthState) status: ServiceHealthState,
    @Ctx() ctx: Context,
  ): Promise<ServiceHealth> {
    return setServiceStatus(ctx.executor, caller(ctx), text("service", service, 100), status);
  }
}
