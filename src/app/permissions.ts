// First: the rules below read subscriptions through a module's loaders, whose type-graphql
// decorators need the metadata polyfill loaded (server.ts imports this file before schema.ts).
import "reflect-metadata";
import { isObjectType, type GraphQLResolveInfo, type GraphQLSchema } from "graphql";
import { applyMiddleware } from "graphql-middleware";
import { allow, chain, deny, or, rule, shield } from "graphql-shield";
import { customerLoaders } from "../modules/customers/customer.loaders.js";
import { CAPABILITIES, capabilityError, READS_AUDIT_TRAIL, type Capability, type CapabilityId } from "../shared/auth/capabilities.js";
import { kindOfId, type IdKind } from "../shared/ids.js";
import type { Context } from "../shared/context.js";
import { ForbiddenError, PasswordChangeRequiredError, UnauthenticatedError } from "../shared/errors.js";

/**
 * The single authorization layer (ROLES.md). Deny by default: a field without a rule here is
 * refused, so nothing added later is open by accident. Rules are named after the capabilities
 * C1..C16, whose roles come from src/shared/auth/capabilities.ts (ROLES.md as data), as do the
 * roles of the checks a module repeats in its transaction (revoking a request, C6 under the
 * organisation's lock); tenant scope (T-1..T-7) is enforced in the Cypher, since a rule cannot
 * filter a list. Rules that only read the viewer are cached per request ("contextual").
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

/** The operator, or a user of an ACTIVE partner: a pending or rejected partner's users get `me` only (D-4). */
const activeAccount = rule("activeAccount", { cache: "contextual" })((_parent, _args, ctx: Context) => {
  const viewer = ctx.viewer!;
  if (viewer.isOperator || viewer.partnerStatus === "ACTIVE") return true;
  return new ForbiddenError(`Your organisation's enrollment is ${viewer.partnerStatus}; until it is ACTIVE only \`me\` is available (D-4).`);
});

/** Any signed-in user whose password is not temporary, of an ACTIVE partner or the operator. */
const signedInUser = chain(signedIn, passwordChanged, activeAccount);

/** Any one of several capabilities (each refusal names its capability; the first is reported). */
function canAny(...ids: CapabilityId[]): ShieldRule {
  return ids.length === 1 ? can(ids[0]) : or(...ids.map(can));
}

/** Cn, only in an organisation of one kind: C10's "invite a new customer with a provider" is a reseller's act (D-16). */
function canIn(id: CapabilityId, orgKind: "PROVIDER" | "RESELLER"): ShieldRule {
  const inOrg = rule(`${id}:${orgKind}`, { cache: "contextual" })((_parent, _args, ctx: Context) =>
    ctx.viewer!.partnerKind === orgKind
      ? true
      : new ForbiddenError(`${id} (${CAPABILITIES[id].title}) with a provider is only for indirect ${orgKind === "RESELLER" ? "resellers" : "providers"} (D-16).`, id),
  );
  return chain(can(id), inOrg);
}

/**
 * D-22: ending a partnership is each side's own capability: C13 for a provider, C12 for a reseller
 * (ROLES.md, under the table); the roles come from capabilities.ts through capabilityError.
 */
const endsPartnership = rule("endsPartnership", { cache: "contextual" })((_parent, _args, ctx: Context) =>
  capabilityError(ctx.viewer!, ctx.viewer!.partnerKind === "PROVIDER" ? "C13" : "C12") ?? true,
);

/**
 * node(id): the kind is in the id, so the capability that reading such an object needs is known
 * before anything is read. Scope still comes from each kind's Cypher (out of scope: null, T-4).
 */
const NODE_CAPABILITIES: Partial<Record<IdKind, CapabilityId[]>> = {
  Customer: ["C1", "C2", "C16"],
  Subscription: ["C1"],
  User: ["C6"],
};
const nodeKind = rule("nodeKind", { cache: "strict" })((_parent, args: { id?: unknown }, ctx: Context) => {
  const viewer = ctx.viewer!;
  const id = typeof args.id === "string" ? args.id : "";
  const kind = kindOfId(id);
  if (kind === "User" && id === viewer.userId) return true; // C15: oneself
  const needed = kind ? NODE_CAPABILITIES[kind] : undefined;
  if (!needed) return true;
  if (viewer.isOperator) return new ForbiddenError("The operator sees no partner's customers or users (T-7).");
  const errors = needed.map((capability) => capabilityError(viewer, capability));
  return errors.some((error) => error === null) ? true : errors[0]!;
});

