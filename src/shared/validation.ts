import { BadUserInputError } from "./errors.js";

/** The most characters of an input that an error message quotes back. */
export const ECHO_MAX = 40;

/** Characters an echo shows as \u escapes: invisible or reordering ones (JSON already escapes controls). */
const ECHO_ESCAPED = /[\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Default_Ignorable_Code_Point}]/gu;

/**
 * An input value as an error message quotes it (the one way every message does): in double
 * quotes, JSON-escaped, invisible characters as \u escapes, and cut to its first 40 characters
 * followed by an ellipsis and the original length, so an answer never carries an input back whole:
 * `"aaaa…aaaa"… (100,000 characters)`. Work is bounded by the 40 characters, whatever the length.
 */
export function echo(value: unknown): string {
  const text = typeof value === "string" ? value : String(value);
  // Code points, so that a cut never splits a surrogate pair; 80 code units hold at least 40 of them.
  const shown = Array.from(text.slice(0, ECHO_MAX * 2)).slice(0, ECHO_MAX).join("");
  const quoted = JSON.stringify(shown).replace(ECHO_ESCAPED, (c) => {
    const code = c.codePointAt(0)!;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
  return shown.length < text.length ? `${quoted}… (${text.length.toLocaleString("en-US")} characters)` : quoted;
}

/**
 * A message this code did not write (graphql-js and Apollo quote the variable values, literals and
 * operation names they refuse: `Variable "$first" got invalid value "xxxx..."`), with every
 * double-quoted value longer than 40 characters cut as echo() cuts it. For formatError, so that no
 * answer carries an input back whole, whoever wrote the message. Linear in the message's length.
 */
export function cutQuotedValues(message: string): string {
  return message.replace(/"((?:[^"\\]|\\.)*)"/g, (quoted, inner: string) => {
    if (inner.length <= ECHO_MAX) return quoted;
    let value: string;
    try {
      // graphql-js quotes with JSON.stringify (values) or printString (literals): JSON escapes.
      value = JSON.parse(quoted) as string;
    } catch {
      value = inner;
    }
    return echo(value);
  });
}

/**
 * Characters that no name, title or other text input may hold: controls (Cc), format characters
 * (Cf: bidi overrides and isolates, zero-width space and joiners, word joiner, BOM, soft hyphen,
 * tags...), unpaired surrogates (Cs), private-use (Co) and unassigned (Cn) code points, line and
 * paragraph separators (Zl, Zp) and the other default-ignorable (invisible) characters such as
 * the Hangul fillers and stray variation selectors. Multi-line fields take "\n" besides.
 */
const REFUSED = /[\p{C}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;

/** Scripts whose spelling needs ZWNJ / ZWJ inside words (Persian, Urdu, Indic scripts, Sinhala...). */
const JOINING_SCRIPTS = [
  "Arabic", "Syriac", "Nko", "Mongolian", "Devanagari", "Bengali", "Gurmukhi", "Gujarati", "Oriya", "Tamil",
  "Telugu", "Kannada", "Malayalam", "Sinhala", "Tibetan", "Myanmar", "Khmer",
].map((script) => `\\p{scx=${script}}`).join("");

/**
 * The invisible characters that are part of correct text, where they are: they are taken out
 * before the REFUSED check, so that anywhere else they are refused.
 * - U+200C ZWNJ and U+200D ZWJ between two characters of a joining script (Persian "می‌خواهم",
 *   Devanagari "क्‍ष"), or right after a virama or other mark of one (Malayalam "ന്‍" at the end
 *   of a word): the words are spelled with them (RFC 5892's CONTEXTJ rules are close to this).
 * - U+200D ZWJ between two pictographs of an emoji sequence ("👩🏽‍💻", "🏳️‍🌈").
 * - One variation selector right after the letter, digit, symbol or punctuation it selects a
 *   glyph of ("❤️", "#️⃣", Japanese ideographic variants "葛󠄀", Mongolian free variation selectors).
 * A joiner at the start, next to Latin or CJK letters, or doubled, and a selector after
 * another selector (the trick that hides bytes in an emoji) stay refused.
 */
const ALLOWED_IN_CONTEXT = new RegExp(
  `(?<=[${JOINING_SCRIPTS}]\\p{M}*)[\\u200C\\u200D](?=\\p{M}*[${JOINING_SCRIPTS}])` +
    `|(?<=[${JOINING_SCRIPTS}]\\p{Mn})[\\u200C\\u200D]` +
    `|(?<=\\p{Extended_Pictographic}[\\p{Emoji_Modifier}\\uFE0F]?)\\u200D(?=\\p{Extended_Pictographic})` +
    `|(?<=[\\p{L}\\p{N}\\p{S}\\p{P}])[\\uFE00-\\uFE0F\\u{E0100}-\\u{E01EF}\\u180B-\\u180D\\u180F]`,
  "gu",
);

const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/u;

/** What a refused character is, for the message. */
function characterKind(c: string): string {
  if (c === "\n" || c === "\r") return "a line break";
  if (/\p{Cc}/u.test(c)) return "a control character";
  if (BIDI_CONTROLS.test(c)) return "a bidirectional-text control";
  if (ZERO_WIDTH.test(c)) return "a zero-width character";
  if (/\p{Cf}/u.test(c)) return "an invisible format character";
  if (/[\p{Zl}\p{Zp}]/u.test(c)) return "a line or paragraph separator";
  if (/\p{Cs}/u.test(c)) return "an unpaired surrogate";
  if (/\p{Co}/u.test(c)) return "a private-use character";
  if (/\p{Cn}/u.test(c)) return "an unassigned code point";
  return "an invisible character";
}

/** Unicode White_Space at either end (not U+FEFF, which JavaScript's trim() also drops: a BOM is refused, not hidden). */
const EDGE_SPACE = /^\p{White_Space}+|\p{White_Space}+$/gu;

/**
 * Text as stored: NFC (one encoding per visible text: "Zoë" typed with a combining diaeresis is
 * the same name as with "ë", and search finds both), line breaks as "\n" in multi-line fields,
 * trimmed of white space at both ends.
 */
function normalizeText(value: string, multiline: boolean): string {
  const nfc = value.normalize("NFC");
  return (multiline ? nfc.replace(/\r\n?/g, "\n") : nfc).replace(EDGE_SPACE, "");
}

/** BAD_USER_INPUT (rule "characters") naming the first refused character of `value`, if any. */
function checkCharacters(field: string, value: string, multiline: boolean): void {
  const visible = value.replace(ALLOWED_IN_CONTEXT, (c) => c.replace(/./su, "a"));
  const text = multiline ? visible.replaceAll("\n", " ") : visible;
  const match = REFUSED.exec(text);
  if (!match) return;
  const c = String.fromCodePoint(match[0].codePointAt(0)!);
  const position = Array.from(text.slice(0, match.index)).length + 1;
  const code = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
  throw new BadUserInputError(
    field,
    "characters",
    `must not contain ${characterKind(c)} (${code}, character ${position}): ${multiline ? "only visible characters and line breaks are accepted" : "only visible characters on one line are accepted"}.`,
  );
}

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
    throw new BadUserInputError(field, "ISO 3166-1 alpha-2", `${echo(value)} is not an ISO 3166-1 alpha-2 country code (e.g. US, DE, GB).`);
  }
  return code;
}

