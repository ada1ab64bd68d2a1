export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar.This scalar is serialized to a string in ISO 8601 format and parsed from a string in ISO 8601 format. */
  DateTimeISO: { input: string; output: string; }
};

export type AcceptRelationshipRequestPayload = {
  __typename?: 'AcceptRelationshipRequestPayload';
  customer: Customer;
};

/** D-6: full name, a unique email, an agent role and an admin role. */
export type AddUserInput = {
  adminRole: AdminRole;
  agentRole: AgentRole;
  displayName: Scalars['String']['input'];
  email: Scalars['String']['input'];
};

export type Address = {
  __typename?: 'Address';
  city: Scalars['String']['output'];
  countryCode: Scalars['String']['output'];
  line1: Scalars['String']['output'];
  postalCode: Scalars['String']['output'];
};

export type AddressInput = {
  city: Scalars['String']['input'];
  /** ISO 3166-1 alpha-2. */
  countryCode: Scalars['String']['input'];
  line1: Scalars['String']['input'];
  postalCode: Scalars['String']['input'];
};

export type AdminRole =
  | 'GLOBAL_ADMIN'
  | 'NONE'
  | 'USER_MANAGEMENT_ADMIN';

export type AgentRole =
  | 'ADMIN_AGENT'
  | 'HELPDESK_AGENT'
  | 'NONE'
  | 'SALES_AGENT';

/** One successful mutation of the organisation's trail (never secrets). */
export type AuditEvent = {
  __typename?: 'AuditEvent';
  /** Who did it; null for anonymous operations (e.g. a customer accepting a link). */
  actorEmail?: Maybe<Scalars['String']['output']>;
  /** When the change committed. */
  at: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
  /** The mutation's name, e.g. submitOrder. */
  operation: Scalars['String']['output'];
  /** Ids of what the change created or touched. */
  targetIds: Array<Scalars['ID']['output']>;
};

export type AuditEventConnection = {
  __typename?: 'AuditEventConnection';
  edges: Array<AuditEventEdge>;
  pageInfo: PageInfo;
  /** All items of the list (not only this page). */
  totalCount: Scalars['Int']['output'];
};

export type AuditEventEdge = {
  __typename?: 'AuditEventEdge';
  cursor: Scalars['String']['output'];
  node: AuditEvent;
};

export type AuthPayload = {
  __typename?: 'AuthPayload';
  /** Bearer token for the Authorization header; valid 8 hours. */
  token: Scalars['String']['output'];
  user: User;
};

export type AuthorizeIndirectProviderPayload = {
  __typename?: 'AuthorizeIndirectProviderPayload';
  provider: Provider;
};

/** Something that happened in the channel (D-28), as read by an organisation it concerns. */
export type ChannelEvent = {
  __typename?: 'ChannelEvent';
  /** When the change committed (the database's clock). */
  at: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
  /** The id of what changed: a partner (partnerships), customer, order, subscription or delegated admin relationship. */
  subjectId: Scalars['ID']['output'];
  /** One line for people, naming only what every organisation the event concerns may see (T-2, T-3). */
  summary: Scalars['String']['output'];
  type: ChannelEventType;
};

export type ChannelEventConnection = {
  __typename?: 'ChannelEventConnection';
  edges: Array<ChannelEventEdge>;
  pageInfo: PageInfo;
  /** All items of the list (not only this page). */
  totalCount: Scalars['Int']['output'];
};

export type ChannelEventEdge = {
  __typename?: 'ChannelEventEdge';
  cursor: Scalars['String']['output'];
  node: ChannelEvent;
};

/** One event of a live `channelEvents` subscription (D-29), with the cursor to resume after it. */
export type ChannelEventMessage = {
  __typename?: 'ChannelEventMessage';
  /** Opaque; `channelEvents(after: cursor)` resumes after this event, missing nothing and repeating nothing. */
  cursor: Scalars['String']['output'];
  event: ChannelEvent;
};

export type ChannelEventType =
  | 'CUSTOMER_RELATIONSHIP_ACCEPTED'
  | 'CUSTOMER_RELATIONSHIP_ENDED'
  | 'DELEGATED_ADMIN_APPROVED'
  | 'DELEGATED_ADMIN_EXPIRED'
  | 'DELEGATED_ADMIN_EXPIRING'
  | 'DELEGATED_ADMIN_TERMINATED'
  | 'ORDER_SUBMITTED'
  | 'PARTNERSHIP_AUTHORIZED'
  | 'PARTNERSHIP_DECLINED'
  | 'PARTNERSHIP_ENDED'
  | 'SUBSCRIPTION_UPDATED';

/** A provider->reseller partnership through which a customer is served (the reseller is its reseller of record). */
export type ChannelPath = {
  __typename?: 'ChannelPath';
  provider: Provider;
  /** The provider has its own reseller relationship with the customer, so it can order (D-12). */
  providerCanOrder: Scalars['Boolean']['output'];
  reseller: Reseller;
};

/** Counts within the caller's channel (operations.graphql, ChannelStats). */
export type ChannelStats = {
  __typename?: 'ChannelStats';
  /** The caller's customers. */
  customers: Scalars['Int']['output'];
  /** Customers for which no provider can order (D-12). */
  customersWithoutProvider: Scalars['Int']['output'];
  /** A reseller's indirect providers; 1 for a provider. */
  providers: Scalars['Int']['output'];
  /** A provider's indirect resellers; 1 for a reseller. */
  resellers: Scalars['Int']['output'];
  /** Customers shared with at least one partnered organisation (D-11). */
  sharedCustomers: Scalars['Int']['output'];
};

