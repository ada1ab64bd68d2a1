import { Field, Int, ObjectType } from "type-graphql";

@ObjectType("ChannelStats", { description: "Counts within the caller's channel (operations.graphql, ChannelStats)." })
export class ChannelStats {
  @Field(() => Int, { description: "A reseller's indirect providers; 1 for a provider." }) providers!: number;
  @Field(() => Int, { description: "A provider's indirect resellers; 1 for a reseller." }) resellers!: number;
  @Field(() => Int, { description: "The caller's customers." }) customers!: number;
  @Field(() => Int, { description: "Customers shared with at least one partnered organisation (D-11)." }) sharedCustomers!: number;
  @Field(() => Int, { description: "Customers for which no provider can order (D-12)." }) customersWithoutProvider!: number;
}

/** What a caller without an organisation (none may ask) would read. */
export const NO_STATS: ChannelStats = { providers: 0, resellers: 0, customers: 0, sharedCustomers: 0, customersWithoutProvider: 0 };
