import { BadUserInputError } from "./errors.js";

/** ISO 3166-1 alpha-2 codes, officially assigned. */
const ISO_COUNTRIES = new Set(
  (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
    "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
    "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO " +
    "JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR " +
    "MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO " +
    "RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV " +
    "TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
  ).split(" "),
);

export function countryCode(field: string, value: string): string {
  const code = value.trim().toUpperCase();
  if (!ISO_COUNTRIES.has(code)) {
    throw new BadUserInputError(field, "ISO 3166-1 alpha-2", `"${value}" is not an ISO 3166-1 alpha-2 country code (e.g. US, DE, GB).`);
  }
  return code;
}

export function optionalCountryCode(field: string, value: string | null | undefined): string | null {
  return value === null || value === undefined || value === "" ? null : countryCode(field, value);
}

/** A case-insensitive search term; empty means no filter. */
export function searchTerm(field: string, value: string | null | undefined, max = 100): string | null {
  if (value === null || value === undefined) return null;
  const term = value.trim().toLowerCase();
  if (term.length > max) throw new BadUserInputError(field, "length", `must be at most ${max} characters.`);
  return term === "" ? null : term;
}

const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+)$/;
const DOMAIN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/** A normalised (trimmed, lower-case) email address, or BAD_USER_INPUT naming the field. */
export function email(field: string, value: string): string {
  const address = value.trim().toLowerCase();
  if (address.length > 254 || !EMAIL.test(address)) {
    throw new BadUserInputError(field, "email format", `"${value}" is not a valid email address.`);
  }
  return address;
}

export function emailDomain(address: string): string {
  return address.slice(address.lastIndexOf("@") + 1);
}

export function domain(field: string, value: string): string {
  const name = value.trim().toLowerCase().replace(/\.$/, "");
  if (!DOMAIN.test(name)) throw new BadUserInputError(field, "domain format", `"${value}" is not a valid domain name (e.g. contoso.com).`);
  return name;
}

/** D-3: web-based mail services (Gmail, Yahoo! Mail, iCloud Mail, AOL Mail, Outlook Mail). */
const WEBMAIL_DOMAINS = new Set([
  "gmail.com", "googlemail.com", "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com",
  "outlook.com", "hotmail.com", "live.com", "msn.com",
]);

/** D-3's list as told to the user: every domain above, and yahoo.* for each country of Yahoo! Mail. */
export const WEBMAIL_DOMAIN_LIST = "gmail.com, googlemail.com, yahoo.* (yahoo.com, yahoo.co.uk, ...), ymail.com, icloud.com, me.com, mac.com, aol.com, outlook.com, hotmail.com, live.com, msn.com";

export function isWebmail(address: string): boolean {
  const host = emailDomain(address.toLowerCase());
  // yahoo.* covers every country domain of Yahoo! Mail (yahoo.com, yahoo.co.uk, yahoo.de, ...).
  return WEBMAIL_DOMAINS.has(host) || /^yahoo\.[a-z.]+$/.test(host);
}

/** A work email (D-3): valid and not at a web-based mail service. */
export function workEmail(field: string, value: string): string {
  const address = email(field, value);
  if (isWebmail(address)) {
    throw new BadUserInputError(
      field,
      "D-3",
      `"${address}" is at a web-based mail service; use an address of your organisation (Gmail, Yahoo! Mail, iCloud Mail, AOL Mail and Outlook Mail addresses are not accepted: ${WEBMAIL_DOMAIN_LIST}).`,
    );
  }
  return address;
}

/** Free text: trimmed, required unless `optional`, at most `max` characters. */
export function text(field: string, value: string, max = 200): string {
  const trimmed = value.trim();
  if (trimmed === "") throw new BadUserInputError(field, "required", "must not be empty.");
  if (trimmed.length > max) throw new BadUserInputError(field, "length", `must be at most ${max} characters.`);
  // Control characters have no place in a name, and U+0000 separates the parts of the customer
  // list key (cypher/migrations/0006).
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) throw new BadUserInputError(field, "characters", "must not contain control characters.");
  return trimmed;
}

export function optionalText(field: string, value: string | null | undefined, max = 200): string | null {
  return value === null || value === undefined || value.trim() === "" ? null : text(field, value, max);
}
