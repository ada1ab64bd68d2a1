import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { caller } from "../../shared/auth/caller.js";
import { hashLinkToken } from "../../shared/auth/tokens.js";
import type { Context } from "../../shared/context.js";
import { BadUserInputError } from "../../shared/errors.js";
import { ConnectionArgs, timePageRequest, type Connection } from "../../shared/graphql/connection.js";
import { RelationshipRequestStatus } from "../../shared/graphql/enums.js";
import { newId } from "../../shared/ids.js";
import { sendAfterCommit } from "../../shared/mail/mailer.js";
import { echo, email, emailDomain, isWebmail, text } from "../../shared/validation.js";
import { CustomerProfileInput } from "../customers/customer.input.js";
import { delegatedAdminTerms } from "../delegated-admin/delegated-admin.repository.js";
import { DelegatedAdminRequestInput, toRelationship } from "../delegated-admin/delegated-admin.type.js";
import type { CustomerRecord } from "../customers/customer.type.js";
import type { PartnerRecord } from "../partners/partner.type.js";
import { InviteResellerInput } from "./invitation.input.js";
import {
  customerRelationshipDraft,
  customerWithProviderDraft,
  delegatedAdminDraft,
  linkFor,
  LINK_PATHS,
  resellerInvitationDraft,
  type Draft,
  type Notice,
} from "./invitation.mail.js";
import {
  acceptRelationshipRequest,
  authorizeIndirectProvider,
  createCustomerInvitation,
  createDelegatedAdminRequest,
  createResellerInvitation,
  listRelationshipRequests,
  prepareRequest,
  revokeRelationshipRequest,
} from "./invitation.repository.js";
import {
  AcceptRelationshipRequestPayload,
  AuthorizeIndirectProviderPayload,
  RelationshipLinkPayload,
  RelationshipRequest,
  RelationshipRequestConnection,
  type RelationshipRequestRecord,
} from "./invitation.type.js";

/** A link token as received: never logged, only hashed for the lookup (T-5). */
function tokenArg(value: string): string {
  const token = value.trim();
  if (token === "" || token.length > 200) throw new BadUserInputError("token", "D-17", "is not a relationship link token.");
  return token;
}

/**
 * A customer's address (D-14, D-16): valid, and at the customer's own domain, since that domain
 * decides which customer the invitation binds to (D-18). A web-mail address names no organisation.
 */
function customerAddress(field: string, value: string): string {
  const address = email(field, value);
  if (isWebmail(address)) {
    throw new BadUserInputError(
      field,
      "D-18",
      `${echo(address)} is at a web-based mail service; the invitation binds to the customer of the address's domain, so use an address at the customer's own domain.`,
    );
  }
  return address;
}

/** The payload every creation returns; the same draft text is mailed once the request committed. */
async function deliver(
  ctx: Context,
  to: string,
  request: RelationshipRequestRecord,
  link: string,
  draft: Draft,
): Promise<RelationshipLinkPayload> {
  await sendAfterCommit(ctx.services.mailer, { to, subject: draft.subject, text: draft.text });
  return { request, link, emailDraft: draft.text, relationship: null };
}

/** D-24: the other party's primary contact is told, after the change committed. */
async function notify(ctx: Context, notices: Notice[]): Promise<void> {
  for (const notice of notices) await sendAfterCommit(ctx.services.mailer, notice);
}

@Resolver(() => RelationshipRequest)
export class InvitationResolver {
  @Query(() => RelationshipRequestConnection.connection, { description: "The requests the caller's organisation sent (T-1), newest first." })
  relationshipRequests(
    @Arg("status", () => RelationshipRequestStatus, { nullable: true }) status: RelationshipRequestStatus | null,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: Context,
  ): Promise<Connection<RelationshipRequestRecord>> {
    return listRelationshipRequests(ctx.executor, caller(ctx).partnerId, status ?? null, timePageRequest(args));
  }

  @Mutation(() => RelationshipLinkPayload, { description: "A provider invites an enrolled reseller (D-9, C13)." })
  async inviteReseller(@Arg("input", () => InviteResellerInput) input: InviteResellerInput, @Ctx() ctx: Context): Promise<RelationshipLinkPayload> {
    const viewer = caller(ctx);
    const resellerMpnId = text("input.resellerMpnId", input.resellerMpnId, 40);
    const to = email("input.email", input.email);
    const prepared = prepareRequest(ctx.services.clock.now());
    const { request, sender, resellerName } = await createResellerInvitation(ctx.executor, viewer, { resellerMpnId, email: to }, prepared);
    const link = linkFor(ctx.config.publicUrl, LINK_PATHS.PROVIDER_RESELLER, prepared.token);
    return deliver(ctx, to, request, link, resellerInvitationDraft(sender, resellerName, link, request.expiresAt));
  }

