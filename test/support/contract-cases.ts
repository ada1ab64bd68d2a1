import type { TestApp } from "./app.js";

/**
 * Safe variables for every operation of the contract (test/contract/operations.graphql), shared by
 * test/authz/role-matrix.test.ts (every demo role x every operation) and test/app/graphiql.test.ts
 * (every operation run through the GraphiQL page). Variables are chosen so that an allowed call
 * cannot change the demo (ids that do not exist, invalid inputs): "allowed" means the call got
 * past authorization, whatever it answered next. SignIn's password is a placeholder the caller
 * replaces with the demo password (a wrong one would count against the shared demo account).
 */
export type Org = "PROVIDER" | "RESELLER";

/**
 * Who may run each operation:
 * - anonymous: anyone, signed in or not (SERVICE.md's anonymous operations);
 * - self: any signed-in user, even with a temporary password (C15);
 * - signedIn: any signed-in user whose password is not temporary (D-8 directory, catalogue, node);
 * - operator: the platform operator only (T-7);
 * - caps: partner users holding any of these capabilities, and only in an organisation of kind
 *   `org` when given (a refusal for the others);
 * - fragment: the operation reads `me` and asks for capabilities only inside a `... on Provider` /
 *   `... on Reseller` fragment, which asks nothing of callers of the other kind (or of no partner).
 */
export type Need =
  | { kind: "anonymous" }
  | { kind: "self" }
  | { kind: "signedIn" }
  | { kind: "operator" }
  | { kind: "caps"; caps: string[]; org?: Org }
  | { kind: "fragment"; caps: string[]; on: Org };

export const NO_ID = {
  customer: "cus_aaaaaaaaaaaaaaaaaaaaaaaaaa",
  user: "usr_aaaaaaaaaaaaaaaaaaaaaaaaaa",
  partner: "ptn_aaaaaaaaaaaaaaaaaaaaaaaaaa",
  request: "req_aaaaaaaaaaaaaaaaaaaaaaaaaa",
  subscription: "sub_aaaaaaaaaaaaaaaaaaaaaaaaaa",
  offer: "off_aaaaaaaaaaaaaaaaaaaaaaaaaa",
  delegatedAdmin: "gda_aaaaaaaaaaaaaaaaaaaaaaaaaa",
  webhook: "whk_aaaaaaaaaaaaaaaaaaaaaaaaaa",
};

export interface Case {
  operation: string;
  /** The contract file that holds the operation: operations.graphql unless "lifecycle" (lifecycle.graphql, D-20..D-27) or "events" (events.graphql, D-28..D-30). */
  document?: "lifecycle" | "events";
  /** Told apart in messages when one operation has rows for different arguments. */
  variant?: string;
  need: Need;
  variables: (ids: DemoIds) => Record<string, unknown>;
}

export interface DemoIds {
  alpine: string;
  adatum: string;
}

/** The demo's ids that some rows read (and never change): Alpine Ski House, Adatum IT. */
export async function demoIds(app: TestApp): Promise<DemoIds> {
  const [alpine] = await app.cypher<{ id: string }>("MATCH (c:Customer {domain: 'alpineskihouse.example'}) RETURN c.id AS id");
  const [adatum] = await app.cypher<{ id: string }>("MATCH (p:Partner {mpnId: '2000001'}) RETURN p.id AS id");
  return { alpine: alpine.id, adatum: adatum.id };
}

