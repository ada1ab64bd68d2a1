/**
 * D-24: the other party is told, after commit, at its primary contact: a provider when the
 * reseller declines its invitation (D-23), the other side when a partnership is ended (D-22).
 * Plain text, like the invitations' drafts (src/modules/invitations/invitation.mail.ts).
 */

export interface Notice {
  subject: string;
  text: string;
}

export interface Party {
  name: string;
  mpnId: string;
}

/** The organisation told, and its primary contact: read beside its record (PartnerRecord has no contact). */
export interface Recipient {
  name: string;
  contactName: string | null;
  contactEmail: string | null;
}

function when(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function letter(to: Recipient, ...paragraphs: string[]): string {
  const hello = to.contactName ? `Hello ${to.contactName},` : "Hello,";
  return [hello, "", ...paragraphs.flatMap((p) => [p, ""]), "This is an automatic notice of the CSP channel; there is nothing to reply to.", ""].join("\n");
}

/** D-22: to the side that did not end it. */
export function partnershipEndedNotice(endedBy: Party & { kind: "PROVIDER" | "RESELLER" }, to: Recipient, endedAt: Date): Notice {
  const providerName = endedBy.kind === "PROVIDER" ? endedBy.name : to.name;
  const resellerName = endedBy.kind === "RESELLER" ? endedBy.name : to.name;
  return {
    subject: `${endedBy.name} ended its partnership with ${to.name}`,
    text: letter(
      to,
      `${endedBy.name} (MPN ID ${endedBy.mpnId}) ended the indirect partnership between ${providerName} (indirect provider) and ${resellerName} (indirect reseller) on ${when(endedAt)}.`,
      `What it means: ${providerName} is no longer on ${resellerName}'s "Indirect providers" list, nor ${resellerName} on ${providerName}'s "Indirect resellers" list, and ${providerName} can no longer submit orders for ${resellerName}'s customers. Subscriptions already ordered stay as they are, and each keeps its own reseller relationships with its customers. Pending partnership invitations between the two were revoked; a new partnership needs a new invitation.`,
    ),
  };
}

/** D-23: to the provider whose invitation the reseller declined. */
export function invitationDeclinedNotice(reseller: Party, to: Recipient, invitation: { id: string; createdAt: Date }, declinedAt: Date): Notice {
  return {
    subject: `${reseller.name} declined your invitation to be your indirect reseller`,
    text: letter(
      to,
      `${reseller.name} (MPN ID ${reseller.mpnId}) declined the partnership invitation ${invitation.id} that ${to.name} sent on ${when(invitation.createdAt)}, on ${when(declinedAt)}.`,
      `What it means: the invitation's link no longer works, and ${reseller.name} does not become one of your indirect resellers. You may send a new invitation later.`,
    ),
  };
}
