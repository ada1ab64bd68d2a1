import { Field, ID, InputType } from "type-graphql";

@InputType("CustomerWhere")
export class CustomerWhere {
  @Field(() => String, { nullable: true, description: "Case-insensitive part of the company name or domain." })
  search?: string | null;

  @Field(() => String, { nullable: true, description: "ISO 3166-1 alpha-2." })
  countryCode?: string | null;

  @Field(() => ID, { nullable: true, description: "Only customers shared with this partnered organisation (D-11)." })
  sharedWithPartnerId?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "D-27: true, only the customers without a provider in the caller's channel (the list behind channelStats.customersWithoutProvider); false, only those with one; absent, all.",
  })
  withoutProvider?: boolean | null;
}

@InputType("CustomerProfileInput", { description: "Only for a customer new to the graph; its domain must be the invited address's domain." })
export class CustomerProfileInput {
  @Field(() => String) companyName!: string;
  @Field(() => String) domain!: string;
  @Field(() => String) countryCode!: string;
}
