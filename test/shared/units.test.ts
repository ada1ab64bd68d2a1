// connection.ts declares type-graphql classes, which need the metadata polyfill first (the app loads it in schema.ts).
import "reflect-metadata";
import { describe, expect, it } from "vitest";
import { CAPABILITIES, refusal } from "../../src/shared/auth/capabilities.js";
import { SignJWT } from "jose";
import { issueToken, verifyToken } from "../../src/shared/auth/jwt.js";
import { generateTemporaryPassword, hashPassword, verifyPassword } from "../../src/shared/auth/password.js";
import type { AdminRole, AgentRole, PartnerKind } from "../../src/shared/auth/viewer.js";
import {
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  encodeCursor,
  MAX_PAGE_SIZE,
  pageParams,
  pageRequest,
  toConnection,
} from "../../src/shared/graphql/connection.js";
import { ID_PREFIX, kindOfId, newId, type IdKind } from "../../src/shared/ids.js";
import { parseMigration } from "../../src/shared/neo4j/migrate.js";
import { text } from "../../src/shared/validation.js";
import { thrownBadInput } from "../support/expect.js";

describe("ids", () => {
  const kinds = Object.keys(ID_PREFIX) as IdKind[];

  it.each(kinds)("when a %s id is made, then it is its prefix, an underscore and 26 base32 characters (128 bits)", (kind) => {
    const id = newId(kind);
    expect(id).toMatch(new RegExp(`^${ID_PREFIX[kind]}_[a-z2-7]{26}$`));
  });

  it.each(kinds)("when the kind of a fresh %s id is asked, then it is that kind (node(id) relies on it)", (kind) => {
    expect(kindOfId(newId(kind))).toBe(kind);
  });

  it("when an id has an unknown prefix or a wrong shape, then it is no kind at all", () => {
    const body = "a".repeat(26);
    for (const id of [
      `xyz_${body}`, // unknown prefix
      `cus_${"a".repeat(25)}`, // too short
      `cus_${"a".repeat(27)}`, // too long
      `cus_${"a".repeat(25)}1`, // 1 is not base32
      `cus_${"A".repeat(26)}`, // upper case
      `cus-${body}`,
      `CUS_${body}`,
      ` cus_${body}`,
      `cus_${body}\n`,
      "",
      "cus_",
      "1234",
    ]) {
      expect(kindOfId(id), JSON.stringify(id)).toBeNull();
    }
  });

  it("when 1000 ids are made, then they are all different", () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newId("Customer")));
    expect(ids.size).toBe(1000);
  });
});

