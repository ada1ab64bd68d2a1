/**
 * The editable plain-text emails of relationship requests (D-9, D-14, D-16, C4). The text the
 * API returns as `emailDraft` is exactly the text mailed to the invited address, so what the
 * partner sees is what the recipient gets. Each says who invites, what accepting means (per
 * DOMAIN.md) and carries the single-use link with its expiry (D-17).
 */

export interface DraftSender {
  partnerName: string;
  partnerKind: "PROVIDER" | "RESELLER";
  mpnId: string;
  inviterName: string;
  inviterEmail: string;
}

export interface Draft {
  subject: string;
  text: string;
}

/** Where each kind's link leads: the partner-facing authorization page, or the customer's acceptance page. */
export const LINK_PATHS = {
  PROVIDER_RESELLER: "/partners/authorize-indirect-provider",
  CUSTOMER: "/customers/accept-relationship",
} as const;

export function linkFor(publicUrl: string, path: string, token: string): string {
  return `${publicUrl}${path}?token=${token}`;
}

function day(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function signature(sender: DraftSender): string {
  return `${sender.inviterName} (${sender.inviterEmail})\n${sender.partnerName}, MPN ID ${sender.mpnId}`;
}

function linkBlock(link: string, expiresAt: Date): string {
  return `${link}\n\nThe link can be used once and expires on ${day(expiresAt)}. If you did not expect this email, ignore it.`;
}

/** Every invitation reads the same way: who invites, what accepting means, the link, who signs. */
function letter(sender: DraftSender, invitation: string, meaning: string, link: string, expiresAt: Date): string {
  return ["Hello,", "", invitation, "", meaning, "", linkBlock(link, expiresAt), "", "Regards,", signature(sender)].join("\n");
}

/** D-9: a provider invites a reseller to become its indirect reseller. */
export function resellerInvitationDraft(sender: DraftSender, resellerName: string, link: string, expiresAt: Date): Draft {
  return {
    subject: `${sender.partnerName} invites ${resellerName} to be its indirect reseller`,
    text: letter(sender, `${sender.inviterName} of ${sender.partnerName}, an indirect provider in the Cloud Solution Provider program, invites ${resellerName} to become one of its indirect resellers.`, `What accepting means: a global admin of ${resellerName} signs in, opens the link below, ticks the box and selects "Authorize indirect provider". ${sender.partnerName} then appears on your "Indirect providers" list and ${resellerName} on its "Indirect resellers" list. ${sender.partnerName} may then submit orders and add subscriptions on behalf of your customers, and gets administrator access to your tenant.`, link, expiresAt),
  };
}

/** D-14 (and D-18): a partner asks a customer for a reseller relationship. */
export function customerRelationshipDraft(sender: DraftSender, domain: string, link: string, expiresAt: Date): Draft {
  const manages =
    sender.partnerKind === "RESELLER"
      ? `can manage your subscriptions and services, and your account, users and licenses (delegated administrator permissions)`
      : `can sell to your organisation and manage the subscriptions it buys through ${sender.partnerName}`;
  return {
    subject: `${sender.partnerName} asks to become your Microsoft cloud reseller`,
    text: letter(sender, `${sender.inviterName} of ${sender.partnerName} invites your organisation (${domain}) to accept a reseller relationship with ${sender.partnerName}.`, `What accepting means: your organisation appears on ${sender.partnerName}'s customer list, and ${sender.partnerName} ${manages}. The invitation is for the organisation of the domain ${domain}; if it is new to us, you will be asked for its company name and country when you accept.`, link, expiresAt),
  };
}

/** D-16: a reseller invites a new customer with one of its indirect providers. */
export function customerWithProviderDraft(sender: DraftSender, providerName: string, domain: string, link: string, expiresAt: Date): Draft {
  return {
    subject: `${sender.partnerName} and ${providerName} ask to become your Microsoft cloud resellers`,
    text: letter(sender, `${sender.inviterName} of ${sender.partnerName} invites your organisation (${domain}) to accept a reseller relationship with ${sender.partnerName} and its indirect provider ${providerName} at the same time.`, `What accepting means: ${sender.partnerName} gets delegated administrator permissions (subscriptions, licenses, users) for your organisation, and ${providerName} may submit orders for your organisation. Both list your organisation as their customer. The invitation is for the organisation of the domain ${domain}; if it is new to us, you will be asked for its company name and country when you accept.`, link, expiresAt),
  };
}

/** What a delegated admin request asks for (D-25), as the draft and the approval mail say it. */
export interface DelegatedAdminAsk {
  roles: readonly string[];
  durationDays: number;
  autoExtend: boolean;
}

/** "User Administrator, License Administrator" from the enum names. */
function roleNames(roles: readonly string[]): string {
  return roles.map((role) => role.toLowerCase().split("_").map((w) => w[0]!.toUpperCase() + w.slice(1)).join(" ")).join(", ");
}

function askText(ask: DelegatedAdminAsk): string {
  const extension = ask.autoExtend ? ", then extended automatically by 180 days at a time until you or the partner end it" : "; it is not extended automatically";
  return `the roles ${roleNames(ask.roles)}, for ${ask.durationDays} day${ask.durationDays === 1 ? "" : "s"} from your approval${extension}`;
}

/** C4, D-25: a partner of record asks the customer for granular delegated admin privileges. */
export function delegatedAdminDraft(sender: DraftSender, customerName: string, ask: DelegatedAdminAsk, link: string, expiresAt: Date): Draft {
  return {
    subject: `${sender.partnerName} asks for delegated admin privileges for ${customerName}`,
    text: letter(
      sender,
      `${sender.inviterName} of ${sender.partnerName}, a reseller of record of ${customerName}, asks for granular delegated administrator privileges for your organisation: ${askText(ask)}.`,
      `What accepting means: ${sender.partnerName} may administer on your behalf within those roles only (for example your users, licenses and service requests), until the relationship ends; you can ask ${sender.partnerName} to end it at any time. Your existing relationship with ${sender.partnerName} does not change otherwise.`,
      link,
      expiresAt,
    ),
  };
}

// ------------------------------------------------------------------ D-24: telling the other party

/** A notice to an organisation's primary contact, sent after the transaction committed (D-24). */
export interface Notice {
  to: string;
  subject: string;
  text: string;
}

function notice(to: string, subject: string, lines: string[]): Notice {
  return { to, subject, text: ["Hello,", "", ...lines, "", "This is an automatic notice from the CSP channel; no reply is needed."].join("\n") };
}

/** D-24, D-9: a reseller authorized the provider that invited it. */
export function providerAuthorizedNotice(to: string, providerName: string, reseller: { name: string; mpnId: string }): Notice {
  return notice(to, `${reseller.name} authorized ${providerName} as its indirect provider`, [
    `${reseller.name} (MPN ID ${reseller.mpnId}) accepted ${providerName}'s invitation and authorized it as an indirect provider (D-9).`,
    `${reseller.name} is now on your "Indirect resellers" list, and you may submit orders for the customers you share with it.`,
  ]);
}

/** D-24, D-14, D-16: a customer accepted a partner's invitation; `withPartner` names the other partner of a D-16 invitation. */
export function customerAcceptedNotice(to: string, partnerName: string, customer: { companyName: string; domain: string }, withPartner: string | null): Notice {
  const both = withPartner ? ` together with ${withPartner}` : "";
  return notice(to, `${customer.companyName} accepted the reseller relationship with ${partnerName}`, [
    `${customer.companyName} (${customer.domain}) accepted the invitation to a reseller relationship with ${partnerName}${both}.`,
    `The customer is now on ${partnerName}'s customer list.`,
  ]);
}

/** D-24, D-25: a customer approved a delegated admin request. */
export function delegatedAdminApprovedNotice(
  to: string,
  partnerName: string,
  customer: { companyName: string; domain: string },
  relationship: DelegatedAdminAsk & { id: string; endsAt: Date | null },
): Notice {
  const ends = relationship.endsAt ? ` It ends on ${day(relationship.endsAt)}${relationship.autoExtend ? " unless it is extended automatically" : ""}.` : "";
  return notice(to, `${customer.companyName} approved delegated admin privileges for ${partnerName}`, [
    `${customer.companyName} (${customer.domain}) approved ${partnerName}'s granular delegated admin request: ${askText(relationship)}.`,
    `The relationship ${relationship.id} is ACTIVE.${ends}`,
  ]);
}