/** Lists the fields of a type with one rule: every field is named, so a new field has no rule until one is chosen. */
function fields(rule: ShieldRule | typeof allow, ...names: string[]): Record<string, ShieldRule | typeof allow> {
  return Object.fromEntries(names.map((name) => [name, rule]));
}

/** A Relay connection type and its edge: only structure, whose nodes were authorized where the list was. */
function connection(name: string): Record<string, Record<string, typeof allow>> {
  return {
    [`${name}Connection`]: fields(allow, "edges", "pageInfo", "totalCount") as Record<string, typeof allow>,
    [`${name}Edge`]: fields(allow, "cursor", "node") as Record<string, typeof allow>,
  };
}

/**
 * ROLES.md: a helpdesk agent (whose admin role does not grant the capability too) may not do C3
 * or C5 on an Office 365 subscription. Reads the subscription through the caller's scoped loader:
 * one out of scope passes here and reads as NOT_FOUND in the resolver (T-4).
 */
async function helpdeskOffice365Refusal(ctx: Context, id: "C3" | "C5", subscriptionId: unknown): Promise<ForbiddenError | null> {
  const viewer = ctx.viewer!;
  const capability: Capability = CAPABILITIES[id];
  const byAdminRole = capability.adminRoles.includes(viewer.adminRole);
  const limited = capability.notOnOffice365?.includes(viewer.agentRole) === true;
  if (!limited || byAdminRole || typeof subscriptionId !== "string" || subscriptionId === "") return null;
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
  ctx.viewer && READS_AUDIT_TRAIL.includes(ctx.viewer.adminRole) ? true : new ForbiddenError("Only a global admin may read the organisation's audit trail."),
);

/**
 * The permission map: every Query, Mutation and object field of the schema, by name
 * (test/authz/permission-map.test.ts fails when a field of the schema has no entry). Object
 * fields are `allow` where reaching the object already passed a capability rule (its root field)
 * and its Cypher is scoped; fields that open a new kind of data carry their own capability.
 */