export type Contact = {
  __typename?: 'Contact';
  email: Scalars['String']['output'];
  name: Scalars['String']['output'];
  phone?: Maybe<Scalars['String']['output']>;
};

export type ContactInput = {
  /** Not at a web-based mail service (D-3). */
  email: Scalars['String']['input'];
  name: Scalars['String']['input'];
  phone?: InputMaybe<Scalars['String']['input']>;
};

export type CreateLeadInput = {
  /** 1..200 characters. */
  companyName: Scalars['String']['input'];
  contactEmail: Scalars['String']['input'];
  /** Where the lead came from (D-15). */
  source: LeadSource;
};

/** customerId absent: a ticket for the partner itself (C7); present: on behalf (C3). */
export type CreateServiceRequestInput = {
  customerId?: InputMaybe<Scalars['ID']['input']>;
  /** 1..5,000 characters. */
  description: Scalars['String']['input'];
  severity: ServiceRequestSeverity;
  /** Only with customerId: one of that customer's subscriptions. */
  subscriptionId?: InputMaybe<Scalars['ID']['input']>;
  /** 1..200 characters. */
  title: Scalars['String']['input'];
};

export type CreateWebhookInput = {
  /** The event types to deliver: at least one (D-30). */
  events: Array<ChannelEventType>;
  /** Where to POST: https (http to localhost, 127.0.0.1 or [::1] in development only); its host must not resolve to a loopback, private or link-local address (D-30). */
  url: Scalars['String']['input'];
};

export type CreateWebhookPayload = {
  __typename?: 'CreateWebhookPayload';
  /** The signing secret of X-Channel-Signature (HMAC-SHA256 of the raw body). Shown only here, once: store it now (T-5). */
  secret: Scalars['String']['output'];
  webhook: Webhook;
};

/** An organisation that buys through a reseller and its provider. */
export type Customer = Node & {
  __typename?: 'Customer';
  channelPaths: Array<ChannelPath>;
  companyName: Scalars['String']['output'];
  countryCode: Scalars['String']['output'];
  createdAt: Scalars['DateTimeISO']['output'];
  /** The caller's organisation's delegated admin relationships with this customer (C4 or C1, D-25), newest first. */
  delegatedAdminRelationships: Array<DelegatedAdminRelationship>;
  /** The customer's domain (its work accounts' email domain). */
  domain: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** Partners of record, limited to the caller's organisation and its partnered organisations (T-3). */
  partners: Array<Partner>;
  serviceHealth: Array<ServiceHealth>;
  /** All its subscriptions, whoever sold or ordered them (T-2, D-21); only those sold through or ordered by the caller's organisation can be changed (C5). */
  subscriptions: Array<CustomerSubscription>;
};

export type CustomerConnection = {
  __typename?: 'CustomerConnection';
  edges: Array<CustomerEdge>;
  pageInfo: PageInfo;
  /** All items of the list (not only this page). */
  totalCount: Scalars['Int']['output'];
};

export type CustomerEdge = {
  __typename?: 'CustomerEdge';
  cursor: Scalars['String']['output'];
  node: Customer;
};

/** Only for a customer new to the graph; its domain must be the invited address's domain. */
export type CustomerProfileInput = {
  companyName: Scalars['String']['input'];
  countryCode: Scalars['String']['input'];
  domain: Scalars['String']['input'];
};

/** A customer's CSP subscription (named so that GraphQL's root `Subscription` type carries channelEvents, issue 14). */
export type CustomerSubscription = Node & {
  __typename?: 'CustomerSubscription';
  createdAt: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
  offerId: Scalars['ID']['output'];
  offerName: Scalars['String']['output'];
  /** The provider that ordered it (D-21); null when none, or when the caller's organisation is not partnered with it (T-3). */
  orderedBy?: Maybe<Provider>;
  /** The reseller's MPN ID that the order creating it recorded as partner of record (D-19); null when no order created it. */
  partnerIdOnRecord?: Maybe<Scalars['String']['output']>;
  productFamily: ProductFamily;
  /** Licenses (1..10,000). */
  quantity: Scalars['Int']['output'];
  /** The reseller it was sold through (D-21); null when none, or when the caller's organisation is not partnered with it (T-3). */
  soldThrough?: Maybe<Reseller>;
  /** D-21: ACTIVE <-> SUSPENDED; ACTIVE or SUSPENDED -> CANCELLED (final). */
  status: SubscriptionStatus;
};

export type CustomerWhere = {
  /** ISO 3166-1 alpha-2. */
  countryCode?: InputMaybe<Scalars['String']['input']>;
  /** Case-insensitive part of the company name or domain. */
  search?: InputMaybe<Scalars['String']['input']>;
  /** Only customers shared with this partnered organisation (D-11). */
  sharedWithPartnerId?: InputMaybe<Scalars['ID']['input']>;
  /** D-27: true, only the customers without a provider in the caller's channel (the list behind channelStats.customersWithoutProvider); false, only those with one; absent, all. */
  withoutProvider?: InputMaybe<Scalars['Boolean']['input']>;
};

