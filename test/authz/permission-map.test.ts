import "reflect-metadata";
import { isObjectType } from "graphql";
import { describe, expect, it } from "vitest";
import { ruleTree } from "../../src/app/permissions.js";
import { buildAppSchema } from "../../src/app/schema.js";

/**
 * Deny by default is only half the promise: every field must also have been given a rule on
 * purpose. This fails when the schema grows a field (or a type) that the permission map does not
 * name, and when the map names something the schema no longer has.
 */
describe("the permission map (src/app/permissions.ts)", () => {
  it("when the schema's object types are listed, then every field of every one has its own entry in the map", async () => {
    const schema = await buildAppSchema();
    const tree = ruleTree as Record<string, Record<string, unknown>>;
    const missing: string[] = [];
    let fieldCount = 0;
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith("__")) continue;
      const entry = tree[type.name];
      for (const field of Object.keys(type.getFields())) {
        fieldCount += 1;
        // A type-wide rule would cover future fields silently: only per-field entries count.
        if (!entry || typeof entry !== "object" || !(field in entry)) missing.push(`${type.name}.${field}`);
      }
    }
    expect(missing).toEqual([]);
    expect(fieldCount).toBeGreaterThan(150);
  });

  it("when the map is compared with the schema, then it names no type or field that does not exist", async () => {
    const schema = await buildAppSchema();
    const stale: string[] = [];
    for (const [typeName, entry] of Object.entries(ruleTree as Record<string, Record<string, unknown>>)) {
      const type = schema.getType(typeName);
      if (!isObjectType(type)) {
        stale.push(typeName);
        continue;
      }
      for (const field of Object.keys(entry)) if (!(field in type.getFields())) stale.push(`${typeName}.${field}`);
    }
    expect(stale).toEqual([]);
  });
});
