import { Arg, Field, ID, InputType, Mutation, ObjectType, Resolver } from "type-graphql";
import { DateTimeISOResolver } from "graphql-scalars";
import { NotImplementedError } from "../../shared/errors.js";
import { ServiceRequestSeverity, ServiceRequestStatus } from "../../shared/graphql/enums.js";
import { Node } from "../../shared/graphql/node.js";

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
  @Field(() => ID, { nullable: true }) subscriptionId?: string | null;
  @Field(() => String) title!: string;
  @Field(() => String) description!: string;
  @Field(() => ServiceRequestSeverity) severity!: ServiceRequestSeverity;
}

@Resolver(() => ServiceRequest)
export class ServiceResolver {
  @Mutation(() => ServiceRequest)
  createServiceRequest(@Arg("input", () => CreateServiceRequestInput) _input: CreateServiceRequestInput): ServiceRequest {
    throw new NotImplementedError("createServiceRequest");
  }
}