export const ruleTree = {
  Query: {
    me: signedIn, // C15, allowed with a temporary password
    customers: can("C1"),
    orders: can("C1"), // D-27 (ROLES.md's lifecycle paragraph); tenant scope in orders/list.cypher
    customer: canAny("C1", "C2"),
    providerDirectory: signedInUser, // D-8: any signed-in user
    offers: signedInUser,
    channelStats: can("C16"),
    node: chain(signedInUser, nodeKind),
    users: can("C6"),
    partnerProfile: can("C8"),
    relationshipRequests: canAny("C10", "C13"),
    delegatedAdminRelationships: canAny("C4", "C1"), // D-25, ROLES.md (lifecycle)
    receivedPartnershipInvitations: can("C12"), // D-23
    leads: can("C11"),
    auditEvents: chain(signedIn, passwordChanged, activePartnerUser, globalAdmin),
    // D-28 (ROLES.md: per event): any capability that reads some event type; the types the user reads and
    // its organisation's events (T-1) are chosen in the resolver and events/feed.cypher. The operator: FORBIDDEN (T-7).
    events: canAny("C16", "C1", "C4"),
    // D-30: webhooks and their delivery log, C18 (global admin); the organisation's own (T-1, T-4) in webhooks/*.cypher.
    webhooks: can("C18"),
    webhookDeliveries: can("C18"),
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
    inviteCustomerWithProvider: canIn("C10", "RESELLER"),
    revokeRelationshipRequest: canAny("C10", "C13", "C4"),
    declinePartnershipInvitation: can("C12"), // D-23
    endPartnership: chain(signedIn, passwordChanged, activePartnerUser, endsPartnership), // D-22
    endCustomerRelationship: can("C17"), // D-20
    submitOrder: can("C14"),
    updateSubscriptionQuantity: chain(can("C5"), notHelpdeskOnOffice365),
    // D-21: C5 and the helpdesk rule, as a quantity change; the channel rule (sold through or
    // ordered by the caller) is checked under the subscription's lock (orders/change-status).
    suspendSubscription: chain(can("C5"), notHelpdeskOnOffice365),
    reactivateSubscription: chain(can("C5"), notHelpdeskOnOffice365),
    cancelSubscription: chain(can("C5"), notHelpdeskOnOffice365),
    createServiceRequest: chain(signedIn, passwordChanged, activePartnerUser, serviceRequestCapability),
    setServiceStatus: chain(signedInUser, operator),
    requestDelegatedAdmin: can("C4"),
    terminateDelegatedAdmin: can("C4"), // D-25
    createLead: can("C11"),
    createWebhook: can("C18"), // D-30
    deleteWebhook: can("C18"),
  },
  Subscription: {
    // D-29: as the `events` feed (D-28, ROLES.md: per event). shield wraps `resolve` (run per
    // event), not `subscribe`: the subscribe function checks the same (liveEventsRefusal), tested
    // in test/events/live.test.ts; types and organisation (T-1) are chosen there.
    channelEvents: canAny("C16", "C1", "C4"),
  },
  Me: fields(allow, "user", "partner"),
  User: fields(allow, "id", "email", "displayName", "agentRole", "adminRole", "mustChangePassword", "createdAt"),
  AuthPayload: fields(allow, "token", "user"),
  UserWithTemporaryPassword: fields(allow, "user", "temporaryPassword"),
  Provider: {
    ...fields(allow, "id", "name", "kind", "mpnId", "countryCode", "enrollmentStatus", "partnerSince"),
    indirectResellers: can("C16"),
    sharedCustomers: can("C16"),
  },
  Reseller: {
    ...fields(allow, "id", "name", "kind", "mpnId", "countryCode", "enrollmentStatus", "partnerSince"),
    indirectProviders: can("C16"),
    sharedCustomers: can("C16"),
  },
  PartnerProfile: fields(allow, "id", "kind", "legalName", "mpnId", "countryCode", "tenantDomain", "enrollmentStatus", "address", "primaryContact", "supportContact"),
  Address: fields(allow, "line1", "city", "postalCode", "countryCode"),
  Contact: fields(allow, "name", "email", "phone"),
  SupportContact: fields(allow, "email", "phone", "website"),
  EnrollPartnerPayload: fields(allow, "partner", "globalAdmin"),
  Customer: {
    // Reached through C1/C2 (customers, customer), C16 (sharedCustomers), node (nodeKind) or as
    // the customer who just accepted an invitation (its own record, id/name/domain).
    ...fields(allow, "id", "companyName", "domain", "countryCode", "createdAt"),
    partners: canAny("C1", "C16"),
    channelPaths: canAny("C1", "C16"),
    subscriptions: can("C1"),
    serviceHealth: can("C2"),
    delegatedAdminRelationships: canAny("C4", "C1"), // D-25
  },
  ChannelPath: fields(allow, "provider", "reseller", "providerCanOrder"),
  CustomerSubscription: {
    ...fields(allow, "id", "offerId", "offerName", "productFamily", "quantity", "status", "createdAt"),
    // D-21: a subscription's channel, C1 (ROLES.md's lifecycle paragraph); T-3 in fragments/subscription.cypher.
    ...fields(can("C1"), "soldThrough", "orderedBy", "partnerIdOnRecord"),
  },
  ServiceHealth: fields(allow, "service", "productFamily", "status", "updatedAt"),
  Offer: fields(allow, "id", "name", "productFamily"),
  ChannelStats: fields(allow, "providers", "resellers", "customers", "sharedCustomers", "customersWithoutProvider"),
  RelationshipRequest: fields(allow, "id", "kind", "status", "invitedEmail", "createdAt", "expiresAt"),
  RelationshipLinkPayload: fields(allow, "request", "link", "emailDraft", "relationship"),
  // Reached through C4 (requestDelegatedAdmin, terminateDelegatedAdmin) or C4/C1 (the lists); scoped in Cypher (T-1, T-2).
  DelegatedAdminRelationship: fields(
    allow,
    "id", "status", "roles", "durationDays", "autoExtend", "createdAt", "activatedAt", "endsAt", "endedAt", "customer",
  ),
  PartnershipInvitation: fields(allow, "id", "status", "createdAt", "expiresAt", "provider"),
  EndCustomerRelationshipPayload: fields(allow, "customerId", "endedAt"),
  EndPartnershipPayload: fields(allow, "partnerId", "endedAt"),
  AuthorizeIndirectProviderPayload: fields(allow, "provider"),
  AcceptRelationshipRequestPayload: fields(allow, "customer"),
  Order: {
    ...fields(allow, "id", "status", "lineItems", "partnerIdOnRecord", "createdAt"),
    // D-27: an order's customer and partners, C1; T-2/T-3 in fragments/order.cypher.
    ...fields(can("C1"), "customer", "reseller", "provider"),
  },
  OrderLineItem: fields(allow, "offerId", "quantity"),
  SubmitOrderPayload: fields(allow, "order", "subscriptions"),
  ServiceRequest: fields(allow, "id", "title", "description", "severity", "status", "createdAt"),
  Lead: fields(allow, "id", "companyName", "contactEmail", "source", "status", "createdAt"),
  AuditEvent: fields(allow, "id", "at", "operation", "actorEmail", "targetIds"),
  // Reached only through `events` (and channelEvents): capability-checked roots, scoped in Cypher (D-28).
  ChannelEvent: fields(allow, "id", "type", "at", "subjectId", "summary"),
  ChannelEventMessage: fields(allow, "cursor", "event"),
  // Reached only through C18 roots (createWebhook, webhooks, deleteWebhook, webhookDeliveries), scoped in Cypher (T-1).
  Webhook: fields(allow, "id", "url", "events", "active", "createdAt", "disabledReason"),
  CreateWebhookPayload: fields(allow, "webhook", "secret"),
  WebhookDelivery: fields(allow, "id", "eventId", "attempt", "at", "statusCode", "durationMs", "error"),
  PageInfo: fields(allow, "hasNextPage", "hasPreviousPage", "startCursor", "endCursor"),
  ...connection("Customer"),
  ...connection("Order"),
  ...connection("Reseller"),
  ...connection("Provider"),
  ...connection("Partner"),
  ...connection("User"),
  ...connection("RelationshipRequest"),
  ...connection("DelegatedAdminRelationship"),
  ...connection("PartnershipInvitation"),
  ...connection("Lead"),
  ...connection("AuditEvent"),
  ...connection("ChannelEvent"),
  ...connection("WebhookDelivery"),
};