  @Mutation(() => AuthorizeIndirectProviderPayload, { description: "The reseller's global admin accepts a provider's invitation (D-9, C12)." })
  async authorizeIndirectProvider(
    @Arg("token", () => String) token: string,
    @Arg("acceptTerms", () => Boolean) acceptTerms: boolean,
    @Ctx() ctx: Context,
  ): Promise<{ provider: PartnerRecord }> {
    const viewer = caller(ctx);
    if (acceptTerms !== true) {
      throw new BadUserInputError("acceptTerms", "D-9", 'tick the box: authorizing an indirect provider needs acceptTerms: true.');
    }
    const { provider, notices } = await authorizeIndirectProvider(ctx.executor, viewer, hashLinkToken(tokenArg(token)), ctx.services.clock.now());
    await notify(ctx, notices);
    return { provider };
  }

  @Mutation(() => RelationshipLinkPayload, { description: "Ask a customer for a reseller relationship (D-14, C10)." })
  async requestResellerRelationship(@Arg("customerEmail", () => String) customerEmail: string, @Ctx() ctx: Context): Promise<RelationshipLinkPayload> {
    const viewer = caller(ctx);
    const to = customerAddress("customerEmail", customerEmail);
    const domain = emailDomain(to);
    const prepared = prepareRequest(ctx.services.clock.now());
    const { request, sender } = await createCustomerInvitation(ctx.executor, viewer, { email: to, domain, providerId: null }, prepared);
    const link = linkFor(ctx.config.publicUrl, LINK_PATHS.CUSTOMER, prepared.token);
    return deliver(ctx, to, request, link, customerRelationshipDraft(sender, domain, link, request.expiresAt));
  }

  @Mutation(() => RelationshipLinkPayload, { description: "Invite a new customer with an indirect provider (D-16, C10)." })
  async inviteCustomerWithProvider(
    @Arg("providerId", () => ID) providerId: string,
    @Arg("customerEmail", () => String) customerEmail: string,
    @Ctx() ctx: Context,
  ): Promise<RelationshipLinkPayload> {
    // The permission map lets only resellers through (canIn("C10", "RESELLER"), D-16).
    const viewer = caller(ctx);
    const to = customerAddress("customerEmail", customerEmail);
    const domain = emailDomain(to);
    const prepared = prepareRequest(ctx.services.clock.now());
    const { request, sender, providerName } = await createCustomerInvitation(ctx.executor, viewer, { email: to, domain, providerId }, prepared);
    const link = linkFor(ctx.config.publicUrl, LINK_PATHS.CUSTOMER, prepared.token);
    return deliver(ctx, to, request, link, customerWithProviderDraft(sender, providerName ?? "", domain, link, request.expiresAt));
  }

  @Mutation(() => AcceptRelationshipRequestPayload, { description: "Run by the customer holding the link; single-use (D-17, D-18)." })
  async acceptRelationshipRequest(
    @Arg("token", () => String) token: string,
    @Arg("customer", () => CustomerProfileInput, { nullable: true }) customer: CustomerProfileInput | null,
    @Ctx() ctx: Context,
  ): Promise<{ customer: CustomerRecord }> {
    const tokenHash = hashLinkToken(tokenArg(token));
    const { customer: bound, notices } = await acceptRelationshipRequest(ctx.executor, tokenHash, customer ?? null, {
      customerId: newId("Customer"),
      relationshipId: newId("DelegatedAdminRelationship"),
      now: ctx.services.clock.now(),
      domainNow: ctx.services.clock.now(),
    });
    await notify(ctx, notices);
    return { customer: bound };
  }

  @Mutation(() => RelationshipRequest, { description: "Revoke one of the caller's organisation's PENDING requests (D-17, C10, C13)." })
  revokeRelationshipRequest(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<RelationshipRequestRecord> {
    return revokeRelationshipRequest(ctx.executor, caller(ctx), id, ctx.services.clock.now(), ctx.services.clock.now());
  }

  @Mutation(() => RelationshipLinkPayload, {
    description:
      "Ask a customer for granular delegated admin (C4, D-25): roles, 1-730 days, auto-extend (default: the D-25 default set, 730 days, auto-extend on). The relationship is PENDING_APPROVAL until the customer accepts the link mailed to admin@<customer domain>.",
  })
  async requestDelegatedAdmin(
    @Arg("customerId", () => ID) customerId: string,
    @Arg("input", () => DelegatedAdminRequestInput, { nullable: true }) input: DelegatedAdminRequestInput | null,
    @Ctx() ctx: Context,
  ): Promise<RelationshipLinkPayload> {
    const viewer = caller(ctx);
    const terms = delegatedAdminTerms(input);
    const prepared = prepareRequest(ctx.services.clock.now());
    const { request, sender, customer, relationship } = await createDelegatedAdminRequest(ctx.executor, viewer, customerId, prepared, {
      relationshipId: newId("DelegatedAdminRelationship"),
      terms,
      now: ctx.services.clock.now(),
    });
    const link = linkFor(ctx.config.publicUrl, LINK_PATHS.CUSTOMER, prepared.token);
    const payload = await deliver(ctx, request.invitedEmail, request, link, delegatedAdminDraft(sender, customer.companyName, terms, link, request.expiresAt));
    return { ...payload, relationship: toRelationship(relationship) };
  }
}