export const cases: Case[] = [
  { operation: "SignIn", need: { kind: "anonymous" }, variables: () => ({ email: "ga@adatum.example", password: "__demo__" }) },
  { operation: "ChangePassword", need: { kind: "self" }, variables: () => ({ currentPassword: "not-the-password", newPassword: "Another-passw0rd!" }) },
  { operation: "Me", need: { kind: "self" }, variables: () => ({}) },
  { operation: "EnrollPartner", need: { kind: "anonymous" }, variables: () => ({ input: invalidEnrollment() }) },
  { operation: "VerifyPrimaryContactEmail", need: { kind: "anonymous" }, variables: () => ({ token: "no-such-token" }) },
  { operation: "ReviewEnrollment", need: { kind: "operator" }, variables: () => ({ partnerId: NO_ID.partner, decision: "APPROVE" }) },
  { operation: "PendingEnrollments", need: { kind: "operator" }, variables: () => ({ first: 5 }) },
  { operation: "AddUser", need: { kind: "caps", caps: ["C6"] }, variables: () => ({ input: { displayName: "X", email: "not-an-email", agentRole: "NONE", adminRole: "NONE" } }) },
  { operation: "UpdateUserRoles", need: { kind: "caps", caps: ["C6"] }, variables: () => ({ userId: NO_ID.user, agentRole: "NONE", adminRole: "NONE" }) },
  { operation: "ResetUserPassword", need: { kind: "caps", caps: ["C6"] }, variables: () => ({ userId: NO_ID.user }) },
  { operation: "RemoveUser", need: { kind: "caps", caps: ["C6"] }, variables: () => ({ userId: NO_ID.user }) },
  { operation: "Users", need: { kind: "caps", caps: ["C6"] }, variables: () => ({ first: 5 }) },
  { operation: "PartnerProfile", need: { kind: "caps", caps: ["C8"] }, variables: () => ({}) },
  { operation: "UpdateSupportContact", need: { kind: "caps", caps: ["C9"] }, variables: () => ({ input: { email: "not-an-email" } }) },
  { operation: "ProviderDirectory", need: { kind: "signedIn" }, variables: () => ({ first: 5 }) },
  { operation: "InviteReseller", need: { kind: "caps", caps: ["C13"] }, variables: () => ({ input: { resellerMpnId: "9999999", email: "x@nowhere.example" } }) },
  { operation: "AuthorizeIndirectProvider", need: { kind: "caps", caps: ["C12"] }, variables: () => ({ token: "no-such-token" }) },
  { operation: "IndirectResellers", need: { kind: "fragment", caps: ["C16"], on: "PROVIDER" }, variables: () => ({ first: 5 }) },
  { operation: "IndirectProviders", need: { kind: "fragment", caps: ["C16"], on: "RESELLER" }, variables: () => ({}) },
  { operation: "Customers", need: { kind: "caps", caps: ["C1"] }, variables: () => ({ first: 5 }) },
  { operation: "Customer", need: { kind: "caps", caps: ["C1"] }, variables: (ids) => ({ id: ids.alpine }) },
  { operation: "RequestResellerRelationship", need: { kind: "caps", caps: ["C10"] }, variables: () => ({ customerEmail: "not-an-email" }) },
  // C10's organisation column: "any / reseller": inviting a new customer *with a provider* is a reseller's act (D-16).
  { operation: "InviteCustomerWithProvider", need: { kind: "caps", caps: ["C10"], org: "RESELLER" }, variables: () => ({ providerId: NO_ID.partner, customerEmail: "x@nowhere.example" }) },
  { operation: "AcceptRelationshipRequest", need: { kind: "anonymous" }, variables: () => ({ token: "no-such-token" }) },
  { operation: "RevokeRelationshipRequest", need: { kind: "caps", caps: ["C10", "C13"] }, variables: () => ({ id: NO_ID.request }) },
  { operation: "RelationshipRequests", need: { kind: "caps", caps: ["C10", "C13"] }, variables: () => ({ first: 5 }) },
  { operation: "Offers", need: { kind: "signedIn" }, variables: () => ({}) },
  { operation: "SubmitOrder", need: { kind: "caps", caps: ["C14"] }, variables: () => ({ input: { customerId: NO_ID.customer, resellerId: NO_ID.partner, lineItems: [{ offerId: NO_ID.offer, quantity: 0 }] } }) },
  { operation: "UpdateSubscriptionQuantity", need: { kind: "caps", caps: ["C5"] }, variables: () => ({ subscriptionId: NO_ID.subscription, quantity: 5 }) },
  { operation: "ServiceHealth", need: { kind: "caps", caps: ["C2"] }, variables: (ids) => ({ customerId: ids.alpine }) },
  { operation: "CreateServiceRequest", variant: "Partner Center ticket", need: { kind: "caps", caps: ["C7"] }, variables: () => ({ input: { title: "", description: "x", severity: "NORMAL" } }) },
  { operation: "CreateServiceRequest", variant: "on behalf of a customer", need: { kind: "caps", caps: ["C3"] }, variables: () => ({ input: { customerId: NO_ID.customer, title: "", description: "x", severity: "NORMAL" } }) },
  { operation: "RequestDelegatedAdmin", need: { kind: "caps", caps: ["C4"] }, variables: () => ({ customerId: NO_ID.customer }) },
  { operation: "Leads", need: { kind: "caps", caps: ["C11"] }, variables: () => ({ first: 5 }) },
  { operation: "CreateLead", need: { kind: "caps", caps: ["C11"] }, variables: () => ({ input: { companyName: "X", contactEmail: "not-an-email", source: "OWN_MARKETING" } }) },
  // Counts of the caller's customers and partnerships: what C1 and C16 show, as numbers.
  { operation: "ChannelStats", need: { kind: "caps", caps: ["C16"] }, variables: () => ({}) },
  // node(id): a customer's id needs a capability that shows customers; a partner's needs none.
  { operation: "NodeById", variant: "customer id", need: { kind: "caps", caps: ["C1", "C2", "C16"] }, variables: (ids) => ({ id: ids.alpine }) },
  { operation: "NodeById", variant: "partner id", need: { kind: "signedIn" }, variables: (ids) => ({ id: ids.adatum }) },
];

