import { Field, ID, InterfaceType, ObjectType } from "type-graphql";
import { DateTimeISOResolver } from "graphql-scalars";
import { connectionTypes } from "../../shared/graphql/connection.js";
import { EnrollmentStatus, PartnerKind } from "../../shared/graphql/enums.js";
import { Node } from "../../shared/graphql/node.js";
import type { CustomerRecord } from "../customers/customer.type.js";
import type { Instant } from "../../shared/graphql/instant.js";

/** What the graph holds of a partner that any partnered organisation may see (T-3). */
export interface PartnerRecord {
  id: string;
  kind: "PROVIDER" | "RESELLER";
  name: string;
  nameLower: string;
  mpnId: string;
  countryCode: string;
  enrollmentStatus: string;
  /** When the partnership edge with the caller's organisation was made, where one exists. */
  partnerSince?: Instant | null;
  /** The sharedCustomers page fetched with a partner list (look-ahead); null when not asked for. */
  sharedCustomers?: { totalCount: number; nodes: CustomerRecord[] } | null;
}

@InterfaceType("Partner", {
  implements: Node,
  description: "An organisation enrolled in CSP: an indirect provider or an indirect reseller.",
  resolveType: (value: PartnerRecord) => (value.kind === "PROVIDER" ? "Provider" : "Reseller"),
})
export abstract class Partner extends Node {
  @Field(() => ID)
  override id!: string;

  @Field(() => String, { description: "Legal business name." })
  name!: string;

  @Field(() => PartnerKind)
  kind!: PartnerKind;

  @Field(() => String, { description: "MPN ID (Partner Membership Center)." })
  mpnId!: string;

  @Field(() => String, { description: "ISO 3166-1 alpha-2." })
  countryCode!: string;

  @Field(() => EnrollmentStatus)
  enrollmentStatus!: EnrollmentStatus;

  @Field(() => DateTimeISOResolver, {
    nullable: true,
    description: "When this organisation and the caller's became partners (INDIRECT_PROVIDER_OF), if they are.",
  })
  partnerSince?: Date | null;
}

@ObjectType("Provider", { implements: [Node, Partner], description: "An indirect provider (distributor)." })
export class Provider extends Partner {}

@ObjectType("Reseller", { implements: [Node, Partner], description: "An indirect reseller." })
export class Reseller extends Partner {}

export const ResellerConnection = connectionTypes<PartnerRecord>("Reseller", () => Reseller);
export const ProviderConnection = connectionTypes<PartnerRecord>("Provider", () => Provider);
export const PartnerConnection = connectionTypes<PartnerRecord>("Partner", () => Partner);

@ObjectType("Address")
export class Address {
  @Field(() => String) line1!: string;
  @Field(() => String) city!: string;
  @Field(() => String) postalCode!: string;
  @Field(() => String) countryCode!: string;
}

@ObjectType("Contact")
export class Contact {
  @Field(() => String) name!: string;
  @Field(() => String) email!: string;
  @Field(() => String, { nullable: true }) phone!: string | null;
}

@ObjectType("SupportContact")
export class SupportContact {
  @Field(() => String) email!: string;
  @Field(() => String, { nullable: true }) phone!: string | null;
  @Field(() => String, { nullable: true }) website!: string | null;
}

@ObjectType("PartnerProfile", { description: "The caller's own organisation profile (C8)." })
export class PartnerProfile {
  @Field(() => ID) id!: string;
  @Field(() => PartnerKind) kind!: PartnerKind;
  @Field(() => String) legalName!: string;
  @Field(() => String) mpnId!: string;
  @Field(() => String) countryCode!: string;
  @Field(() => String) tenantDomain!: string;
  @Field(() => EnrollmentStatus) enrollmentStatus!: EnrollmentStatus;
  @Field(() => Address) address!: Address;
  @Field(() => Contact) primaryContact!: Contact;
  @Field(() => SupportContact) supportContact!: SupportContact;
}