describe("cursors and pages", () => {
  it("when a cursor is encoded and decoded, then the sort key and id come back unchanged, even with odd characters", () => {
    for (const [key, id] of [
      ["contoso distribution", "ptn_aaaaaaaaaaaaaaaaaaaaaaaaaa"],
      ["", "cus_bbbbbbbbbbbbbbbbbbbbbbbbbb"],
      ["margie's travel \"quoted\" ü 日本 ,[]", "cus_x"],
      ["2024-03-02T09:00:00.000Z", "led_y"],
    ]) {
      const cursor = encodeCursor(key, id);
      // Cursors go into URLs and JSON unescaped.
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(cursor)).toEqual({ key, id });
    }
  });

  it("when a cursor is garbage, then it is a BAD_USER_INPUT naming `after`", () => {
    const notCursors = [
      "garbage!!",
      "",
      Buffer.from("not json").toString("base64url"),
      Buffer.from(JSON.stringify(["only one"])).toString("base64url"),
      Buffer.from(JSON.stringify([1, 2])).toString("base64url"),
      Buffer.from(JSON.stringify({ key: "a", id: "b" })).toString("base64url"),
      Buffer.from(JSON.stringify(["a", "b", "c"])).toString("base64url"),
    ];
    for (const cursor of notCursors) {
      const error = thrownBadInput(() => decodeCursor(cursor));
      expect(error.extensions.code).toBe("BAD_USER_INPUT");
      expect(error.extensions.field).toBe("after");
      expect(error.message).toMatch(/^after: /);
    }
  });

  it("when pageRequest gets a bad cursor, then the error names `after`", () => {
    const error = thrownBadInput(() => pageRequest({ first: 5, after: "%%%not-a-cursor%%%" }));
    expect(error.extensions.field).toBe("after");
  });

  it("when no page size is given, then the default applies and the page starts at the beginning", () => {
    expect(pageRequest({})).toEqual({ first: DEFAULT_PAGE_SIZE, afterKey: null, afterId: null });
    expect(pageRequest({ first: null, after: null })).toEqual({ first: DEFAULT_PAGE_SIZE, afterKey: null, afterId: null });
    expect(pageRequest({ after: "" })).toEqual({ first: DEFAULT_PAGE_SIZE, afterKey: null, afterId: null });
    expect(pageRequest({}, 7).first).toBe(7);
  });

  it("when the page size is 0 or the maximum, then it is accepted", () => {
    expect(pageRequest({ first: 0 }).first).toBe(0);
    expect(pageRequest({ first: MAX_PAGE_SIZE }).first).toBe(100);
  });

  it.each([101, -1, 1.5, Number.NaN])("when the page size is %s, then it is refused naming `first`", (first) => {
    const error = thrownBadInput(() => pageRequest({ first }));
    expect(error.extensions.code).toBe("BAD_USER_INPUT");
    expect(error.extensions.field).toBe("first");
    expect(error.message).toMatch(/^first: /);
  });

  it("when a cursor is given, then the page starts after its (key, id)", () => {
    const page = pageRequest({ first: 3, after: encodeCursor("k", "cus_1") });
    expect(page).toEqual({ first: 3, afterKey: "k", afterId: "cus_1" });
    // One extra row tells whether another page follows.
    expect(pageParams(page)).toEqual({ limit: 4, afterKey: "k", afterId: "cus_1" });
  });
});

describe("toConnection", () => {
  const rows = [
    { id: "cus_a", name: "Alpha" },
    { id: "cus_b", name: "Bravo" },
    { id: "cus_c", name: "Charlie" },
  ];
  const key = (row: { name: string }) => row.name.toLowerCase();

  it("when the query returned first + 1 rows, then there is a next page and the extra row is not shown", () => {
    const connection = toConnection(rows, 10, { first: 2, afterKey: null, afterId: null }, key);
    expect(connection.pageInfo.hasNextPage).toBe(true);
    expect(connection.pageInfo.hasPreviousPage).toBe(false);
    expect(connection.edges.map((e) => e.node.id)).toEqual(["cus_a", "cus_b"]);
    expect(connection.totalCount).toBe(10);
  });

  it("when the query returned at most first rows, then there is no next page", () => {
    const connection = toConnection(rows, 3, { first: 3, afterKey: null, afterId: null }, key);
    expect(connection.pageInfo.hasNextPage).toBe(false);
    expect(connection.edges).toHaveLength(3);
  });

  it("when edges are built, then each cursor decodes to the row's (sort key, id) and start/end cursors are the first and last", () => {
    const connection = toConnection(rows, 3, { first: 3, afterKey: null, afterId: null }, key);
    expect(connection.edges.map((e) => decodeCursor(e.cursor))).toEqual([
      { key: "alpha", id: "cus_a" },
      { key: "bravo", id: "cus_b" },
      { key: "charlie", id: "cus_c" },
    ]);
    expect(connection.pageInfo.startCursor).toBe(connection.edges[0].cursor);
    expect(connection.pageInfo.endCursor).toBe(connection.edges[2].cursor);
  });

  it("when the page is empty, then the cursors are null", () => {
    const connection = toConnection([], 0, { first: 0, afterKey: null, afterId: null }, key);
    expect(connection.edges).toEqual([]);
    expect(connection.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null });
  });

  it("when first is 0 and a row exists, then the page is empty but reports a next page", () => {
    const connection = toConnection(rows.slice(0, 1), 1, { first: 0, afterKey: null, afterId: null }, key);
    expect(connection.edges).toEqual([]);
    expect(connection.pageInfo.hasNextPage).toBe(true);
  });
});