/**
 * The operations of lifecycle.graphql (D-20..D-27) and the capabilities ROLES.md gives them (its
 * paragraph under the table): suspend, reactivate, cancel C5; endCustomerRelationship C17;
 * endPartnership C12 for a reseller, C13 for a provider; received invitations and declining C12;
 * requesting and terminating delegated admin C4; reading delegated admin C4 or C1; orders, the
 * customers without a provider and a subscription's channel C1. Same rule: an allowed call changes
 * nothing (ids that do not exist).
 */
export const lifecycleCases: Case[] = ([
  { operation: "SuspendSubscription", need: { kind: "caps", caps: ["C5"] }, variables: () => ({ subscriptionId: NO_ID.subscription }) },
  { operation: "ReactivateSubscription", need: { kind: "caps", caps: ["C5"] }, variables: () => ({ subscriptionId: NO_ID.subscription }) },
  { operation: "CancelSubscription", need: { kind: "caps", caps: ["C5"] }, variables: () => ({ subscriptionId: NO_ID.subscription }) },
  { operation: "CustomerChannel", need: { kind: "caps", caps: ["C1"] }, variables: (ids) => ({ id: ids.alpine }) },
  { operation: "EndCustomerRelationship", need: { kind: "caps", caps: ["C17"] }, variables: () => ({ customerId: NO_ID.customer }) },
  // C12 is a reseller's, C13 a provider's: each side ends it with its own (D-22).
  { operation: "EndPartnership", need: { kind: "caps", caps: ["C12", "C13"] }, variables: () => ({ partnerId: NO_ID.partner }) },
  { operation: "ReceivedPartnershipInvitations", need: { kind: "caps", caps: ["C12"] }, variables: () => ({ first: 5 }) },
  { operation: "DeclinePartnershipInvitation", need: { kind: "caps", caps: ["C12"] }, variables: () => ({ id: NO_ID.request }) },
  {
    operation: "RequestGranularDelegatedAdmin",
    need: { kind: "caps", caps: ["C4"] },
    variables: () => ({ customerId: NO_ID.customer, input: { roles: ["USER_ADMINISTRATOR"], durationDays: 30 } }),
  },
  { operation: "TerminateDelegatedAdmin", need: { kind: "caps", caps: ["C4"] }, variables: () => ({ id: NO_ID.delegatedAdmin }) },
  { operation: "DelegatedAdminRelationships", need: { kind: "caps", caps: ["C4", "C1"] }, variables: () => ({ first: 5 }) },
  { operation: "CustomersWithoutProvider", need: { kind: "caps", caps: ["C1"] }, variables: () => ({ first: 5 }) },
  { operation: "Orders", need: { kind: "caps", caps: ["C1"] }, variables: () => ({ first: 5 }) },
] satisfies Case[]).map((row): Case => ({ ...row, document: "lifecycle" }));

/**
 * The queries and mutations of events.graphql (D-28..D-30; ROLES.md: `events` per event, so any of
 * the capabilities that read some event type, C16, C1 or C4; webhooks C18). ChannelEvents runs
 * over WebSocket: test/authz/role-matrix.test.ts has its own row for it. Same rule: an allowed call
 * changes nothing (an invalid URL, ids that do not exist).
 */
export const eventsCases: Case[] = ([
  { operation: "Events", need: { kind: "caps", caps: ["C16", "C1", "C4"] }, variables: () => ({ first: 5 }) },
  { operation: "CreateWebhook", need: { kind: "caps", caps: ["C18"] }, variables: () => ({ input: { url: "ftp://matrix-probe.example/hook", events: ["ORDER_SUBMITTED"] } }) },
  { operation: "Webhooks", need: { kind: "caps", caps: ["C18"] }, variables: () => ({}) },
  { operation: "DeleteWebhook", need: { kind: "caps", caps: ["C18"] }, variables: () => ({ id: NO_ID.webhook }) },
  { operation: "WebhookDeliveries", need: { kind: "caps", caps: ["C18"] }, variables: () => ({ webhookId: NO_ID.webhook, first: 5 }) },
] satisfies Case[]).map((row): Case => ({ ...row, document: "events" }));

function invalidEnrollment() {
  return {
    kind: "RESELLER",
    legalName: "Matrix Probe",
    mpnId: "abc",
    countryCode: "US",
    tenantDomain: "matrix-probe.example",
    address: { line1: "1 Way", city: "Town", postalCode: "1", countryCode: "US" },
    primaryContact: { name: "P", email: "probe@gmail.com" },
    supportContact: { email: "support@matrix-probe.example" },
    globalAdmin: { displayName: "G", email: "ga@matrix-probe.example", password: "Matrix-passw0rd!" },
  };
}
