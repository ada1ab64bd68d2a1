/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
export type AdminRole =
  | 'GLOBAL_ADMIN'
  | 'NONE'
  | 'USER_MANAGEMENT_ADMIN';

export type AgentRole =
  | 'ADMIN_AGENT'
  | 'HELPDESK_AGENT'
  | 'NONE'
  | 'SALES_AGENT';

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

export type CustomerWhere = {
  /** ISO 3166-1 alpha-2. */
  countryCode?: string | null | undefined;
  /** Case-insensitive part of the company name or domain. */
  search?: string | null | undefined;
  /** Only customers shared with this partnered organisation (D-11). */
  sharedWithPartnerId?: string | number | null | undefined;
  /** D-27: true, only the customers without a provider in the caller's channel (the list behind channelStats.customersWithoutProvider); false, only those with one; absent, all. */
  withoutProvider?: boolean | null | undefined;
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

export type PartnerKind =
  | 'PROVIDER'
  | 'RESELLER';

export type ProductFamily =
  | 'AZURE'
  | 'DYNAMICS_365'
  | 'OFFICE_365';

export type SubscriptionStatus =
  | 'ACTIVE'
  | 'CANCELLED'
  | 'SUSPENDED';

export type ExplorerSignInMutationVariables = Exact<{
  email: string;
  password: string;
}>;


export type ExplorerSignInMutation = { signIn: { token: string, user: { id: string, email: string, displayName: string, agentRole: AgentRole, adminRole: AdminRole, mustChangePassword: boolean } } };

export type ExplorerMeQueryVariables = Exact<{ [key: string]: never; }>;


export type ExplorerMeQuery = { me: { user: { id: string, email: string, displayName: string, agentRole: AgentRole, adminRole: AdminRole, mustChangePassword: boolean }, partner:
      | { id: string, name: string, kind: PartnerKind, mpnId: string, countryCode: string }
      | { id: string, name: string, kind: PartnerKind, mpnId: string, countryCode: string }
     | null } };

export type ExplorerResellersQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  sharedFirst?: number | null | undefined;
}>;


export type ExplorerResellersQuery = { me: { partner:
      | { indirectResellers: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, kind: PartnerKind, countryCode: string, mpnId: string, partnerSince: string | null, sharedCustomers: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, companyName: string, domain: string, countryCode: string, partners: Array<
                      | { id: string, name: string, kind: PartnerKind }
                      | { id: string, name: string, kind: PartnerKind }
                    >, subscriptions: Array<{ productFamily: ProductFamily }> } }> } } }> } }
      | Record<PropertyKey, never>
     | null } };

export type ExplorerProvidersQueryVariables = Exact<{
  sharedFirst?: number | null | undefined;
}>;


export type ExplorerProvidersQuery = { me: { partner:
      | { indirectProviders: Array<{ id: string, name: string, kind: PartnerKind, countryCode: string, mpnId: string, partnerSince: string | null, sharedCustomers: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, companyName: string, domain: string, countryCode: string, partners: Array<
                  | { id: string, name: string, kind: PartnerKind }
                  | { id: string, name: string, kind: PartnerKind }
                >, subscriptions: Array<{ productFamily: ProductFamily }> } }> } }> }
      | Record<PropertyKey, never>
     | null } };

export type ExplorerCustomersQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  where?: CustomerWhere | null | undefined;
}>;


export type ExplorerCustomersQuery = { customers: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, companyName: string, domain: string, countryCode: string, partners: Array<
          | { id: string, name: string, kind: PartnerKind }
          | { id: string, name: string, kind: PartnerKind }
        >, subscriptions: Array<{ productFamily: ProductFamily }> } }> } };

export type ExplorerCustomerQueryVariables = Exact<{
  id: string | number;
}>;


export type ExplorerCustomerQuery = { customer: { id: string, companyName: string, domain: string, countryCode: string, channelPaths: Array<{ providerCanOrder: boolean, provider: { id: string, name: string }, reseller: { id: string, name: string } }>, subscriptions: Array<{ id: string, offerName: string, productFamily: ProductFamily, quantity: number, status: SubscriptionStatus, partnerIdOnRecord: string | null, soldThrough: { id: string, name: string, mpnId: string } | null, orderedBy: { id: string, name: string, mpnId: string } | null }>, delegatedAdminRelationships: Array<{ id: string, status: DelegatedAdminStatus, roles: Array<DelegatedAdminRole>, durationDays: number, autoExtend: boolean, activatedAt: string | null, endsAt: string | null }>, partners: Array<
      | { id: string, name: string, kind: PartnerKind }
      | { id: string, name: string, kind: PartnerKind }
    > } | null };

export type ExplorerStatsQueryVariables = Exact<{ [key: string]: never; }>;


export type ExplorerStatsQuery = { channelStats: { providers: number, resellers: number, customers: number, sharedCustomers: number, customersWithoutProvider: number } };

export type ExplorerEventsHeadQueryVariables = Exact<{ [key: string]: never; }>;


export type ExplorerEventsHeadQuery = { events: { edges: Array<{ cursor: string }> } };

export type ExplorerEventsSubscriptionVariables = Exact<{
  after?: string | null | undefined;
}>;


export type ExplorerEventsSubscription = { channelEvents: { cursor: string, event: { id: string, type: ChannelEventType, at: string, subjectId: string, summary: string } } | null };

type ExplorerPartner_Provider_Fragment = { id: string, name: string, kind: PartnerKind, countryCode: string, mpnId: string, partnerSince: string | null, sharedCustomers: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, companyName: string, domain: string, countryCode: string, partners: Array<
          | { id: string, name: string, kind: PartnerKind }
          | { id: string, name: string, kind: PartnerKind }
        >, subscriptions: Array<{ productFamily: ProductFamily }> } }> } };

type ExplorerPartner_Reseller_Fragment = { id: string, name: string, kind: PartnerKind, countryCode: string, mpnId: string, partnerSince: string | null, sharedCustomers: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, companyName: string, domain: string, countryCode: string, partners: Array<
          | { id: string, name: string, kind: PartnerKind }
          | { id: string, name: string, kind: PartnerKind }
        >, subscriptions: Array<{ productFamily: ProductFamily }> } }> } };

export type ExplorerPartnerFragment =
  | ExplorerPartner_Provider_Fragment
  | ExplorerPartner_Reseller_Fragment
;

export type ExplorerCustomerNodeFragment = { id: string, companyName: string, domain: string, countryCode: string, partners: Array<
    | { id: string, name: string, kind: PartnerKind }
    | { id: string, name: string, kind: PartnerKind }
  >, subscriptions: Array<{ productFamily: ProductFamily }> };