export function optionalCountryCode(field: string, value: string | null | undefined): string | null {
  return value === null || value === undefined || value === "" ? null : countryCode(field, value);
}

/** A case-insensitive search term (NFC, lower case, the characters of text); empty means no filter. */
export function searchTerm(field: string, value: string | null | undefined, max = 100): string | null {
  if (value === null || value === undefined) return null;
  const term = normalizeText(value, false);
  if (term.length > max) throw new BadUserInputError(field, "length", `must be at most ${max} characters.`);
  checkCharacters(field, term, false);
  return term === "" ? null : term.toLowerCase();
}

const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+)$/;
const DOMAIN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/** A normalised (trimmed, lower-case) email address, or BAD_USER_INPUT naming the field. */
export function email(field: string, value: string): string {
  const address = value.trim().toLowerCase();
  if (address.length > 254 || !EMAIL.test(address)) {
    throw new BadUserInputError(field, "email format", `${echo(value)} is not a valid email address.`);
  }
  return address;
}

export function emailDomain(address: string): string {
  return address.slice(address.lastIndexOf("@") + 1);
}

export function domain(field: string, value: string): string {
  const name = value.trim().toLowerCase().replace(/\.$/, "");
  if (!DOMAIN.test(name)) throw new BadUserInputError(field, "domain format", `${echo(value)} is not a valid domain name (e.g. contoso.com).`);
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
      `${echo(address)} is at a web-based mail service; use an address of your organisation (Gmail, Yahoo! Mail, iCloud Mail, AOL Mail and Outlook Mail addresses are not accepted: ${WEBMAIL_DOMAIN_LIST}).`,
    );
  }
  return address;
}

/**
 * Free text on one line (names, titles, addresses): NFC, trimmed, required, at most `max`
 * characters, visible characters only (see REFUSED; U+0000 also separates the parts of the
 * customer list key, cypher/migrations/0006).
 */
export function text(field: string, value: string, max = 200): string {
  return checkedText(field, value, max, false);
}

export function optionalText(field: string, value: string | null | undefined, max = 200): string | null {
  return isBlank(value) ? null : text(field, value!, max);
}

/** Free text over several lines (descriptions, reasons): as `text`, with line breaks kept as "\n" (CRLF and CR become "\n"). */
export function multilineText(field: string, value: string, max: number): string {
  return checkedText(field, value, max, true);
}

export function optionalMultilineText(field: string, value: string | null | undefined, max: number): string | null {
  return isBlank(value) ? null : multilineText(field, value!, max);
}

function isBlank(value: string | null | undefined): boolean {
  return value === null || value === undefined || value.replace(EDGE_SPACE, "") === "";
}

function checkedText(field: string, value: string, max: number, multiline: boolean): string {
  const normalized = normalizeText(value, multiline);
  if (normalized === "") throw new BadUserInputError(field, "required", "must not be empty.");
  if (normalized.length > max) throw new BadUserInputError(field, "length", `must be at most ${max} characters.`);
  checkCharacters(field, normalized, multiline);
  return normalized;
}

/** An id argument, trimmed and not empty (ids are opaque: one that does not exist, however long, reads as NOT_FOUND later, T-4, quoted by echo()). */
export function requiredId(field: string, value: string): string {
  const id = value.trim();
  if (id === "") throw new BadUserInputError(field, "required", "must not be empty.");
  return id;
}
