import { DateTimeISOResolver } from "graphql-scalars";
import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { connectionTypes } from "../../shared/graphql/connection.js";
import { DelegatedAdminRole, DelegatedAdminStatus } from "../../shared/graphql/enums.js";
import { Customer, type CustomerRecord } from "../customers/customer.type.js";

/**
 * A granular delegated admin relationship (GDAP, D-25) as every query returns it
 * (cypher/fragments/delegated-admin.cypher, key for key): `status` and `endsAt` as read at the
 * request's time (EXPIRED and auto-extensions are computed, never stored).
 */
export interface DelegatedAdminRecord {
  id: string;
  status: string;
  roles: string[];
  durationDays: number;
  autoExtend: boolean;
  createdAt: Date;
  activatedAt: Date | null;
  endsAt: Date | null;
  terminatedAt: Date | null;
  /** Only while the caller's organisation is still its reseller of record (T-2). */
  customer: CustomerRecord | null;
}

@ObjectType("DelegatedAdminRelationship", {
  description:
    "Granular delegated admin (GDAP, D-25): one partner's roles in one customer's tenant, for 1-730 days. Status and endsAt are as of now: EXPIRED once endsAt has passed (or the approval link expired), unless it auto-extends by 180 days (never with GLOBAL_ADMINISTRATOR).",
})
export class DelegatedAdminRelationship {
  @Field(() => ID) id!: string;
  @Field(() => DelegatedAdminStatus) status!: DelegatedAdminStatus;
  @Field(() => [DelegatedAdminRole], { description: "In DelegatedAdminRole's order, no repeats." }) roles!: DelegatedAdminRole[];
  @Field(() => Int, { description: "1..730." }) durationDays!: number;
  @Field(() => Boolean, { description: "180 more days each time endsAt is reached while ACTIVE (D-25)." }) autoExtend!: boolean;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
  @Field(() => DateTimeISOResolver, { nullable: true, description: "When the customer approved it; null while PENDING_APPROVAL." })
  activatedAt!: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: "activatedAt + durationDays, plus the auto-extensions reached so far." })
  endsAt!: Date | null;
  @Field(() => DateTimeISOResolver, {
    nullable: true,
    description: "TERMINATED: when it was terminated; EXPIRED: endsAt (null for a request that expired unapproved); otherwise null.",
  })
  endedAt!: Date | null;
  @Field(() => Customer, { nullable: true, description: "Null once the customer is out of the caller's scope (T-2: the reseller relationship ended)." })
  customer!: CustomerRecord | null;
}

/** The GraphQL shape of a record: endedAt from the status it reads as. */
export function toRelationship(record: DelegatedAdminRecord): DelegatedAdminRelationship {
  const endedAt = record.status === "TERMINATED" ? record.terminatedAt : record.status === "EXPIRED" ? record.endsAt : null;
  return { ...record, status: record.status as DelegatedAdminStatus, roles: record.roles as DelegatedAdminRole[], endedAt };
}

export const DelegatedAdminRelationshipConnection = connectionTypes<DelegatedAdminRelationship>(
  "DelegatedAdminRelationship",
  () => DelegatedAdminRelationship,
);

@InputType("DelegatedAdminRequestInput", {
  description: "D-25: roles non-empty, durationDays 1..730, autoExtend (default true) never with GLOBAL_ADMINISTRATOR.",
})
export class DelegatedAdminRequestInput {
  @Field(() => [DelegatedAdminRole]) roles!: DelegatedAdminRole[];
  @Field(() => Int) durationDays!: number;
  @Field(() => Boolean, { nullable: true }) autoExtend?: boolean | null;
}

@InputType("DelegatedAdminWhere")
export class DelegatedAdminWhere {
  @Field(() => DelegatedAdminStatus, { nullable: true, description: "The status as read now (EXPIRED included)." }) status?: DelegatedAdminStatus | null;
  @Field(() => ID, { nullable: true }) customerId?: string | null;
}
