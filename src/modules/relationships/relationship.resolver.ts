import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { caller } from "../../shared/auth/caller.js";
import { requiredId } from "../../shared/validation.js";
import type { Context } from "../../shared/context.js";
import { ConnectionArgs, timePageRequest, type Connection } from "../../shared/graphql/connection.js";
import { sendAfterCommit } from "../../shared/mail/mailer.js";
import { invitationDeclinedNotice, partnershipEndedNotice, type Notice } from "./relationship.mail.js";
import { declinePartnershipInvitation, endCustomerRelationship, endPartnership, listReceivedInvitations } from "./relationship.repository.js";
import {
  EndCustomerRelationshipPayload,
  EndPartnershipPayload,
  PartnershipInvitation,
  PartnershipInvitationConnection,
  type PartnershipInvitationRecord,
} from "./relationship.type.js";

/** D-24: after commit, to a primary contact when the organisation has one; a failed delivery is logged, not an error. */
async function notify(ctx: Context, to: string | null, notice: Notice): Promise<void> {
  if (to) await sendAfterCommit(ctx.services.mailer, { to, subject: notice.subject, text: notice.text });
}

/** Ending relationships (D-20, D-22) and received partnership invitations (D-23). */
@Resolver()
export class RelationshipResolver {
  @Mutation(() => EndCustomerRelationshipPayload, {
    description:
      "End the caller's organisation's own reseller relationship with a customer (D-20, C17). CONFLICT with extensions.subscriptionIds while subscriptions sold through or ordered by it are ACTIVE.",
  })
  endCustomerRelationship(@Arg("customerId", () => ID) customerId: string, @Ctx() ctx: Context): Promise<{ customerId: string; endedAt: Date }> {
    return endCustomerRelationship(ctx.executor, caller(ctx), requiredId("customerId", customerId), ctx.services.clock.now());
  }

  @Mutation(() => EndPartnershipPayload, {
    description: "End the partnership with an indirect provider or reseller, from either side (D-22; C12 for a reseller, C13 for a provider).",
  })
  async endPartnership(@Arg("partnerId", () => ID) partnerId: string, @Ctx() ctx: Context): Promise<{ partnerId: string; endedAt: Date }> {
    const ended = await endPartnership(ctx.executor, caller(ctx), requiredId("partnerId", partnerId), ctx.services.clock.now());
    await notify(ctx, ended.recipient.contactEmail, partnershipEndedNotice(ended.me, ended.recipient, ended.endedAt));
    return { partnerId: ended.partnerId, endedAt: ended.endedAt };
  }

  @Query(() => PartnershipInvitationConnection.connection, {
    description: "The PENDING partnership invitations addressed to the caller's reseller, newest first, without their tokens (D-23, C12).",
  })
  receivedPartnershipInvitations(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context): Promise<Connection<PartnershipInvitationRecord>> {
    return listReceivedInvitations(ctx.executor, caller(ctx).partnerId, ctx.now, timePageRequest(args));
  }

  @Mutation(() => PartnershipInvitation, { description: "Decline a PENDING partnership invitation addressed to the caller's reseller (D-23, C12); its link stops working." })
  async declinePartnershipInvitation(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<PartnershipInvitationRecord> {
    const now = ctx.services.clock.now();
    const declined = await declinePartnershipInvitation(ctx.executor, caller(ctx), requiredId("id", id), now);
    await notify(ctx, declined.recipient.contactEmail, invitationDeclinedNotice(declined.reseller, declined.recipient, declined.invitation, new Date(now)));
    return declined.invitation;
  }
}
