import { Field, ID, Int, ObjectType } from "type-graphql";
import { DateTimeISOResolver } from "graphql-scalars";
import { connectionTypes } from "../../shared/graphql/connection.js";
import { ProductFamily, ServiceHealthState, SubscriptionStatus } from "../../shared/graphql/enums.js";
import { Node } from "../../shared/graphql/node.js";
import { Provider, Reseller, type PartnerRecord } from "../partners/partner.type.js";
import type { Instant } from "../../shared/graphql/instant.js";

export interface CustomerRecord {
  id: string;
  companyName: string;
  companyNameLower: string;
  domain: string;
  countryCode: string;
  createdAt: Instant;
}

@ObjectType("Customer", { implements: Node, description: "An organisation that buys through a reseller and its provider." })
export class Customer extends Node {
  @Field(() => ID) override id!: string;
  @Field(() => String) companyName!: string;
  @Field(() => String, { description: "The customer's domain (its work accounts' email domain)." }) domain!: string;
  @Field(() => String) countryCode!: string;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
}

export const CustomerConnection = connectionTypes<CustomerRecord>("Customer", () => Customer);

export interface SubscriptionRecord {
  id: string;
  offerId: string;
  offerName: string;
  productFamily: string;
  quantity: number;
  status: string;
  createdAt: Instant;
  /** D-21: the reseller it was sold through; null when none, or outside the caller's view (T-3). */
  soldThrough: PartnerRecord | null;
  /** D-21: the provider that ordered it; null when none, or outside the caller's view (T-3). */
  orderedBy: PartnerRecord | null;
  /** D-19: the MPN ID the order that created it recorded; null when no order made it. */
  partnerIdOnRecord: string | null;
}

@ObjectType("CustomerSubscription", {
  implements: Node,
  description: "A customer's CSP subscription (named so that GraphQL's root `Subscription` type carries channelEvents, issue 14).",
})
export class CustomerSubscription extends Node {
  @Field(() => ID) override id!: string;
  @Field(() => ID) offerId!: string;
  @Field(() => String) offerName!: string;
  @Field(() => ProductFamily) productFamily!: ProductFamily;
  @Field(() => Int, { description: "Licenses (1..10,000)." }) quantity!: number;
  @Field(() => SubscriptionStatus, { description: "D-21: ACTIVE <-> SUSPENDED; ACTIVE or SUSPENDED -> CANCELLED (final)." })
  status!: SubscriptionStatus;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
  @Field(() => Reseller, {
    nullable: true,
    description: "The reseller it was sold through (D-21); null when none, or when the caller's organisation is not partnered with it (T-3).",
  })
  soldThrough!: PartnerRecord | null;
  @Field(() => Provider, {
    nullable: true,
    description: "The provider that ordered it (D-21); null when none, or when the caller's organisation is not partnered with it (T-3).",
  })
  orderedBy!: PartnerRecord | null;
  @Field(() => String, {
    nullable: true,
    description: "The reseller's MPN ID that the order creating it recorded as partner of record (D-19); null when no order created it.",
  })
  partnerIdOnRecord!: string | null;
}

export interface ChannelPathRecord {
  provider: PartnerRecord;
  reseller: PartnerRecord;
  providerCanOrder: boolean;
}

@ObjectType("ChannelPath", {
  description:
    "A provider->reseller partnership through which a customer is served (the reseller is its reseller of record).",
})
export class ChannelPath {
  @Field(() => Provider) provider!: Provider;
  @Field(() => Reseller) reseller!: Reseller;
  @Field(() => Boolean, { description: "The provider has its own reseller relationship with the customer, so it can order (D-12)." })
  providerCanOrder!: boolean;
}

@ObjectType("ServiceHealth", { description: "Status of a Microsoft cloud service the customer subscribes to (C2)." })
export class ServiceHealth {
  @Field(() => String) service!: string;
  @Field(() => ProductFamily) productFamily!: ProductFamily;
  @Field(() => ServiceHealthState) status!: ServiceHealthState;
  @Field(() => DateTimeISOResolver) updatedAt!: Date;
}
