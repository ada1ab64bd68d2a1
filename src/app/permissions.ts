// First: the rules below read subscriptions through a module's loaders, whose type-graphql
// decorators need the metadata polyfill loaded (server.ts imports this file before schema.ts).
import "reflect-metadata";
import type { GraphQLResolveInfo } from "graphql";
import { allow, chain, deny, or, rule, shield } from "graphql-shield";
import { customerLoaders } from "../modules/customers/customer.loaders.js";
import type { Viewer } from "../shared/auth/viewer.js";
import type { Context } from "../shared/context.js";
import { ForbiddenError, PasswordChangeRequiredError, UnauthenticatedError } from "../shared/errors.js";
import { CAPABILITIES, refusal, type Capability, type CapabilityId } from "./capabilities.js";

/**
 * The single authorization layer (ROLES.md). Deny by default: a field without a rule here is
 * refused, so nothing added later is open by accident. Rules are named after the capabilities
 * C1..C16; tenant scope (T-1..T-7) is enforced in the Cypher, since a rule cannot filter a list.
 * Rules that only read the viewer are cached per request ("contextual").
 */

const signedIn = rule("signedIn", { cache: "contextual" })((_parent, _args, ctx: Context) =>
  ctx.viewer ? true : new UnauthenticatedError(),
);

/** T-6: a temporary password allows nothing but C15. */
const passwordChanged = rule("passwordChanged", { cache: "contextual" })((_parent, _args, ctx: Context) =>
  ctx.viewer?.mustChangePassword ? new PasswordChangeRequiredError() : true,
);

/** Users of a partner that is not ACTIVE (D-4) may sign in and read `me` only. */
const activePartnerUser = rule("activePartnerUser", { cache: "contextual" })((_parent, _args, ctx: Context) => {
  const viewer = ctx.viewer;
  if (!viewer?.partnerId) return new ForbiddenError("Only partner users may do this; the operator sees no partner's data (T-7).");
  if (viewer.partnerStatus !== "ACTIVE") {
    return new ForbiddenError(`Your organisation's enrollment is ${viewer.partnerStatus}; until it is ACTIVE only \`me\` is available (D-4).`);
  }
  return true;
});

const operator = rule("operator", { cache: "contextual" })((_parent, _args, ctx: Context) =>
  ctx.viewer?.isOperator ? true : new ForbiddenError("Only the platform operator may do this (enrollment review, service status)."),
);

/** What shield accepts as a rule: a rule or a logic rule (chain, or). */
type ShieldRule = ReturnType<typeof chain>;

const capabilityRules = new Map<CapabilityId, ShieldRule>();

/** The FORBIDDEN answer when the viewer's roles (or organisation kind) lack Cn, else null. */
function capabilityError(viewer: Viewer, id: CapabilityId): ForbiddenError | null {
  const capability: Capability = CAPABILITIES[id];
  const why = refusal(viewer, capability);
  if (why === null) return null;
  if (why === "ORG_KIND") {
    return new ForbiddenError(
      `${id} (${capability.title}) is only for ${capability.orgKind === "PROVIDER" ? "indirect providers" : "indirect resellers"}.`,
      id,
    );
  }
  return new ForbiddenError(`Your roles do not allow ${id}: ${capability.title}.`, id);
}

/** Cn: signed in, password changed, in an ACTIVE partner, and one of the two roles grants Cn. */
export function can(id: CapabilityId): ShieldRule {
  let cached = capabilityRules.get(id);
  if (!cached) {
    const hasCapability = rule(id, { cache: "contextual" })((_parent, _args, ctx: Context) => capabilityError(ctx.viewer!, id) ?? true);
    const combined = chain(signedIn, passwordChanged, activePartnerUser, hasCapability);
    capabilityRules.set(id, combined);
    cached = combined;
  }
  return cached;
}

/** Any signed-in user whose password is not temporary (partner user or operator). */
const signedInUser = chain(signedIn, passwordChanged);

/**
 * ROLES.md: a helpdesk agent (whose admin role does not grant the capability too) may not do C3
 * or C5 on an Office 365 subscription. Reads the subscription through the caller's scoped loader:
 * one out of scope passes here and reads as NOT_FOUND in the resolver (T-4).
 */
async function helpdeskOffice365Refusal(ctx: Context, id: "C3" | "C5", subscriptionId: unknown): Promise<ForbiddenError | null> {
  const viewer = ctx.viewer!;
  const byAdminRole = (CAPABILITIES[id].adminRoles as readonly string[]).includes(viewer.adminRole);
  if (viewer.agentRole !== "HELPDESK_AGENT" || byAdminRole || typeof subscriptionId !== "string" || subscriptionId === "") return null;
  const subscription = await customerLoaders(ctx).subscriptionById.load(subscriptionId);
  if (subscription?.productFamily !== "OFFICE_365") return null;
  return new ForbiddenError(
    `A helpdesk agent may not ${id === "C5" ? "administer" : "open service requests on"} an Office 365 subscription (${id}, ROLES.md); an admin agent is needed.`,
    id,
  );
}

