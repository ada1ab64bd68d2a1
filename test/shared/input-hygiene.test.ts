// enrollment.validation.ts reaches type-graphql classes, which need the metadata polyfill first.
import "reflect-metadata";
import { buildSchema, graphql } from "graphql";
import { describe, expect, it } from "vitest";
import { mpnId, optionalHttpsUrl, optionalPhone } from "../../src/modules/enrollment/enrollment.validation.js";
import {
  countryCode,
  cutQuotedValues,
  domain,
  echo,
  ECHO_MAX,
  email,
  multilineText,
  optionalText,
  searchTerm,
  text,
  workEmail,
} from "../../src/shared/validation.js";
import { thrownBadInput } from "../support/expect.js";

/**
 * Issue 10, point 8, the rules themselves (src/shared/validation.ts). The API-level proof that
 * every free-text input of the contract goes through them is test/app/input-hygiene.test.ts.
 */

/** Names that must stay valid: accents, CJK (the contract's seed is half Chinese), scripts that spell with joiners, emoji. */
const VALID_NAMES: [string, string][] = [
  ["Latin with diaeresis", "Zoë"],
  ["German umlaut", "Müller GmbH & Co. KG"],
  ["Japanese company", "株式会社コントソ"],
  ["Chinese, from the seed", "作为云解决方案提供商计划中的间接经销商"],
  ["Chinese with full-width punctuation, from the seed", "准备进入市场但不想必须管理多个供应商（CSP）计划。"],
  ["full-width Latin and the ideographic space", "Ｃｏｎｔｏｓｏ　株式会社"],
  ["Korean", "콘토소 주식회사"],
  ["Arabic", "شركة كونتوسو"],
  ["Hebrew", "קונטוסו בע״מ"],
  ["Persian with ZWNJ inside a word", "می\u200Cخواهم"],
  ["Devanagari with ZWJ after a virama", "क्\u200Dष"],
  ["Malayalam chillu with ZWJ", "ന്\u200D"],
  ["emoji ZWJ sequence with a skin tone", "👩🏽\u200D💻 Team"],
  ["flag emoji ZWJ sequence with VS16", "🏳\uFE0F\u200D🌈"],
  ["emoji with VS16", "❤\uFE0F Love"],
  ["keycap", "#\uFE0F\u20E3 One"],
  ["Japanese ideographic variation sequence", "葛\u{E0100}飾区"],
  ["a no-break space inside", "Contoso\u00A0Ltd"],
];

/** Invisible, reordering or line-breaking characters in a single-line name. */
const REFUSED_IN_NAMES: [string, string][] = [
  ["U+202E RIGHT-TO-LEFT OVERRIDE", "Contoso\u202Eexe.txt"],
  ["U+202D LEFT-TO-RIGHT OVERRIDE", "Contoso\u202D"],
  ["U+2066..U+2069 isolates", "Con\u2066toso\u2069"],
  ["U+200E LEFT-TO-RIGHT MARK", "Contoso\u200E"],
  ["U+061C ARABIC LETTER MARK", "شركة\u061Cكونتوسو"],
  ["U+200B ZERO WIDTH SPACE", "Con\u200Btoso"],
  ["U+200C ZWNJ between Latin letters", "Con\u200Ctoso"],
  ["U+200D ZWJ between Latin letters", "Con\u200Dtoso"],
  ["U+200D ZWJ between CJK ideographs", "株式\u200D会社"],
  ["U+200D ZWJ at the start", "\u200DContoso"],
  ["U+200D ZWJ alone", "\u200D"],
  ["two ZWNJ in a row in Persian", "می\u200C\u200Cخواهم"],
  ["U+2060 WORD JOINER", "Con\u2060toso"],
  ["U+FEFF BOM at the start", "\uFEFFContoso"],
  ["U+FEFF inside", "Con\uFEFFtoso"],
  ["U+00AD SOFT HYPHEN", "Con\u00ADtoso"],
  ["U+2028 LINE SEPARATOR", "Con\u2028toso"],
  ["U+2029 PARAGRAPH SEPARATOR", "Con\u2029toso"],
  ["a line feed inside", "Con\ntoso"],
  ["a carriage return inside", "Con\rtoso"],
  ["a tab inside", "Con\ttoso"],
  ["U+0000", "Con\u0000toso"],
  ["U+0085 NEXT LINE (C1 control)", "Con\u0085toso"],
  ["U+009B (C1 control)", "Con\u009Btoso"],
  ["U+3164 HANGUL FILLER (an invisible letter)", "\u3164"],
  ["U+115F HANGUL CHOSEONG FILLER", "Con\u115Ftoso"],
  ["U+034F COMBINING GRAPHEME JOINER", "Con\u034Ftoso"],
  ["two variation selectors in a row (data hidden in an emoji)", "😀\uFE0F\uFE0F"],
  ["a variation selector run after an emoji", `😀${"\u{E0100}\u{E0101}\u{E0102}"}`],
  ["a variation selector at the start", "\uFE0FContoso"],
  ["tag characters (hidden ASCII)", "Contoso\u{E0041}\u{E0042}"],
  ["an unpaired surrogate", "Con\uD800toso"],
  ["a private-use character", "Contoso \uF8FF"],
  ["a noncharacter", "Contoso\uFFFF"],
  ["U+FFF9 INTERLINEAR ANNOTATION ANCHOR", "Con\uFFF9toso"],
];