describe("tokens", () => {
  const secret = new TextEncoder().encode("a-test-secret-of-at-least-32-characters!");

  it("when a token was verified once, then the same token verifies again to the same claims", async () => {
    const token = await issueToken("usr_a", 3, secret);
    expect(await verifyToken(token, secret)).toEqual({ userId: "usr_a", sessionVersion: 3 });
    expect(await verifyToken(token, secret)).toEqual({ userId: "usr_a", sessionVersion: 3 });
  });

  it("when a verified token is used with another key, then it is UNAUTHENTICATED", async () => {
    const token = await issueToken("usr_a", 3, secret);
    await verifyToken(token, secret);
    const other = new TextEncoder().encode("another-secret-of-at-least-32-characters");
    await expect(verifyToken(token, other)).rejects.toMatchObject({ extensions: { code: "UNAUTHENTICATED" } });
  });

  it("when a verified token expires, then its next use is UNAUTHENTICATED", async () => {
    const exp = Math.floor(Date.now() / 1000) + 1;
    const token = await new SignJWT({ sv: 0 })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("usr_b")
      .setIssuer("csp-channel-api")
      .setAudience("csp-channel-api")
      .setExpirationTime(exp)
      .sign(secret);
    expect(await verifyToken(token, secret)).toEqual({ userId: "usr_b", sessionVersion: 0 });
    await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 50));
    await expect(verifyToken(token, secret)).rejects.toMatchObject({ extensions: { code: "UNAUTHENTICATED" }, message: expect.stringContaining("expired") });
  });
});

describe("passwords", () => {
  it("when a password is hashed, then it verifies and a wrong one does not", async () => {
    const hash = await hashPassword("correct horse 1");
    expect(hash.startsWith("scrypt$")).toBe(true);
    // The parameters are stored with the hash so they can be raised later.
    expect(hash.split("$")).toHaveLength(6);
    expect(hash).not.toContain("correct horse 1");
    expect(await verifyPassword("correct horse 1", hash)).toBe(true);
    expect(await verifyPassword("correct horse 2", hash)).toBe(false);
    expect(await verifyPassword("", hash)).toBe(false);
  });

  it("when the stored hash is missing (unknown user) or malformed, then nothing verifies", async () => {
    expect(await verifyPassword("anything", null)).toBe(false);
    expect(await verifyPassword("anything", undefined)).toBe(false);
    // The dummy hash is all zero bytes: even the password that would match it must not pass.
    expect(await verifyPassword("", null)).toBe(false);
    expect(await verifyPassword("anything", "plain-text")).toBe(false);
    expect(await verifyPassword("anything", "bcrypt$1$2$3$4$5")).toBe(false);
  });

  it("when the same password is hashed twice, then the hashes differ (random salt)", async () => {
    const [a, b] = await Promise.all([hashPassword("same password 1"), hashPassword("same password 1")]);
    expect(a).not.toBe(b);
    expect(await verifyPassword("same password 1", a)).toBe(true);
    expect(await verifyPassword("same password 1", b)).toBe(true);
  });

  it("when temporary passwords are generated, then each has 16 unambiguous characters and they differ", () => {
    const passwords = Array.from({ length: 50 }, generateTemporaryPassword);
    for (const password of passwords) {
      expect(password).toHaveLength(16);
      expect(password).toMatch(/^[A-HJ-NP-Za-km-z2-9]{16}$/);
    }
    expect(new Set(passwords).size).toBe(passwords.length);
  });
});