/** Granular delegated admin (GDAP, D-25): one partner's roles in one customer's tenant, for 1-730 days. Status and endsAt are as of now: EXPIRED once endsAt has passed (or the approval link expired), unless it auto-extends by 180 days (never with GLOBAL_ADMINISTRATOR). */
export type DelegatedAdminRelationship = {
  __typename?: 'DelegatedAdminRelationship';
  /** When the customer approved it; null while PENDING_APPROVAL. */
  activatedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  /** 180 more days each time endsAt is reached while ACTIVE (D-25). */
  autoExtend: Scalars['Boolean']['output'];
  createdAt: Scalars['DateTimeISO']['output'];
  /** Null once the customer is out of the caller's scope (T-2: the reseller relationship ended). */
  customer?: Maybe<Customer>;
  /** 1..730. */
  durationDays: Scalars['Int']['output'];
  /** TERMINATED: when it was terminated; EXPIRED: endsAt (null for a request that expired unapproved); otherwise null. */
  endedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  /** activatedAt + durationDays, plus the auto-extensions reached so far. */
  endsAt?: Maybe<Scalars['DateTimeISO']['output']>;
  id: Scalars['ID']['output'];
  /** In DelegatedAdminRole's order, no repeats. */
  roles: Array<DelegatedAdminRole>;
  status: DelegatedAdminStatus;
};

export type DelegatedAdminRelationshipConnection = {
  __typename?: 'DelegatedAdminRelationshipConnection';
  edges: Array<DelegatedAdminRelationshipEdge>;
  pageInfo: PageInfo;
  /** All items of the list (not only this page). */
  totalCount: Scalars['Int']['output'];
};

export type DelegatedAdminRelationshipEdge = {
  __typename?: 'DelegatedAdminRelationshipEdge';
  cursor: Scalars['String']['output'];
  node: DelegatedAdminRelationship;
};

/** D-25: roles non-empty, durationDays 1..730, autoExtend (default true) never with GLOBAL_ADMINISTRATOR. */
export type DelegatedAdminRequestInput = {
  autoExtend?: InputMaybe<Scalars['Boolean']['input']>;
  durationDays: Scalars['Int']['input'];
  roles: Array<DelegatedAdminRole>;
};

export type DelegatedAdminRole =
  | 'BILLING_ADMINISTRATOR'
  | 'DIRECTORY_READER'
  | 'GLOBAL_ADMINISTRATOR'
  | 'HELPDESK_ADMINISTRATOR'
  | 'LICENSE_ADMINISTRATOR'
  | 'SERVICE_SUPPORT_ADMINISTRATOR'
  | 'USER_ADMINISTRATOR';

export type DelegatedAdminStatus =
  | 'ACTIVE'
  | 'EXPIRED'
  | 'PENDING_APPROVAL'
  | 'TERMINATED';

export type DelegatedAdminWhere = {
  customerId?: InputMaybe<Scalars['ID']['input']>;
  /** The status as read now (EXPIRED included). */
  status?: InputMaybe<DelegatedAdminStatus>;
};

/** D-20: the caller's organisation is no longer a reseller of record of the customer. */
export type EndCustomerRelationshipPayload = {
  __typename?: 'EndCustomerRelationshipPayload';
  customerId: Scalars['ID']['output'];
  endedAt: Scalars['DateTimeISO']['output'];
};

/** D-22: the partnership of the caller's organisation and this partner is ended. */
export type EndPartnershipPayload = {
  __typename?: 'EndPartnershipPayload';
  endedAt: Scalars['DateTimeISO']['output'];
  /** The other side of the ended partnership. */
  partnerId: Scalars['ID']['output'];
};

/** D-1..D-3. */
export type EnrollPartnerInput = {
  address: AddressInput;
  /** ISO 3166-1 alpha-2. */
  countryCode: Scalars['String']['input'];
  globalAdmin: GlobalAdminInput;
  kind: PartnerKind;
  legalName: Scalars['String']['input'];
  mpnId: Scalars['String']['input'];
  primaryContact: ContactInput;
  supportContact: SupportContactInput;
  /** The organisation's work-account domain. */
  tenantDomain: Scalars['String']['input'];
};

export type EnrollPartnerPayload = {
  __typename?: 'EnrollPartnerPayload';
  globalAdmin: User;
  partner: Partner;
};

export type EnrollmentDecision =
  | 'APPROVE'
  | 'REJECT';

export type EnrollmentStatus =
  | 'ACTIVE'
  | 'PENDING_EMAIL_VERIFICATION'
  | 'REJECTED'
  | 'UNDER_REVIEW';

export type EventWhere = {
  /** Only these types (each still needs its reading capability, D-28). */
  types?: InputMaybe<Array<ChannelEventType>>;
};

export type GlobalAdminInput = {
  displayName: Scalars['String']['input'];
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
};

/** Invite an enrolled reseller by its MPN ID; the email goes to the address given. */
export type InviteResellerInput = {
  email: Scalars['String']['input'];
  resellerMpnId: Scalars['String']['input'];
};

/** A prospective customer (D-15, C11). */
export type Lead = Node & {
  __typename?: 'Lead';
  companyName: Scalars['String']['output'];
  contactEmail: Scalars['String']['output'];
  createdAt: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
  source: LeadSource;
  status: LeadStatus;
};

export type LeadConnection = {
  __typename?: 'LeadConnection';
  edges: Array<LeadEdge>;
  pageInfo: PageInfo;
  /** All items of the list (not only this page). */
  totalCount: Scalars['Int']['output'];
};

export type LeadEdge = {
  __typename?: 'LeadEdge';
  cursor: Scalars['String']['output'];
  node: Lead;
};

export type LeadSource =
  | 'INDIRECT_PROVIDER'
  | 'MICROSOFT_REFERRAL'
  | 'OWN_MARKETING';

export type LeadStatus =
  | 'LOST'
  | 'NEW'
  | 'QUALIFIED'
  | 'WON';

