import { Field, ID, ObjectType } from "type-graphql";
import { DateTimeISOResolver } from "graphql-scalars";
import { connectionTypes } from "../../shared/graphql/connection.js";
import { RelationshipRequestKind, RelationshipRequestStatus } from "../../shared/graphql/enums.js";
import { Node } from "../../shared/graphql/node.js";
import { Customer, type CustomerRecord } from "../customers/customer.type.js";
import { DelegatedAdminRelationship } from "../delegated-admin/delegated-admin.type.js";
import { Provider, type PartnerRecord } from "../partners/partner.type.js";

export interface RelationshipRequestRecord {
  id: string;
  kind: string;
  status: string;
  createdAt: Date;
  expiresAt: Date;
  invitedEmail: string;
}

@ObjectType("RelationshipRequest", {
  implements: Node,
  description: "A partnership or customer invitation. Its token is shown once, at creation, and stored only as a hash (D-17).",
})
export class RelationshipRequest extends Node {
  @Field(() => ID) override id!: string;
  @Field(() => RelationshipRequestKind) kind!: RelationshipRequestKind;
  @Field(() => RelationshipRequestStatus) status!: RelationshipRequestStatus;
  @Field(() => String, { description: "The address the invitation was sent to." }) invitedEmail!: string;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
  @Field(() => DateTimeISOResolver) expiresAt!: Date;
}

export const RelationshipRequestConnection = connectionTypes<RelationshipRequestRecord>("RelationshipRequest", () => RelationshipRequest);

@ObjectType("RelationshipLinkPayload", { description: "A new request with its personalised link and an editable draft email (D-14)." })
export class RelationshipLinkPayload {
  @Field(() => RelationshipRequest) request!: RelationshipRequestRecord;
  @Field(() => String, { description: "Carries the single-use token; shown only in this answer." }) link!: string;
  @Field(() => String) emailDraft!: string;
  @Field(() => DelegatedAdminRelationship, {
    nullable: true,
    description: "A DELEGATED_ADMIN request's relationship, PENDING_APPROVAL until the customer accepts the link (D-25); null for other kinds.",
  })
  relationship!: DelegatedAdminRelationship | null;
}

@ObjectType("AuthorizeIndirectProviderPayload")
export class AuthorizeIndirectProviderPayload {
  @Field(() => Provider) provider!: PartnerRecord;
}

@ObjectType("AcceptRelationshipRequestPayload")
export class AcceptRelationshipRequestPayload {
  @Field(() => Customer) customer!: CustomerRecord;
}