describe("parseMigration", () => {
  it("when a file has comments, blank lines and multi-line statements, then each `;` at a line end closes one statement", () => {
    const text = [
      "// a header comment; with a semicolon;",
      "",
      "CREATE CONSTRAINT a IF NOT EXISTS FOR (n:A) REQUIRE n.id IS UNIQUE;",
      "   // an indented comment",
      "CREATE INDEX b IF NOT EXISTS",
      "  FOR (n:B)",
      "  ON (n.name, n.id);",
      "",
    ].join("\n");
    expect(parseMigration(text)).toEqual([
      "CREATE CONSTRAINT a IF NOT EXISTS FOR (n:A) REQUIRE n.id IS UNIQUE",
      "CREATE INDEX b IF NOT EXISTS\n  FOR (n:B)\n  ON (n.name, n.id)",
    ]);
  });

  it("when the last statement has no `;`, then it is still a statement", () => {
    expect(parseMigration("CREATE INDEX a IF NOT EXISTS FOR (n:A) ON (n.x);\nCREATE INDEX b IF NOT EXISTS\nFOR (n:B) ON (n.y)\n")).toEqual([
      "CREATE INDEX a IF NOT EXISTS FOR (n:A) ON (n.x)",
      "CREATE INDEX b IF NOT EXISTS\nFOR (n:B) ON (n.y)",
    ]);
  });

  it("when a file holds only comments and blank lines, then there is no statement", () => {
    expect(parseMigration("// nothing\n\n   \n// still nothing\n")).toEqual([]);
    expect(parseMigration("")).toEqual([]);
  });
});

describe("refusal (ROLES.md as data)", () => {
  const user = (agentRole: AgentRole, adminRole: AdminRole, partnerKind: PartnerKind | null = "RESELLER") => ({
    agentRole,
    adminRole,
    partnerKind,
  });

  it("when a helpdesk agent asks, then C1 is granted and C6 is refused by role", () => {
    const ha = user("HELPDESK_AGENT", "NONE");
    expect(refusal(ha, CAPABILITIES.C1)).toBeNull();
    expect(refusal(ha, CAPABILITIES.C6)).toBe("ROLE");
    // The seed's "can't": a helpdesk agent does not view the partner's profiles.
    expect(refusal(ha, CAPABILITIES.C8)).toBe("ROLE");
  });

  it("when a user management admin asks, then C6 and C8 are granted and C1 is refused", () => {
    const uma = user("NONE", "USER_MANAGEMENT_ADMIN");
    expect(refusal(uma, CAPABILITIES.C6)).toBeNull();
    expect(refusal(uma, CAPABILITIES.C8)).toBeNull();
    expect(refusal(uma, CAPABILITIES.C1)).toBe("ROLE");
  });

  it("when an admin agent asks for C6 or C7, then it is refused (seed: can't)", () => {
    const aa = user("ADMIN_AGENT", "NONE");
    expect(refusal(aa, CAPABILITIES.C6)).toBe("ROLE");
    expect(refusal(aa, CAPABILITIES.C7)).toBe("ROLE");
  });

  it("when the global admin of a reseller asks for C13, then it is refused for the organisation kind, not the role", () => {
    expect(refusal(user("ADMIN_AGENT", "GLOBAL_ADMIN", "RESELLER"), CAPABILITIES.C13)).toBe("ORG_KIND");
    expect(refusal(user("ADMIN_AGENT", "GLOBAL_ADMIN", "PROVIDER"), CAPABILITIES.C13)).toBeNull();
    expect(refusal(user("ADMIN_AGENT", "GLOBAL_ADMIN", "PROVIDER"), CAPABILITIES.C12)).toBe("ORG_KIND");
  });

  it("when a user without the role asks for an org-limited capability, then the role is the reason given", () => {
    expect(refusal(user("HELPDESK_AGENT", "NONE", "RESELLER"), CAPABILITIES.C13)).toBe("ROLE");
  });

  it("when a user with no role at all asks for C15, then it is granted, and nothing else is", () => {
    const nobody = user("NONE", "NONE");
    expect(refusal(nobody, CAPABILITIES.C15)).toBeNull();
    for (const capability of Object.values(CAPABILITIES)) {
      if (capability.id !== "C15") expect(refusal(nobody, capability), capability.id).not.toBeNull();
    }
  });
});

describe("text fields", () => {
  it("when a name holds a control character, then BAD_USER_INPUT names the field and the rule (U+0000 separates the parts of the customer list key)", () => {
    for (const value of ["Acme\u0000Corp", "Acme\tCorp", "Acme\u007f"]) {
      const error = thrownBadInput(() => text("customer.companyName", value));
      expect(error.extensions).toMatchObject({ field: "customer.companyName", rule: "characters" });
    }
    expect(text("customer.companyName", "  Ácme, Corp. & Söhne  ")).toBe("Ácme, Corp. & Söhne");
  });
});
