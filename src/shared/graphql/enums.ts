import { registerEnumType } from "type-graphql";

// The enums of the contract (shared/contract/inputs.graphql), plus the statuses of objects the
// contract returns. Values are the strings stored in the graph.

export enum PartnerKind { PROVIDER = "PROVIDER", RESELLER = "RESELLER" }
export enum AgentRole { ADMIN_AGENT = "ADMIN_AGENT", SALES_AGENT = "SALES_AGENT", HELPDESK_AGENT = "HELPDESK_AGENT", NONE = "NONE" }
export enum AdminRole { GLOBAL_ADMIN = "GLOBAL_ADMIN", USER_MANAGEMENT_ADMIN = "USER_MANAGEMENT_ADMIN", NONE = "NONE" }
export enum EnrollmentStatus {
  PENDING_EMAIL_VERIFICATION = "PENDING_EMAIL_VERIFICATION",
  UNDER_REVIEW = "UNDER_REVIEW",
  ACTIVE = "ACTIVE",
  REJECTED = "REJECTED",
}
export enum EnrollmentDecision { APPROVE = "APPROVE", REJECT = "REJECT" }
export enum RelationshipRequestKind {
  PROVIDER_RESELLER = "PROVIDER_RESELLER",
  CUSTOMER_RESELLER = "CUSTOMER_RESELLER",
  CUSTOMER_RESELLER_AND_PROVIDER = "CUSTOMER_RESELLER_AND_PROVIDER",
  DELEGATED_ADMIN = "DELEGATED_ADMIN",
}
export enum RelationshipRequestStatus {
  PENDING = "PENDING",
  ACCEPTED = "ACCEPTED",
  REVOKED = "REVOKED",
  EXPIRED = "EXPIRED",
  /** D-23: a reseller declined a partnership invitation. */
  DECLINED = "DECLINED",
}
export enum ProductFamily { OFFICE_365 = "OFFICE_365", AZURE = "AZURE", DYNAMICS_365 = "DYNAMICS_365" }
/** D-21: ACTIVE <-> SUSPENDED; either -> CANCELLED (final). */
export enum SubscriptionStatus { ACTIVE = "ACTIVE", SUSPENDED = "SUSPENDED", CANCELLED = "CANCELLED" }
/** D-25: PENDING_APPROVAL -> ACTIVE -> EXPIRED (computed when read) or TERMINATED. */
export enum DelegatedAdminStatus { PENDING_APPROVAL = "PENDING_APPROVAL", ACTIVE = "ACTIVE", EXPIRED = "EXPIRED", TERMINATED = "TERMINATED" }
/** D-25: the Microsoft Entra roles a GDAP relationship grants (the contract's names). */
export enum DelegatedAdminRole {
  GLOBAL_ADMINISTRATOR = "GLOBAL_ADMINISTRATOR",
  USER_ADMINISTRATOR = "USER_ADMINISTRATOR",
  LICENSE_ADMINISTRATOR = "LICENSE_ADMINISTRATOR",
  HELPDESK_ADMINISTRATOR = "HELPDESK_ADMINISTRATOR",
  SERVICE_SUPPORT_ADMINISTRATOR = "SERVICE_SUPPORT_ADMINISTRATOR",
  DIRECTORY_READER = "DIRECTORY_READER",
  BILLING_ADMINISTRATOR = "BILLING_ADMINISTRATOR",
}
export enum ServiceRequestSeverity { CRITICAL = "CRITICAL", HIGH = "HIGH", NORMAL = "NORMAL" }
export enum ServiceRequestStatus { OPEN = "OPEN", IN_PROGRESS = "IN_PROGRESS", RESOLVED = "RESOLVED" }
export enum LeadSource { OWN_MARKETING = "OWN_MARKETING", MICROSOFT_REFERRAL = "MICROSOFT_REFERRAL", INDIRECT_PROVIDER = "INDIRECT_PROVIDER" }
export enum LeadStatus { NEW = "NEW", QUALIFIED = "QUALIFIED", WON = "WON", LOST = "LOST" }
export enum OrderStatus { COMPLETED = "COMPLETED" }
export enum ServiceHealthState { HEALTHY = "HEALTHY", ADVISORY = "ADVISORY", INCIDENT = "INCIDENT" }
/** D-28: what happened in the channel (src/shared/events.ts: who reads each). */
export enum ChannelEventType {
  PARTNERSHIP_AUTHORIZED = "PARTNERSHIP_AUTHORIZED",
  PARTNERSHIP_DECLINED = "PARTNERSHIP_DECLINED",
  PARTNERSHIP_ENDED = "PARTNERSHIP_ENDED",
  CUSTOMER_RELATIONSHIP_ACCEPTED = "CUSTOMER_RELATIONSHIP_ACCEPTED",
  CUSTOMER_RELATIONSHIP_ENDED = "CUSTOMER_RELATIONSHIP_ENDED",
  ORDER_SUBMITTED = "ORDER_SUBMITTED",
  SUBSCRIPTION_UPDATED = "SUBSCRIPTION_UPDATED",
  DELEGATED_ADMIN_APPROVED = "DELEGATED_ADMIN_APPROVED",
  DELEGATED_ADMIN_TERMINATED = "DELEGATED_ADMIN_TERMINATED",
  DELEGATED_ADMIN_EXPIRING = "DELEGATED_ADMIN_EXPIRING",
  DELEGATED_ADMIN_EXPIRED = "DELEGATED_ADMIN_EXPIRED",
}

const enums = {
  PartnerKind, AgentRole, AdminRole, EnrollmentStatus, EnrollmentDecision, RelationshipRequestKind,
  RelationshipRequestStatus, ProductFamily, SubscriptionStatus, ServiceRequestSeverity, ServiceRequestStatus,
  LeadSource, LeadStatus, OrderStatus, ServiceHealthState, DelegatedAdminStatus, DelegatedAdminRole, ChannelEventType,
};
for (const [name, value] of Object.entries(enums)) registerEnumType(value, { name });