/** The caller and its organisation (C15). */
export type Me = {
  __typename?: 'Me';
  /** null for the operator, who belongs to no partner (T-7). */
  partner?: Maybe<Partner>;
  user: User;
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Run by the customer holding the link; single-use (D-17, D-18). */
  acceptRelationshipRequest: AcceptRelationshipRequestPayload;
  /** The temporary password is in this answer only (D-6). Only a global admin may create a global admin (product decision). */
  addUser: UserWithTemporaryPassword;
  /** The reseller's global admin accepts a provider's invitation (D-9, C12). */
  authorizeIndirectProvider: AuthorizeIndirectProviderPayload;
  /** D-21 (C5): ACTIVE or SUSPENDED -> CANCELLED (final), for a subscription sold through or ordered by the caller's organisation. */
  cancelSubscription?: Maybe<CustomerSubscription>;
  /** Also the way out of a temporary password (T-6); returns a fresh token. */
  changePassword: AuthPayload;
  /** A new lead of the caller's organisation, status NEW (C11, D-15). */
  createLead: Lead;
  /** A service request on behalf of a customer (C3) or a support ticket of the partner itself (C7). */
  createServiceRequest: ServiceRequest;
  /** D-30 (C18): a webhook of the caller's organisation. Its signing secret is in this answer only (T-5). In production the URL must be https and must not resolve to a loopback, private or link-local address. */
  createWebhook: CreateWebhookPayload;
  /** Decline a PENDING partnership invitation addressed to the caller's reseller (D-23, C12); its link stops working. */
  declinePartnershipInvitation: PartnershipInvitation;
  /** D-30 (C18): deletes a webhook of the caller's organisation, its pending deliveries and its log. */
  deleteWebhook: Webhook;
  /** End the caller's organisation's own reseller relationship with a customer (D-20, C17). CONFLICT with extensions.subscriptionIds while subscriptions sold through or ordered by it are ACTIVE. */
  endCustomerRelationship: EndCustomerRelationshipPayload;
  /** End the partnership with an indirect provider or reseller, from either side (D-22; C12 for a reseller, C13 for a provider). */
  endPartnership: EndPartnershipPayload;
  /** Enroll a provider or reseller (D-1..D-5). */
  enrollPartner: EnrollPartnerPayload;
  /** Invite a new customer with an indirect provider (D-16, C10). */
  inviteCustomerWithProvider: RelationshipLinkPayload;
  /** A provider invites an enrolled reseller (D-9, C13). */
  inviteReseller: RelationshipLinkPayload;
  /** D-21 (C5): SUSPENDED -> ACTIVE, for a subscription sold through or ordered by the caller's organisation. */
  reactivateSubscription?: Maybe<CustomerSubscription>;
  /** true when the user was removed; the last global admin cannot be (CONFLICT). */
  removeUser: Scalars['Boolean']['output'];
  /** Ask a customer for granular delegated admin (C4, D-25): roles, 1-730 days, auto-extend (default: the D-25 default set, 730 days, auto-extend on). The relationship is PENDING_APPROVAL until the customer accepts the link mailed to admin@<customer domain>. */
  requestDelegatedAdmin: RelationshipLinkPayload;
  /** Ask a customer for a reseller relationship (D-14, C10). */
  requestResellerRelationship: RelationshipLinkPayload;
  /** A new temporary password, shown in this answer only; the user must change it at the next sign-in (D-6, T-6). */
  resetUserPassword: UserWithTemporaryPassword;
  /** Approve or reject an enrollment under review (operator only); a reason is required to reject. */
  reviewEnrollment: Partner;
  /** Revoke one of the caller's organisation's PENDING requests (D-17, C10, C13). */
  revokeRelationshipRequest: RelationshipRequest;
  /** Operator only: set the status of one Microsoft cloud service (read per customer with C2). */
  setServiceStatus: ServiceHealth;
  /** A wrong password and an unknown email get the same UNAUTHENTICATED answer. */
  signIn: AuthPayload;
  /** A provider orders for a customer it shares with the reseller (D-10, D-12, D-19, C14). */
  submitOrder: SubmitOrderPayload;
  /** D-21 (C5): ACTIVE -> SUSPENDED, for a subscription sold through or ordered by the caller's organisation. */
  suspendSubscription?: Maybe<CustomerSubscription>;
  /** End one of the organisation's ACTIVE or PENDING_APPROVAL delegated admin relationships (C4, D-25); anything else is CONFLICT. */
  terminateDelegatedAdmin: DelegatedAdminRelationship;
  /** Update the caller's organisation profile (C9): its support contact, replaced as a whole. */
  updatePartnerProfile: PartnerProfile;
  /** Change the licenses of an ACTIVE subscription sold through or ordered by the caller's organisation (C5, D-21); a helpdesk agent may not on an Office 365 subscription (ROLES.md). */
  updateSubscriptionQuantity: CustomerSubscription;
  /** Only a global admin grants or removes the global admin role; the last global admin cannot be demoted (CONFLICT). A global admin may grant themselves ADMIN_AGENT (D-5). */
  updateUserRoles: User;
  /** The primary contact confirms the address (D-4): PENDING_EMAIL_VERIFICATION -> UNDER_REVIEW. An unknown token is NOT_FOUND; a used or expired one CONFLICT. */
  verifyPrimaryContactEmail: Partner;
};


export type MutationAcceptRelationshipRequestArgs = {
  customer?: InputMaybe<CustomerProfileInput>;
  token: Scalars['String']['input'];
};


