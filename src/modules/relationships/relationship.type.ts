import { Field, ID, ObjectType } from "type-graphql";
import { DateTimeISOResolver } from "graphql-scalars";
import { connectionTypes } from "../../shared/graphql/connection.js";
import { RelationshipRequestStatus } from "../../shared/graphql/enums.js";
import { Provider, type PartnerRecord } from "../partners/partner.type.js";

@ObjectType("EndCustomerRelationshipPayload", { description: "D-20: the caller's organisation is no longer a reseller of record of the customer." })
export class EndCustomerRelationshipPayload {
  @Field(() => ID) customerId!: string;
  @Field(() => DateTimeISOResolver) endedAt!: Date;
}

@ObjectType("EndPartnershipPayload", { description: "D-22: the partnership of the caller's organisation and this partner is ended." })
export class EndPartnershipPayload {
  @Field(() => ID, { description: "The other side of the ended partnership." }) partnerId!: string;
  @Field(() => DateTimeISOResolver) endedAt!: Date;
}

/** A PROVIDER_RESELLER request as the reseller it is addressed to reads it (D-23). */
export interface PartnershipInvitationRecord {
  id: string;
  status: string;
  createdAt: Date;
  expiresAt: Date;
  provider: PartnerRecord;
}

/**
 * The receiving side of a partnership invitation (D-23). A type of its own, not RelationshipRequest
 * with one more field: RelationshipRequest is the sender's view (the invited address, the kind),
 * and this one names the provider that sent it, which no sender's list needs. Same id as the
 * request; never its token (T-5).
 */
@ObjectType("PartnershipInvitation", { description: "A provider's invitation to become its indirect reseller, as the invited reseller sees it (D-23)." })
export class PartnershipInvitation {
  @Field(() => ID, { description: "The relationship request's id." }) id!: string;
  @Field(() => RelationshipRequestStatus) status!: RelationshipRequestStatus;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
  @Field(() => DateTimeISOResolver) expiresAt!: Date;
  @Field(() => Provider, { description: "The indirect provider that sent it (its public profile, T-3)." }) provider!: PartnerRecord;
}

export const PartnershipInvitationConnection = connectionTypes<PartnershipInvitationRecord>("PartnershipInvitation", () => PartnershipInvitation);
