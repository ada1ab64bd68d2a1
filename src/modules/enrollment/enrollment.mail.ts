import type { OutgoingMail } from "../../shared/mail/mailer.js";

/** The emails of enrollment (D-4), all to the primary contact. Sent after the transaction committed. */

export const VERIFICATION_DAYS = 7;

export function verificationMail(args: {
  to: string;
  contactName: string;
  legalName: string;
  mpnId: string;
  link: string;
  expiresAt: Date;
}): OutgoingMail {
  return {
    to: args.to,
    subject: `Verify your email address for the CSP enrollment of ${args.legalName}`,
    text: [
      `Hello ${args.contactName},`,
      "",
      `${args.legalName} (MPN ID ${args.mpnId}) has enrolled in the Cloud Solution Provider program and named you as its primary contact.`,
      "",
      "Please open the link below to confirm both of these:",
      "  (a) that you signed up for this enrollment, and",
      `  (b) that this email address belongs to ${args.legalName}.`,
      "",
      args.link,
      "",
      `The link can be used once and expires on ${args.expiresAt.toISOString()} (${VERIFICATION_DAYS} days).`,
      "The review of the enrollment starts only after this confirmation; it can take a few days,",
      "and we will email you at this address when its status changes.",
      "",
      "If you did not sign up, ignore this email: nothing happens without the confirmation.",
    ].join("\n"),
  };
}

export function underReviewMail(args: { to: string; contactName: string; legalName: string }): OutgoingMail {
  return {
    to: args.to,
    subject: `The CSP enrollment of ${args.legalName} is under review`,
    text: [
      `Hello ${args.contactName},`,
      "",
      `Thank you for confirming your email address. The enrollment of ${args.legalName} is now under review.`,
      "The review can take a few days; we will email you at this address when it is decided.",
    ].join("\n"),
  };
}

export function decisionMail(args: {
  to: string;
  contactName: string;
  legalName: string;
  approved: boolean;
  reason: string | null;
  signInUrl: string;
}): OutgoingMail {
  const lines = args.approved
    ? [
        `The enrollment of ${args.legalName} has been approved: the organisation is now active.`,
        `Its global admin can sign in at ${args.signInUrl} and start working with customers.`,
      ]
    : [`The enrollment of ${args.legalName} has been rejected.`, ...(args.reason ? ["", `Reason: ${args.reason}`] : [])];
  if (args.approved && args.reason) lines.push("", `Note from the reviewer: ${args.reason}`);
  return {
    to: args.to,
    subject: `The CSP enrollment of ${args.legalName} was ${args.approved ? "approved" : "rejected"}`,
    text: [`Hello ${args.contactName},`, "", ...lines].join("\n"),
  };
}
