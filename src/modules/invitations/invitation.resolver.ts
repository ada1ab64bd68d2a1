import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../shared/context.js";
import { NotImplementedError } from "../../shared/errors.js";
import { ConnectionArgs, pageRequest, type Connection } from "../../shared/graphql/connection.js";
import { readPage } from "../../shared/neo4j/batch.js";
import { RelationshipRequestStatus } from "../../shared/graphql/enums.js";
import { CustomerProfileInput } from "../customers/customer.input.js";
import { InviteResellerInput } from "./invitation.input.js";
import {
  AcceptRelationshipRequestPayload,
  AuthorizeIndirectProviderPayload,
  RelationshipLinkPayload,
  RelationshipRequest,
  RelationshipRequestConnection,
  type RelationshipRequestRecord,
} from "./invitation.type.js";

@Resolver(() => RelationshipRequest)
export class InvitationResolver {
  @Query(() => RelationshipRequestConnection.connection, { description: "The requests the caller's organisation sent (T-1), newest first." })
  relationshipRequests(
    @Arg("status", () => RelationshipRequestStatus, { nullable: true }) status: RelationshipRequestStatus | null,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: Context,
  ): Promise<Connection<RelationshipRequestRecord>> {
    return readPage(
      ctx.executor,
      "invitations/list",
      { viewerPartnerId: ctx.viewer?.partnerId ?? null, status: status ?? null },
      pageRequest(args),
      (r: RelationshipRequestRecord) => r.createdAt.toISOString(),
    );
  }

  @Mutation(() => RelationshipLinkPayload, { description: "A provider invites an enrolled reseller (D-9, C13)." })
  inviteReseller(@Arg("input", () => InviteResellerInput) _input: InviteResellerInput): RelationshipLinkPayload {
    throw new NotImplementedError("inviteReseller");
  }

  @Mutation(() => AuthorizeIndirectProviderPayload, { description: "The reseller's global admin accepts a provider's invitation (D-9, C12)." })
  authorizeIndirectProvider(
    @Arg("token", () => String) _token: string,
    @Arg("acceptTerms", () => Boolean) _acceptTerms: boolean,
  ): AuthorizeIndirectProviderPayload {
    throw new NotImplementedError("authorizeIndirectProvider");
  }

  @Mutation(() => RelationshipLinkPayload, { description: "Ask a customer for a reseller relationship (D-14, C10)." })
  requestResellerRelationship(@Arg("customerEmail", () => String) _customerEmail: string): RelationshipLinkPayload {
    throw new NotImplementedError("requestResellerRelationship");
  }

  @Mutation(() => RelationshipLinkPayload, { description: "Invite a new customer with an indirect provider (D-16, C10)." })
  inviteCustomerWithProvider(
    @Arg("providerId", () => ID) _providerId: string,
    @Arg("customerEmail", () => String) _customerEmail: string,
  ): RelationshipLinkPayload {
    throw new NotImplementedError("inviteCustomerWithProvider");
  }

  @Mutation(() => AcceptRelationshipRequestPayload, { description: "Run by the customer holding the link; single-use (D-17, D-18)." })
  acceptRelationshipRequest(
    @Arg("token", () => String) _token: string,
    @Arg("customer", () => CustomerProfileInput, { nullable: true }) _customer: CustomerProfileInput | null,
  ): AcceptRelationshipRequestPayload {
    throw new NotImplementedError("acceptRelationshipRequest");
  }

  @Mutation(() => RelationshipRequest)
  revokeRelationshipRequest(@Arg("id", () => ID) _id: string): RelationshipRequest {
    throw new NotImplementedError("revokeRelationshipRequest");
  }

  @Mutation(() => RelationshipLinkPayload, { description: "Ask a customer for delegated admin privileges (C4)." })
  requestDelegatedAdmin(@Arg("customerId", () => ID) _customerId: string): RelationshipLinkPayload {
    throw new NotImplementedError("requestDelegatedAdmin");
  }
}