export type MutationAddUserArgs = {
  input: AddUserInput;
};


export type MutationAuthorizeIndirectProviderArgs = {
  acceptTerms: Scalars['Boolean']['input'];
  token: Scalars['String']['input'];
};


export type MutationCancelSubscriptionArgs = {
  subscriptionId: Scalars['ID']['input'];
};


export type MutationChangePasswordArgs = {
  currentPassword: Scalars['String']['input'];
  newPassword: Scalars['String']['input'];
};


export type MutationCreateLeadArgs = {
  input: CreateLeadInput;
};


export type MutationCreateServiceRequestArgs = {
  input: CreateServiceRequestInput;
};


export type MutationCreateWebhookArgs = {
  input: CreateWebhookInput;
};


export type MutationDeclinePartnershipInvitationArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteWebhookArgs = {
  id: Scalars['ID']['input'];
};


export type MutationEndCustomerRelationshipArgs = {
  customerId: Scalars['ID']['input'];
};


export type MutationEndPartnershipArgs = {
  partnerId: Scalars['ID']['input'];
};


export type MutationEnrollPartnerArgs = {
  input: EnrollPartnerInput;
};


export type MutationInviteCustomerWithProviderArgs = {
  customerEmail: Scalars['String']['input'];
  providerId: Scalars['ID']['input'];
};


export type MutationInviteResellerArgs = {
  input: InviteResellerInput;
};


export type MutationReactivateSubscriptionArgs = {
  subscriptionId: Scalars['ID']['input'];
};


export type MutationRemoveUserArgs = {
  userId: Scalars['ID']['input'];
};


export type MutationRequestDelegatedAdminArgs = {
  customerId: Scalars['ID']['input'];
  input?: InputMaybe<DelegatedAdminRequestInput>;
};


export type MutationRequestResellerRelationshipArgs = {
  customerEmail: Scalars['String']['input'];
};


export type MutationResetUserPasswordArgs = {
  userId: Scalars['ID']['input'];
};


export type MutationReviewEnrollmentArgs = {
  decision: EnrollmentDecision;
  partnerId: Scalars['ID']['input'];
  reason?: InputMaybe<Scalars['String']['input']>;
};


export type MutationRevokeRelationshipRequestArgs = {
  id: Scalars['ID']['input'];
};


export type MutationSetServiceStatusArgs = {
  service: Scalars['String']['input'];
  status: ServiceHealthState;
};


export type MutationSignInArgs = {
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
};


export type MutationSubmitOrderArgs = {
  input: SubmitOrderInput;
};


export type MutationSuspendSubscriptionArgs = {
  subscriptionId: Scalars['ID']['input'];
};


export type MutationTerminateDelegatedAdminArgs = {
  id: Scalars['ID']['input'];
};


export type MutationUpdatePartnerProfileArgs = {
  input: UpdatePartnerProfileInput;
};


export type MutationUpdateSubscriptionQuantityArgs = {
  quantity: Scalars['Int']['input'];
  subscriptionId: Scalars['ID']['input'];
};


export type MutationUpdateUserRolesArgs = {
  adminRole: AdminRole;
  agentRole: AgentRole;
  userId: Scalars['ID']['input'];
};


export type MutationVerifyPrimaryContactEmailArgs = {
  token: Scalars['String']['input'];
};

export type Node = {
  id: Scalars['ID']['output'];
};

/** A product in the catalogue that can be ordered. */
export type Offer = Node & {
  __typename?: 'Offer';
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  productFamily: ProductFamily;
};

/** An order placed by a provider for a reseller's customer (D-19). */
export type Order = Node & {
  __typename?: 'Order';
  createdAt: Scalars['DateTimeISO']['output'];
  /** The customer ordered for; null once the caller's organisation has no reseller relationship with it (T-2, T-4). */
  customer?: Maybe<Customer>;
  id: Scalars['ID']['output'];
  /** As ordered; a subscription's own quantity may change later (C5). */
  lineItems: Array<OrderLineItem>;
  /** The reseller's MPN ID, as Partner Center's partnerIdOnRecord. */
  partnerIdOnRecord: Scalars['String']['output'];
  /** The provider that placed it; null when the caller's organisation is not partnered with it (T-3). */
  provider?: Maybe<Provider>;
  /** The reseller of record (D-19); null when the caller's organisation is not partnered with it (T-3). */
  reseller?: Maybe<Reseller>;
  status: OrderStatus;
};

export type OrderConnection = {
  __typename?: 'OrderConnection';
  edges: Array<OrderEdge>;
  pageInfo: PageInfo;
  /** All items of the list (not only this page). */
  totalCount: Scalars['Int']['output'];
};

export type OrderEdge = {
  __typename?: 'OrderEdge';
  cursor: Scalars['String']['output'];
  node: Order;
};

export type OrderLineItem = {
  __typename?: 'OrderLineItem';
  offerId: Scalars['ID']['output'];
  quantity: Scalars['Int']['output'];
};

export type OrderLineItemInput = {
  offerId: Scalars['ID']['input'];
  /** 1..10,000. */
  quantity: Scalars['Int']['input'];
};

export type OrderStatus =
  | 'COMPLETED';

