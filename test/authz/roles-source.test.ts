import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/shared/config.js";

/**
 * ROLES.md has one copy in the code, src/shared/auth/capabilities.ts: the permission map and every
 * check a module repeats in its transaction (revoking a request: C4, C10, C13; managing users
 * under the organisation's lock: C6) read their roles from it. A role's name written anywhere
 * else would be a second copy that can drift from the first.
 */

const ROLE = /["'`](ADMIN_AGENT|SALES_AGENT|HELPDESK_AGENT|GLOBAL_ADMIN|USER_MANAGEMENT_ADMIN)["'`]/;

/** Where role names are data, not checks. */
const ALLOWED = new Set([
  "src/shared/auth/capabilities.ts", // ROLES.md as data
  "src/shared/auth/viewer.ts", // the AgentRole and AdminRole types
  "src/shared/graphql/enums.ts", // the schema's enums
  "cypher/queries/enrollment/create.cypher", // D-5: the roles the enrolling user gets
]);
const DATA_FOLDERS = ["src/generated/", "src/demo/"]; // codegen output; DEMO.md's users

function files(folder: string, ending: string): string[] {
  return readdirSync(join(PROJECT_ROOT, folder), { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(ending))
    .map((name) => relative(PROJECT_ROOT, join(PROJECT_ROOT, folder, name)).split("\\").join("/"));
}

describe("one source of roles (ROLES.md as data)", () => {
  it("when the source and the Cypher are searched for role names, then only capabilities.ts and data name them: every check derives its roles from capabilities.ts", () => {
    const scanned = [...files("src", ".ts"), ...files("cypher", ".cypher")];
    expect(scanned.length).toBeGreaterThan(50);
    const copies: string[] = [];
    for (const file of scanned) {
      if (ALLOWED.has(file) || DATA_FOLDERS.some((folder) => file.startsWith(folder))) continue;
      readFileSync(join(PROJECT_ROOT, file), "utf8")
        .split("\n")
        .forEach((line, index) => {
          if (ROLE.test(line)) copies.push(`${file}:${index + 1}: ${line.trim()}`);
        });
    }
    expect(copies, copies.join("\n")).toEqual([]);
  });

  it("when the modules are searched for reads of ctx.viewer, then there are none: the caller and its organisation come from caller(ctx) alone", () => {
    const reads: string[] = [];
    for (const file of files("src/modules", ".ts")) {
      readFileSync(join(PROJECT_ROOT, file), "utf8")
        .split("\n")
        .forEach((line, index) => {
          if (/\bctx\.viewer\b/.test(line)) reads.push(`${file}:${index + 1}: ${line.trim()}`);
        });
    }
    expect(reads, reads.join("\n")).toEqual([]);
  });
});
