import { Field, InputType } from "type-graphql";
import { PartnerKind } from "../../shared/graphql/enums.js";

@InputType("AddressInput")
export class AddressInput {
  @Field(() => String) line1!: string;
  @Field(() => String) city!: string;
  @Field(() => String) postalCode!: string;
  @Field(() => String, { description: "ISO 3166-1 alpha-2." }) countryCode!: string;
}

@InputType("ContactInput")
export class ContactInput {
  @Field(() => String) name!: string;
  @Field(() => String, { description: "Not at a web-based mail service (D-3)." }) email!: string;
  @Field(() => String, { nullable: true }) phone?: string | null;
}

@InputType("SupportContactInput")
export class SupportContactInput {
  @Field(() => String) email!: string;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) website?: string | null;
}

@InputType("GlobalAdminInput")
export class GlobalAdminInput {
  @Field(() => String) displayName!: string;
  @Field(() => String) email!: string;
  @Field(() => String) password!: string;
}

@InputType("EnrollPartnerInput", { description: "D-1..D-3." })
export class EnrollPartnerInput {
  @Field(() => PartnerKind) kind!: PartnerKind;
  @Field(() => String) legalName!: string;
  @Field(() => String) mpnId!: string;
  @Field(() => String, { description: "ISO 3166-1 alpha-2." }) countryCode!: string;
  @Field(() => String, { description: "The organisation's work-account domain." }) tenantDomain!: string;
  @Field(() => AddressInput) address!: AddressInput;
  @Field(() => ContactInput) primaryContact!: ContactInput;
  @Field(() => SupportContactInput) supportContact!: SupportContactInput;
  @Field(() => GlobalAdminInput) globalAdmin!: GlobalAdminInput;
}

@InputType("UpdatePartnerProfileInput")
export class UpdatePartnerProfileInput {
  @Field(() => SupportContactInput, { nullable: true }) supportContact?: SupportContactInput | null;
}