/** C5 on `subscriptionId`: after can("C5"), the helpdesk rule on Office 365 subscriptions. */
const notHelpdeskOnOffice365 = rule("notHelpdeskOnOffice365", { cache: "strict" })(
  async (_parent, args: { subscriptionId?: unknown }, ctx: Context) => (await helpdeskOffice365Refusal(ctx, "C5", args.subscriptionId)) ?? true,
);

/** createServiceRequest: with input.customerId it is C3 on behalf (and the helpdesk rule), without it C7. */
const serviceRequestCapability = rule("serviceRequestCapability", { cache: "strict" })(
  async (_parent, args: { input?: { customerId?: string | null; subscriptionId?: string | null } }, ctx: Context) => {
    const onBehalf = typeof args.input?.customerId === "string" && args.input.customerId.trim() !== "";
    const refused = capabilityError(ctx.viewer!, onBehalf ? "C3" : "C7");
    if (refused) return refused;
    if (!onBehalf) return true;
    return (await helpdeskOffice365Refusal(ctx, "C3", args.input?.subscriptionId?.trim())) ?? true;
  },
);

/** The audit trail: global admins only (no capability of ROLES.md covers it; T-1 scopes it). */
const globalAdmin = rule("globalAdmin", { cache: "contextual" })((_parent, _args, ctx: Context) =>
  ctx.viewer?.adminRole === "GLOBAL_ADMIN" ? true : new ForbiddenError("Only a global admin may read the organisation's audit trail."),
);

export const permissions = shield<unknown, Context>(
  {
    Query: {
      me: signedIn, // C15, allowed with a temporary password
      customers: can("C1"),
      customer: or(can("C1"), can("C2")),
      providerDirectory: signedInUser, // D-8: any signed-in user
      offers: signedInUser,
      channelStats: can("C16"),
      node: signedInUser, // each kind is scoped in its own Cypher
      users: can("C6"),
      partnerProfile: can("C8"),
      relationshipRequests: or(can("C10"), can("C13")),
      leads: can("C11"),
      auditEvents: chain(signedIn, passwordChanged, activePartnerUser, globalAdmin),
      pendingEnrollments: chain(signedInUser, operator),
    },
    Mutation: {
      signIn: allow,
      changePassword: signedIn, // C15
      enrollPartner: allow,
      verifyPrimaryContactEmail: allow,
      acceptRelationshipRequest: allow,
      reviewEnrollment: chain(signedInUser, operator),
      addUser: can("C6"),
      updateUserRoles: can("C6"),
      resetUserPassword: can("C6"),
      removeUser: can("C6"),
      updatePartnerProfile: can("C9"),
      inviteReseller: can("C13"),
      authorizeIndirectProvider: can("C12"),
      requestResellerRelationship: can("C10"),
      inviteCustomerWithProvider: can("C10"),
      revokeRelationshipRequest: or(can("C10"), can("C13")),
      submitOrder: can("C14"),
      updateSubscriptionQuantity: chain(can("C5"), notHelpdeskOnOffice365),
      createServiceRequest: chain(signedIn, passwordChanged, activePartnerUser, serviceRequestCapability),
      setServiceStatus: chain(signedInUser, operator),
      requestDelegatedAdmin: can("C4"),
      createLead: can("C11"),
    },
    // Object types: reaching one already passed a root rule above, and its lists are scoped in
    // Cypher. Issue #3 refines these to field level.
    Me: allow,
    User: allow,
    Partner: allow,
    Provider: allow,
    Reseller: allow,
    PartnerProfile: allow,
    Address: allow,
    Contact: allow,
    SupportContact: allow,
    Customer: allow,
    Subscription: allow,
    ChannelPath: allow,
    ServiceHealth: allow,
    Offer: allow,
    ChannelStats: allow,
    AuthPayload: allow,
    UserWithTemporaryPassword: allow,
    EnrollPartnerPayload: allow,
    RelationshipRequest: allow,
    RelationshipLinkPayload: allow,
    AuthorizeIndirectProviderPayload: allow,
    AcceptRelationshipRequestPayload: allow,
    Order: allow,
    OrderLineItem: allow,
    SubmitOrderPayload: allow,
    ServiceRequest: allow,
    Lead: allow,
    PageInfo: allow,
    CustomerConnection: allow,
    CustomerEdge: allow,
    ResellerConnection: allow,
    ResellerEdge: allow,
    ProviderConnection: allow,
    ProviderEdge: allow,
    PartnerConnection: allow,
    PartnerEdge: allow,
    UserConnection: allow,
    UserEdge: allow,
    RelationshipRequestConnection: allow,
    RelationshipRequestEdge: allow,
    LeadConnection: allow,
    LeadEdge: allow,
    AuditEvent: allow,
    AuditEventConnection: allow,
    AuditEventEdge: allow,
  },
  {
    fallbackRule: deny,
    allowExternalErrors: true,
    fallbackError: (_thrown: unknown, _parent: unknown, _args: unknown, _ctx: unknown, info: GraphQLResolveInfo) =>
      new ForbiddenError(`No permission covers ${info.parentType.name}.${info.fieldName}; it is refused by default.`),
  },
);