export const permissions = shield<unknown, Context>(ruleTree, {
  fallbackRule: deny,
  allowExternalErrors: true,
  fallbackError: (_thrown: unknown, _parent: unknown, _args: unknown, _ctx: unknown, info: GraphQLResolveInfo) =>
    new ForbiddenError(`No permission covers ${info.parentType.name}.${info.fieldName}; it is refused by default.`),
});

/**
 * The executable schema under the permission map. Fields whose rule is `allow` keep their own
 * resolver: shield wraps every field in an async middleware, and one that always passes changes
 * nothing but the cost. A page of 20 customers has some 500 such fields (ids, names, edges), and
 * each wrapped one is a promise that graphql-js must then wait for, object by object. Every other
 * field, and every field without a rule (refused by default), stays behind shield.
 */
export function protect(schema: GraphQLSchema): GraphQLSchema {
  const shielded = applyMiddleware(schema, permissions);
  for (const [typeName, rules] of Object.entries(ruleTree)) {
    const type = shielded.getType(typeName);
    const original = schema.getType(typeName);
    if (!isObjectType(type) || !isObjectType(original)) continue;
    for (const [fieldName, fieldRule] of Object.entries(rules)) {
      if (fieldRule === allow) type.getFields()[fieldName].resolve = original.getFields()[fieldName].resolve;
    }
  }
  return shielded;
}
