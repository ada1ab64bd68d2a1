import { BadUserInputError } from "../../shared/errors.js";
import { PartnerKind } from "../../shared/graphql/enums.js";
import * as v from "../../shared/validation.js";
import { checkNewPassword } from "../users/user.resolver.js";
import type { EnrollPartnerInput, SupportContactInput } from "./enrollment.input.js";

/** Product decision: an MPN ID (Partner Membership Center) is 6 to 10 digits. */
const MPN_ID = /^\d{6,10}$/;
const PHONE = /^\+?[0-9][0-9 ()./-]{2,38}$/;

export function mpnId(field: string, value: string): string {
  const id = value.trim();
  if (!MPN_ID.test(id)) {
    throw new BadUserInputError(field, "MPN ID format", `${v.echo(value)} is not an MPN ID: it must be 6 to 10 digits (product decision).`);
  }
  return id;
}

export function optionalPhone(field: string, value: string | null | undefined): string | null {
  const phone = v.optionalText(field, value, 40);
  if (phone !== null && !PHONE.test(phone)) {
    throw new BadUserInputError(field, "phone format", `${v.echo(value)} is not a phone number (digits, spaces, + ( ) . / - only).`);
  }
  return phone;
}

/** An optional https URL on a public-looking host name. */
export function optionalHttpsUrl(field: string, value: string | null | undefined): string | null {
  const text = v.optionalText(field, value, 2000);
  if (text === null) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new BadUserInputError(field, "https URL", `${v.echo(value)} is not a URL; give a full https:// address.`);
  }
  if (url.protocol !== "https:") throw new BadUserInputError(field, "https URL", `${v.echo(value)} must be an https:// address.`);
  v.domain(field, url.hostname);
  if (url.username || url.password) throw new BadUserInputError(field, "https URL", "must not contain a user name or password.");
  return text;
}

export interface SupportContact {
  email: string;
  phone: string | null;
  website: string | null;
}

export function supportContact(field: string, input: SupportContactInput): SupportContact {
  return {
    email: v.email(`${field}.email`, input.email),
    phone: optionalPhone(`${field}.phone`, input.phone),
    website: optionalHttpsUrl(`${field}.website`, input.website),
  };
}

export interface ValidEnrollment {
  kind: "PROVIDER" | "RESELLER";
  legalName: string;
  mpnId: string;
  countryCode: string;
  tenantDomain: string;
  address: { line1: string; city: string; postalCode: string; countryCode: string };
  primaryContact: { name: string; email: string; phone: string | null };
  supportContact: SupportContact;
  globalAdmin: { displayName: string; email: string; password: string };
}

/** Every field of enrollPartner (D-1..D-3), in input order; the first problem is reported with its path and rule. */
export function validateEnrollment(input: EnrollPartnerInput): ValidEnrollment {
  const legalName = v.text("input.legalName", input.legalName, 200);
  const mpn = mpnId("input.mpnId", input.mpnId);
  const countryCode = v.countryCode("input.countryCode", input.countryCode);
  const tenantDomain = v.domain("input.tenantDomain", input.tenantDomain);
  if (v.isWebmail(`admin@${tenantDomain}`)) {
    throw new BadUserInputError(
      "input.tenantDomain",
      "D-1",
      `${v.echo(tenantDomain)} is a web-based mail service, not your organisation's own work-account domain (D-1, D-3: ${v.WEBMAIL_DOMAIN_LIST}).`,
    );
  }

  const address = {
    line1: v.text("input.address.line1", input.address.line1, 200),
    city: v.text("input.address.city", input.address.city, 100),
    postalCode: v.text("input.address.postalCode", input.address.postalCode, 20),
    countryCode: v.countryCode("input.address.countryCode", input.address.countryCode),
  };
  if (address.countryCode !== countryCode) {
    throw new BadUserInputError(
      "input.address.countryCode",
      "D-2",
      `${v.echo(address.countryCode)} differs from input.countryCode ${v.echo(countryCode)}: the organisation's address must be in the same country/region as its tenant (D-2).`,
    );
  }

  const primaryContact = {
    name: v.text("input.primaryContact.name", input.primaryContact.name, 200),
    email: v.workEmail("input.primaryContact.email", input.primaryContact.email),
    phone: optionalPhone("input.primaryContact.phone", input.primaryContact.phone),
  };

  const support = supportContact("input.supportContact", input.supportContact);

  const adminName = v.text("input.globalAdmin.displayName", input.globalAdmin.displayName, 200);
  const adminEmail = v.workEmail("input.globalAdmin.email", input.globalAdmin.email);
  const globalAdmin = { displayName: adminName, email: adminEmail, password: input.globalAdmin.password };
  if (v.emailDomain(adminEmail) !== tenantDomain) {
    throw new BadUserInputError(
      "input.globalAdmin.email",
      "D-1",
      `${v.echo(adminEmail)} is not on the tenant domain ${v.echo(tenantDomain)}: the global admin signs in with a work account of the organisation (D-1, product decision).`,
    );
  }
  checkNewPassword("input.globalAdmin.password", globalAdmin.password);

  return {
    kind: input.kind === PartnerKind.PROVIDER ? "PROVIDER" : "RESELLER",
    legalName,
    mpnId: mpn,
    countryCode,
    tenantDomain,
    address,
    primaryContact,
    supportContact: support,
    globalAdmin,
  };
}