describe("names, titles and other one-line text (text, optionalText)", () => {
  it.each(VALID_NAMES)("when a name is %s, then it is accepted as it is", (_what, name) => {
    expect(text("input.legalName", name)).toBe(name.normalize("NFC"));
  });

  it.each(REFUSED_IN_NAMES)(
    "when a name holds %s, then it is BAD_USER_INPUT naming the field, with rule `characters` and the code point",
    (_what, name) => {
      const error = thrownBadInput(() => text("input.legalName", name));
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.legalName", rule: "characters" });
      expect(error.message).toMatch(/^input\.legalName: must not contain .* \(U\+[0-9A-F]{4,6}, character \d+\)/);
    },
  );

  it("when a name has a bidi override, then the message says which character it is and where", () => {
    expect(thrownBadInput(() => text("input.title", "Invoice\u202Efdp.exe")).message).toBe(
      "input.title: must not contain a bidirectional-text control (U+202E, character 8): only visible characters on one line are accepted.",
    );
  });

  it("when a name is typed decomposed (e + U+0308), then it is stored composed (NFC), so both spellings are one name", () => {
    expect(text("input.companyName", "Zoe\u0308 Mu\u0308ller")).toBe("Zoë Müller");
    expect(text("input.companyName", "Zoe\u0308")).toBe(text("input.companyName", "Zoë"));
    // Hangul typed as conjoining jamo becomes the syllables.
    expect(text("f", "\u1100\u1161")).toBe("가");
  });

  it("when the length is checked, then it is the stored (NFC) length: 200 decomposed letters that compose to 100 fit in 100", () => {
    expect(text("f", "e\u0301".repeat(100), 100)).toBe("é".repeat(100));
    expect(thrownBadInput(() => text("f", "é".repeat(101), 100)).extensions.rule).toBe("length");
  });

  it("when white space surrounds a name (including a line break), then it is trimmed as before; a BOM is not white space and is refused", () => {
    expect(text("f", "  Contoso \n")).toBe("Contoso");
    expect(text("f", "\u3000株式会社\u3000")).toBe("株式会社");
    expect(thrownBadInput(() => text("f", "\uFEFF")).extensions.rule).toBe("characters");
    expect(thrownBadInput(() => text("f", "  ")).extensions.rule).toBe("required");
  });

  it("when an optional text holds only invisible characters, then it is refused, not taken for blank", () => {
    expect(optionalText("f", "   ")).toBeNull();
    expect(thrownBadInput(() => optionalText("f", "\u200B")).extensions.rule).toBe("characters");
  });
});

describe("multi-line text (descriptions, reasons)", () => {
  it("when a description has line breaks, then they are kept, CRLF and CR as LF", () => {
    expect(multilineText("input.description", "Line 1\r\nLine 2\rLine 3\n\nLine 5", 100)).toBe("Line 1\nLine 2\nLine 3\n\nLine 5");
  });

  it.each([
    ["a tab", "a\tb"],
    ["U+2028 LINE SEPARATOR", "a\u2028b"],
    ["U+2029 PARAGRAPH SEPARATOR", "a\u2029b"],
    ["a bidi override", "a\u202Eb"],
    ["a zero-width space", "a\u200Bb"],
    ["U+000B VERTICAL TAB", "a\u000Bb"],
    ["U+0000", "a\u0000b"],
  ])("when a description holds %s, then it is refused with rule `characters`", (_what, value) => {
    const error = thrownBadInput(() => multilineText("input.description", value, 100));
    expect(error.extensions).toMatchObject({ field: "input.description", rule: "characters" });
    expect(error.message).toContain("only visible characters and line breaks are accepted");
  });
});

