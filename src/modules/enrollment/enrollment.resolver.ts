import { Arg, Args, Ctx, Field, ID, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import { caller } from "../../shared/auth/caller.js";
import type { Context } from "../../shared/context.js";
import { hashPassword } from "../../shared/auth/password.js";
import { hashLinkToken, newLinkToken } from "../../shared/auth/tokens.js";
import { BadUserInputError } from "../../shared/errors.js";
import { newId } from "../../shared/ids.js";
import { sendAfterCommit } from "../../shared/mail/mailer.js";
import { multilineText, optionalMultilineText } from "../../shared/validation.js";
import { ConnectionArgs, timePageRequest, type Connection } from "../../shared/graphql/connection.js";
import { EnrollmentDecision } from "../../shared/graphql/enums.js";
import { readPage } from "../../shared/neo4j/batch.js";
import { Partner, PartnerConnection, PartnerProfile, type PartnerRecord } from "../partners/partner.type.js";
import { User, type UserRecord } from "../users/user.type.js";
import { EnrollPartnerInput, UpdatePartnerProfileInput } from "./enrollment.input.js";
import { decisionMail, underReviewMail, VERIFICATION_DAYS, verificationMail } from "./enrollment.mail.js";
import { createEnrollment, decideEnrollment, updateSupportContact, verifyEnrollmentEmail } from "./enrollment.repository.js";
import { supportContact, validateEnrollment } from "./enrollment.validation.js";

@ObjectType("EnrollPartnerPayload")
export class EnrollPartnerPayload {
  @Field(() => Partner) partner!: PartnerRecord;
  @Field(() => User) globalAdmin!: UserRecord;
}

@Resolver()
export class EnrollmentResolver {
  @Query(() => PartnerConnection.connection, { description: "Enrollments waiting for review, oldest first (operator only, T-7)." })
  pendingEnrollments(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context): Promise<Connection<PartnerRecord & { createdAt: Date }>> {
    return readPage(ctx.executor, "enrollment/pending", {}, timePageRequest(args), (p: PartnerRecord & { createdAt: Date }) =>
      p.createdAt.toISOString(),
    );
  }

  @Mutation(() => EnrollPartnerPayload, { description: "Enroll a provider or reseller (D-1..D-5)." })
  async enrollPartner(@Arg("input", () => EnrollPartnerInput) input: EnrollPartnerInput, @Ctx() ctx: Context): Promise<EnrollPartnerPayload> {
    const valid = validateEnrollment(input);
    // Everything random or slow is made before the transaction, so a retried callback writes the same values.
    const { token, tokenHash } = newLinkToken();
    const expiresAt = new Date(Date.now() + VERIFICATION_DAYS * 24 * 60 * 60 * 1000);
    // scrypt for an anonymous caller: within the process's bound on password work (RATE_LIMITED when full).
    const passwordHash = await (ctx.services.passwords?.hash(valid.globalAdmin.password) ?? hashPassword(valid.globalAdmin.password));
    const created = await createEnrollment(ctx.executor, {
      partner: {
        id: newId("Partner"),
        kind: valid.kind,
        name: valid.legalName,
        mpnId: valid.mpnId,
        countryCode: valid.countryCode,
        tenantDomain: valid.tenantDomain,
        addressLine1: valid.address.line1,
        addressCity: valid.address.city,
        addressPostalCode: valid.address.postalCode,
        addressCountryCode: valid.address.countryCode,
        primaryContactName: valid.primaryContact.name,
        primaryContactEmail: valid.primaryContact.email,
        primaryContactPhone: valid.primaryContact.phone,
        supportEmail: valid.supportContact.email,
        supportPhone: valid.supportContact.phone,
        supportWebsite: valid.supportContact.website,
      },
      admin: { id: newId("User"), email: valid.globalAdmin.email, displayName: valid.globalAdmin.displayName, passwordHash },
      verificationTokenHash: tokenHash,
      verificationExpiresAt: expiresAt,
    });
    await sendAfterCommit(
      ctx.services.mailer,
      verificationMail({
        to: valid.primaryContact.email,
        contactName: valid.primaryContact.name,
        legalName: valid.legalName,
        mpnId: valid.mpnId,
        link: `${ctx.config.publicUrl}/verify-email?token=${token}`,
        expiresAt,
      }),
    );
    return created;
  }

  @Mutation(() => Partner, {
    description:
      "The primary contact confirms the address (D-4): PENDING_EMAIL_VERIFICATION -> UNDER_REVIEW. An unknown token is NOT_FOUND; a used or expired one CONFLICT.",
  })
  async verifyPrimaryContactEmail(@Arg("token", () => String) token: string, @Ctx() ctx: Context): Promise<PartnerRecord> {
    const trimmed = token.trim();
    if (trimmed === "" || trimmed.length > 200) throw new BadUserInputError("token", "required", "must be the token of the verification link.");
    const verified = await verifyEnrollmentEmail(ctx.executor, hashLinkToken(trimmed), new Date());
    await sendAfterCommit(
      ctx.services.mailer,
      underReviewMail({ to: verified.contactEmail, contactName: verified.contactName, legalName: verified.partner.name }),
    );
    return verified.partner;
  }

  @Mutation(() => Partner, { description: "Approve or reject an enrollment under review (operator only); a reason is required to reject." })
  async reviewEnrollment(
    @Arg("partnerId", () => ID) partnerId: string,
    @Arg("decision", () => EnrollmentDecision) decision: EnrollmentDecision,
    @Arg("reason", () => String, { nullable: true }) reason: string | null,
    @Ctx() ctx: Context,
  ): Promise<PartnerRecord> {
    const approved = decision === EnrollmentDecision.APPROVE;
    const why = approved ? optionalMultilineText("reason", reason, 2000) : multilineText("reason", reason ?? "", 2000);
    const decided = await decideEnrollment(ctx.executor, caller(ctx), partnerId, approved ? "ACTIVE" : "REJECTED", why);
    await sendAfterCommit(
      ctx.services.mailer,
      decisionMail({
        to: decided.contactEmail,
        contactName: decided.contactName,
        legalName: decided.partner.name,
        approved,
        reason: why,
        signInUrl: ctx.config.publicUrl,
      }),
    );
    return decided.partner;
  }

  @Mutation(() => PartnerProfile, { description: "Update the caller's organisation profile (C9): its support contact, replaced as a whole." })
  updatePartnerProfile(@Arg("input", () => UpdatePartnerProfileInput) input: UpdatePartnerProfileInput, @Ctx() ctx: Context): Promise<PartnerProfile> {
    if (!input.supportContact) {
      throw new BadUserInputError("input.supportContact", "required", "is the part of the profile that can be updated; give it.");
    }
    return updateSupportContact(ctx.executor, caller(ctx), supportContact("input.supportContact", input.supportContact));
  }
}