/** D-27: filters of the orders list; each names an organisation or customer in the caller's scope, else the list is empty. */
export type OrderWhere = {
  /** Only orders for this customer (one the caller's organisation is of record for). */
  customerId?: InputMaybe<Scalars['ID']['input']>;
  /** Only orders placed by this provider. */
  providerId?: InputMaybe<Scalars['ID']['input']>;
  /** Only orders with this reseller as partner of record. */
  resellerId?: InputMaybe<Scalars['ID']['input']>;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  /** Always false: these lists page forward only. */
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** An organisation enrolled in CSP: an indirect provider or an indirect reseller. */
export type Partner = {
  /** ISO 3166-1 alpha-2. */
  countryCode: Scalars['String']['output'];
  enrollmentStatus: EnrollmentStatus;
  id: Scalars['ID']['output'];
  kind: PartnerKind;
  /** MPN ID (Partner Membership Center). */
  mpnId: Scalars['String']['output'];
  /** Legal business name. */
  name: Scalars['String']['output'];
  /** When this organisation and the caller's became partners (INDIRECT_PROVIDER_OF), if they are. */
  partnerSince?: Maybe<Scalars['DateTimeISO']['output']>;
  /** Customers that this organisation and the caller's both have a reseller relationship with (D-11); empty unless the two are partners. */
  sharedCustomers: CustomerConnection;
};


/** An organisation enrolled in CSP: an indirect provider or an indirect reseller. */
export type PartnerSharedCustomersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type PartnerConnection = {
  __typename?: 'PartnerConnection';
  edges: Array<PartnerEdge>;
  pageInfo: PageInfo;
  /** All items of the list (not only this page). */
  totalCount: Scalars['Int']['output'];
};

export type PartnerEdge = {
  __typename?: 'PartnerEdge';
  cursor: Scalars['String']['output'];
  node: Partner;
};

export type PartnerKind =
  | 'PROVIDER'
  | 'RESELLER';

/** The caller's own organisation profile (C8). */
export type PartnerProfile = {
  __typename?: 'PartnerProfile';
  address: Address;
  countryCode: Scalars['String']['output'];
  enrollmentStatus: EnrollmentStatus;
  id: Scalars['ID']['output'];
  kind: PartnerKind;
  legalName: Scalars['String']['output'];
  mpnId: Scalars['String']['output'];
  primaryContact: Contact;
  supportContact: SupportContact;
  tenantDomain: Scalars['String']['output'];
};

/** A provider's invitation to become its indirect reseller, as the invited reseller sees it (D-23). */
export type PartnershipInvitation = {
  __typename?: 'PartnershipInvitation';
  createdAt: Scalars['DateTimeISO']['output'];
  expiresAt: Scalars['DateTimeISO']['output'];
  /** The relationship request's id. */
  id: Scalars['ID']['output'];
  /** The indirect provider that sent it (its public profile, T-3). */
  provider: Provider;
  status: RelationshipRequestStatus;
};

export type PartnershipInvitationConnection = {
  __typename?: 'PartnershipInvitationConnection';
  edges: Array<PartnershipInvitationEdge>;
  pageInfo: PageInfo;
  /** All items of the list (not only this page). */
  totalCount: Scalars['Int']['output'];
};

export type PartnershipInvitationEdge = {
  __typename?: 'PartnershipInvitationEdge';
  cursor: Scalars['String']['output'];
  node: PartnershipInvitation;
};

export type ProductFamily =
  | 'AZURE'
  | 'DYNAMICS_365'
  | 'OFFICE_365';

/** An indirect provider (distributor). */
export type Provider = Node & Partner & {
  __typename?: 'Provider';
  /** ISO 3166-1 alpha-2. */
  countryCode: Scalars['String']['output'];
  enrollmentStatus: EnrollmentStatus;
  id: Scalars['ID']['output'];
  /** This provider's indirect resellers (D-9); shown only for the caller's own organisation. */
  indirectResellers: ResellerConnection;
  kind: PartnerKind;
  /** MPN ID (Partner Membership Center). */
  mpnId: Scalars['String']['output'];
  /** Legal business name. */
  name: Scalars['String']['output'];
  /** When this organisation and the caller's became partners (INDIRECT_PROVIDER_OF), if they are. */
  partnerSince?: Maybe<Scalars['DateTimeISO']['output']>;
  /** Customers that this organisation and the caller's both have a reseller relationship with (D-11); empty unless the two are partners. */
  sharedCustomers: CustomerConnection;
};


/** An indirect provider (distributor). */
export type ProviderIndirectResellersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** An indirect provider (distributor). */
export type ProviderSharedCustomersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type ProviderConnection = {
  __typename?: 'ProviderConnection';
  edges: Array<ProviderEdge>;
  pageInfo: PageInfo;
  /** All items of the list (not only this page). */
  totalCount: Scalars['Int']['output'];
};

export type ProviderEdge = {
  __typename?: 'ProviderEdge';
  cursor: Scalars['String']['output'];
  node: Provider;
};

export type Query = {
  __typename?: 'Query';
  /** The caller's organisation's audit trail, newest first (global admins only, T-1). */
  auditEvents: AuditEventConnection;
  channelStats: ChannelStats;
  /** A customer of the caller's organisation; null when out of scope (T-4). */
  customer?: Maybe<Customer>;
  /** The caller's customers: those its organisation has a reseller relationship with (C1, T-2). */
  customers: CustomerConnection;
  /** The caller's organisation's delegated admin relationships (T-1, C4 or C1), newest first; `where.status` filters by the status as read now (EXPIRED included). */
  delegatedAdminRelationships: DelegatedAdminRelationshipConnection;
  /** D-28, D-29: the channel events that concern the caller's organisation, of the types its user's roles read (C16 partnerships; C1 customers, orders, subscriptions; C4 or C1 delegated admin), newest first; keyset-paged. */
  events: ChannelEventConnection;
  /** The caller's organisation's leads, newest first (C11, T-1). */
  leads: LeadConnection;
  /** The caller and its organisation (C15); allowed even before a temporary password is changed. */
  me: Me;
  node?: Maybe<Node>;
  /** The catalogue: a short list, so not paged. */
  offers: Array<Offer>;
  /** D-27 (C1): the orders the caller's provider placed, or its reseller is partner of record of (D-19), newest first; keyset-paged. */
  orders: OrderConnection;
  /** The caller's organisation profile (C8). */
  partnerProfile?: Maybe<PartnerProfile>;
  /** Enrollments waiting for review, oldest first (operator only, T-7). */
  pendingEnrollments: PartnerConnection;
  /** Official indirect providers, ACTIVE only (D-8). */
  providerDirectory: ProviderConnection;
  /** The PENDING partnership invitations addressed to the caller's reseller, newest first, without their tokens (D-23, C12). */
  receivedPartnershipInvitations: PartnershipInvitationConnection;
  /** The requests the caller's organisation sent (T-1), newest first. */
  relationshipRequests: RelationshipRequestConnection;
  /** The users of the caller's organisation (C6, T-1). */
  users: UserConnection;
  /** D-30 (C18): every attempt to deliver to the webhook, newest first; keyset-paged. Another organisation's webhook: NOT_FOUND (T-4). */
  webhookDeliveries: WebhookDeliveryConnection;
  /** D-30 (C18): the caller's organisation's webhooks, newest first (T-1); never their secrets. */
  webhooks: Array<Webhook>;
};


export type QueryAuditEventsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryCustomerArgs = {
  id: Scalars['ID']['input'];
};


export type QueryCustomersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  where?: InputMaybe<CustomerWhere>;
};


export type QueryDelegatedAdminRelationshipsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  where?: InputMaybe<DelegatedAdminWhere>;
};


export type QueryEventsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  where?: InputMaybe<EventWhere>;
};


export type QueryLeadsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryNodeArgs = {
  id: Scalars['ID']['input'];
};


export type QueryOrdersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  where?: InputMaybe<OrderWhere>;
};


export type QueryPendingEnrollmentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryProviderDirectoryArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  countryCode?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
};


export type QueryReceivedPartnershipInvitationsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryRelationshipRequestsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<RelationshipRequestStatus>;
};


export type QueryUsersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryWebhookDeliveriesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  webhookId: Scalars['ID']['input'];
};

/** A new request with its personalised link and an editable draft email (D-14). */
export type RelationshipLinkPayload = {
  __typename?: 'RelationshipLinkPayload';
  emailDraft: Scalars['String']['output'];
  /** Carries the single-use token; shown only in this answer. */
  link: Scalars['String']['output'];
  /** A DELEGATED_ADMIN request's relationship, PENDING_APPROVAL until the customer accepts the link (D-25); null for other kinds. */
  relationship?: Maybe<DelegatedAdminRelationship>;
  request: RelationshipRequest;
};

/** A partnership or customer invitation. Its token is shown once, at creation, and stored only as a hash (D-17). */
export type RelationshipRequest = Node & {
  __typename?: 'RelationshipRequest';
  createdAt: Scalars['DateTimeISO']['output'];
  expiresAt: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
  /** The address the invitation was sent to. */
  invitedEmail: Scalars['String']['output'];
  kind: RelationshipRequestKind;
  status: RelationshipRequestStatus;
};

export type RelationshipRequestConnection = {
  __typename?: 'RelationshipRequestConnection';
  edges: Array<RelationshipRequestEdge>;
  pageInfo: PageInfo;
  /** All items of the list (not only this page). */
  totalCount: Scalars['Int']['output'];
};

export type RelationshipRequestEdge = {
  __typename?: 'RelationshipRequestEdge';
  cursor: Scalars['String']['output'];
  node: RelationshipRequest;
};

export type RelationshipRequestKind =
  | 'CUSTOMER_RESELLER'
  | 'CUSTOMER_RESELLER_AND_PROVIDER'
  | 'DELEGATED_ADMIN'
  | 'PROVIDER_RESELLER';

export type RelationshipRequestStatus =
  | 'ACCEPTED'
  | 'DECLINED'
  | 'EXPIRED'
  | 'PENDING'
  | 'REVOKED';

/** An indirect reseller. */
export type Reseller = Node & Partner & {
  __typename?: 'Reseller';
  /** ISO 3166-1 alpha-2. */
  countryCode: Scalars['String']['output'];
  enrollmentStatus: EnrollmentStatus;
  id: Scalars['ID']['output'];
  /** This reseller's indirect providers (D-9); shown only for the caller's own organisation. */
  indirectProviders: Array<Provider>;
  kind: PartnerKind;
  /** MPN ID (Partner Membership Center). */
  mpnId: Scalars['String']['output'];
  /** Legal business name. */
  name: Scalars['String']['output'];
  /** When this organisation and the caller's became partners (INDIRECT_PROVIDER_OF), if they are. */
  partnerSince?: Maybe<Scalars['DateTimeISO']['output']>;
  /** Customers that this organisation and the caller's both have a reseller relationship with (D-11); empty unless the two are partners. */
  sharedCustomers: CustomerConnection;
};


/** An indirect reseller. */
export type ResellerSharedCustomersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type ResellerConnection = {
  __typename?: 'ResellerConnection';
  edges: Array<ResellerEdge>;
  pageInfo: PageInfo;
  /** All items of the list (not only this page). */
  totalCount: Scalars['Int']['output'];
};