describe("search terms", () => {
  it("when a search term is typed decomposed or in capitals, then it is the stored form: NFC, lower case", () => {
    expect(searchTerm("where.search", "  ZOE\u0308 ")).toBe("zoë");
    expect(searchTerm("where.search", "   ")).toBeNull();
  });

  it("when a search term holds a format character, then it is refused naming the field", () => {
    expect(thrownBadInput(() => searchTerm("where.search", "con\u200Btoso")).extensions).toMatchObject({ field: "where.search", rule: "characters" });
    expect(thrownBadInput(() => searchTerm("search", "\u202E")).extensions).toMatchObject({ field: "search", rule: "characters" });
  });
});

describe("echo: how an error message quotes an input", () => {
  it("when a value is short, then it is quoted whole", () => {
    expect(echo("gmail.com")).toBe('"gmail.com"');
    expect(echo("x".repeat(ECHO_MAX))).toBe(`"${"x".repeat(ECHO_MAX)}"`);
  });

  it("when a value is 100,000 characters, then the first 40 are quoted, with an ellipsis and the length", () => {
    expect(echo("x".repeat(100_000))).toBe(`"${"x".repeat(40)}"… (100,000 characters)`);
    expect(echo("x".repeat(41))).toBe(`"${"x".repeat(40)}"… (41 characters)`);
  });

  it("when a value holds invisible, reordering or control characters, then they are shown as escapes, never as themselves", () => {
    expect(echo('a\u202Eb\u200B\uFEFF\u2028\n"\\')).toBe('"a\\u202eb\\u200b\\ufeff\\u2028\\n\\"\\\\"');
    expect(echo("tag\u{E0041}")).toBe('"tag\\u{e0041}"');
    expect(echo("\uD800")).toBe('"\\ud800"');
  });

  it("when a value is cut, then no surrogate pair is split", () => {
    const shown = echo("😀".repeat(100));
    expect(shown).toBe(`"${"😀".repeat(40)}"… (200 characters)`);
    expect(shown).not.toMatch(/\p{Cs}/u);
  });

  it.each<[string, () => unknown]>([
    ["countryCode", () => countryCode("input.countryCode", "X".repeat(100_000))],
    ["email", () => email("input.email", "y".repeat(100_000))],
    ["workEmail", () => workEmail("input.email", `${"y".repeat(100_000)}@gmail.com`)],
    ["domain", () => domain("input.tenantDomain", "z".repeat(100_000))],
    ["mpnId", () => mpnId("input.mpnId", "9".repeat(100_000))],
    ["optionalPhone", () => optionalPhone("input.phone", `+1 ${"a".repeat(37)}`)],
    ["optionalHttpsUrl", () => optionalHttpsUrl("input.website", `ftp://${"w".repeat(1_900)}.example`)],
  ])("when %s refuses a huge value, then the message quotes at most 40 characters of it", (_what, run) => {
    const error = thrownBadInput(run);
    expect(error.message.length).toBeLessThan(400);
    expect(error.message).not.toMatch(/(.)\1{40}/);
  });
});

describe("cutQuotedValues: messages written by graphql-js and Apollo (for formatError)", () => {
  const schema = buildSchema("enum Status { PENDING } type Query { page(first: Int, status: Status): Int }");
  const big = "x".repeat(40_000);

  it.each<[string, string, Record<string, unknown>]>([
    ["a variable of the wrong type", "query ($first: Int) { page(first: $first) }", { first: big }],
    ["an unknown enum value in a variable", "query ($s: Status) { page(status: $s) }", { s: big }],
    ["a literal of the wrong type", `{ page(first: "${big}") }`, {}],
    ["an unknown operation name", "query A { page }", {}],
  ])("when graphql-js refuses %s, then its message keeps at most 40 characters of each quoted value", async (_what, source, variableValues) => {
    const operationName = source.startsWith("query A") ? big : undefined;
    const result = await graphql({ schema, source, variableValues, operationName });
    const message = result.errors![0].message;
    expect(message.length).toBeGreaterThan(40_000);
    const cut = cutQuotedValues(message);
    expect(cut.length).toBeLessThan(300);
    expect(cut).toContain(`"${"x".repeat(40)}"… (40,000 characters)`);
  });

  it("when a message quotes only short values (or values already cut by echo), then it is unchanged", () => {
    const short = 'Variable "$first" got invalid value "abc"; Int cannot represent non-integer value: "abc"';
    expect(cutQuotedValues(short)).toBe(short);
    const echoed = `input.email: ${echo(big)} is not a valid email address.`;
    expect(cutQuotedValues(echoed)).toBe(echoed);
  });

  it("when a long quoted value holds escaped quotes, then it is cut as one value", () => {
    // The message's text: say \"hi\" ten times (JSON-escaped quotes inside the quoted value).
    const value = 'say \\"hi\\" '.repeat(10);
    expect(cutQuotedValues(`got "${value}" here`)).toBe(`got ${echo(JSON.parse(`"${value}"`))} here`);
  });
});
