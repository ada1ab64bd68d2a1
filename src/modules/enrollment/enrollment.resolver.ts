import { Arg, Args, Ctx, Field, ID, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import type { Context } from "../../shared/context.js";
import { NotImplementedError } from "../../shared/errors.js";
import { ConnectionArgs, pageRequest, type Connection } from "../../shared/graphql/connection.js";
import { EnrollmentDecision } from "../../shared/graphql/enums.js";
import { readPage } from "../../shared/neo4j/batch.js";
import { Partner, PartnerConnection, PartnerProfile, type PartnerRecord } from "../partners/partner.type.js";
import { User, type UserRecord } from "../users/user.type.js";
import { EnrollPartnerInput, UpdatePartnerProfileInput } from "./enrollment.input.js";

@ObjectType("EnrollPartnerPayload")
export class EnrollPartnerPayload {
  @Field(() => Partner) partner!: PartnerRecord;
  @Field(() => User) globalAdmin!: UserRecord;
}

@Resolver()
export class EnrollmentResolver {
  @Query(() => PartnerConnection.connection, { description: "Enrollments waiting for review, oldest first (operator only, T-7)." })
  pendingEnrollments(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context): Promise<Connection<PartnerRecord & { createdAt: Date }>> {
    return readPage(ctx.executor, "enrollment/pending", {}, pageRequest(args), (p: PartnerRecord & { createdAt: Date }) =>
      p.createdAt.toISOString(),
    );
  }

  @Mutation(() => EnrollPartnerPayload, { description: "Enroll a provider or reseller (D-1..D-5)." })
  enrollPartner(@Arg("input", () => EnrollPartnerInput) _input: EnrollPartnerInput): EnrollPartnerPayload {
    throw new NotImplementedError("enrollPartner");
  }

  @Mutation(() => Partner, { description: "The primary contact confirms the address (D-4)." })
  verifyPrimaryContactEmail(@Arg("token", () => String) _token: string): PartnerRecord {
    throw new NotImplementedError("verifyPrimaryContactEmail");
  }

  @Mutation(() => Partner, { description: "Approve or reject an enrollment under review (operator only)." })
  reviewEnrollment(
    @Arg("partnerId", () => ID) _partnerId: string,
    @Arg("decision", () => EnrollmentDecision) _decision: EnrollmentDecision,
    @Arg("reason", () => String, { nullable: true }) _reason: string | null,
  ): PartnerRecord {
    throw new NotImplementedError("reviewEnrollment");
  }

  @Mutation(() => PartnerProfile, { description: "Update the caller's organisation profile (C9)." })
  updatePartnerProfile(@Arg("input", () => UpdatePartnerProfileInput) _input: UpdatePartnerProfileInput): PartnerProfile {
    throw new NotImplementedError("updatePartnerProfile");
  }
}