export type ResellerEdge = {
  __typename?: 'ResellerEdge';
  cursor: Scalars['String']['output'];
  node: Reseller;
};

/** Status of a Microsoft cloud service the customer subscribes to (C2). */
export type ServiceHealth = {
  __typename?: 'ServiceHealth';
  productFamily: ProductFamily;
  service: Scalars['String']['output'];
  status: ServiceHealthState;
  updatedAt: Scalars['DateTimeISO']['output'];
};

export type ServiceHealthState =
  | 'ADVISORY'
  | 'HEALTHY'
  | 'INCIDENT';

/** A service request for a customer (C3) or a Partner Center ticket (C7). */
export type ServiceRequest = Node & {
  __typename?: 'ServiceRequest';
  createdAt: Scalars['DateTimeISO']['output'];
  description: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  severity: ServiceRequestSeverity;
  status: ServiceRequestStatus;
  title: Scalars['String']['output'];
};

export type ServiceRequestSeverity =
  | 'CRITICAL'
  | 'HIGH'
  | 'NORMAL';

export type ServiceRequestStatus =
  | 'IN_PROGRESS'
  | 'OPEN'
  | 'RESOLVED';

export type SubmitOrderInput = {
  customerId: Scalars['ID']['input'];
  lineItems: Array<OrderLineItemInput>;
  resellerId: Scalars['ID']['input'];
};

export type SubmitOrderPayload = {
  __typename?: 'SubmitOrderPayload';
  order: Order;
  subscriptions: Array<CustomerSubscription>;
};

export type Subscription = {
  __typename?: 'Subscription';
  /** D-29: the caller's organisation's channel events as they happen, of the types its user's roles read (D-28), over WebSocket (graphql-ws on /graphql, the token in connection_init). `after`: a message's cursor (or an `events` edge's) to resume after it without a gap. */
  channelEvents?: Maybe<ChannelEventMessage>;
};


export type SubscriptionChannelEventsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  types?: InputMaybe<Array<ChannelEventType>>;
};

export type SubscriptionStatus =
  | 'ACTIVE'
  | 'CANCELLED'
  | 'SUSPENDED';

export type SupportContact = {
  __typename?: 'SupportContact';
  email: Scalars['String']['output'];
  phone?: Maybe<Scalars['String']['output']>;
  website?: Maybe<Scalars['String']['output']>;
};

export type SupportContactInput = {
  email: Scalars['String']['input'];
  phone?: InputMaybe<Scalars['String']['input']>;
  website?: InputMaybe<Scalars['String']['input']>;
};

export type UpdatePartnerProfileInput = {
  supportContact?: InputMaybe<SupportContactInput>;
};

/** A partner user: one agent role and one admin role (D-7). */
export type User = Node & {
  __typename?: 'User';
  adminRole: AdminRole;
  agentRole: AgentRole;
  createdAt: Scalars['DateTimeISO']['output'];
  displayName: Scalars['String']['output'];
  email: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** A temporary password must be changed before anything but `me` (T-6). */
  mustChangePassword: Scalars['Boolean']['output'];
};

export type UserConnection = {
  __typename?: 'UserConnection';
  edges: Array<UserEdge>;
  pageInfo: PageInfo;
  /** All items of the list (not only this page). */
  totalCount: Scalars['Int']['output'];
};

export type UserEdge = {
  __typename?: 'UserEdge';
  cursor: Scalars['String']['output'];
  node: User;
};

/** Sign-in information, shown exactly once (D-6). */
export type UserWithTemporaryPassword = {
  __typename?: 'UserWithTemporaryPassword';
  temporaryPassword: Scalars['String']['output'];
  user: User;
};

/** Where the organisation's channel events are POSTed, signed (D-30, C18). */
export type Webhook = {
  __typename?: 'Webhook';
  /** False once disabled after 24 hours of failed deliveries (D-30). */
  active: Scalars['Boolean']['output'];
  createdAt: Scalars['DateTimeISO']['output'];
  /** Why it was disabled; null while active. */
  disabledReason?: Maybe<Scalars['String']['output']>;
  /** The event types delivered. */
  events: Array<ChannelEventType>;
  id: Scalars['ID']['output'];
  url: Scalars['String']['output'];
};

/** One attempt to deliver an event to a webhook (D-30). */
export type WebhookDelivery = {
  __typename?: 'WebhookDelivery';
  /** When the attempt started. */
  at: Scalars['DateTimeISO']['output'];
  /** 1 for the first attempt (X-Channel-Delivery-Attempt). */
  attempt: Scalars['Int']['output'];
  /** From the request's start to the answer's status line, or to the failure. */
  durationMs?: Maybe<Scalars['Int']['output']>;
  /** Why the attempt failed; null for a 2xx answer. */
  error?: Maybe<Scalars['String']['output']>;
  /** The channel event delivered (X-Channel-Event-Id). */
  eventId: Scalars['ID']['output'];
  id: Scalars['ID']['output'];
  /** The receiver's HTTP status; null when it gave none (refused, timed out, in progress). */
  statusCode?: Maybe<Scalars['Int']['output']>;
};

export type WebhookDeliveryConnection = {
  __typename?: 'WebhookDeliveryConnection';
  edges: Array<WebhookDeliveryEdge>;
  pageInfo: PageInfo;
  /** All items of the list (not only this page). */
  totalCount: Scalars['Int']['output'];
};

export type WebhookDeliveryEdge = {
  __typename?: 'WebhookDeliveryEdge';
  cursor: Scalars['String']['output'];
  node: WebhookDelivery;
};
