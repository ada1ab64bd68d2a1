import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isNonNullType,
  parse,
  validate,
  type GraphQLSchema,
} from "graphql";
import { describe, expect, it } from "vitest";
import { buildAppSchema, printSortedSchema } from "../../src/app/schema.js";
import { PROJECT_ROOT } from "../../src/shared/config.js";

const committed = readFileSync(join(PROJECT_ROOT, "schema", "schema.graphql"), "utf8");
const SHARED = join(PROJECT_ROOT, "..", "shared", "contract");
const IN_REPO = join(PROJECT_ROOT, "test", "contract");
const sharedPresent = existsSync(join(SHARED, "operations.graphql"));
/** The contract files this release implements. */
const CONTRACT_FILES = ["operations.graphql", "inputs.graphql", "lifecycle.graphql", "lifecycle-inputs.graphql", "events.graphql", "events-inputs.graphql"];

function committedSchema(): GraphQLSchema {
  return buildSchema(committed);
}

describe("schema/schema.graphql", () => {
  it("when the code emits its schema, then it is exactly the committed file (run `npm run schema:emit` after a change)", async () => {
    expect(printSortedSchema(await buildAppSchema())).toBe(committed);
  });

  it("when the in-repo copy of the contract is validated against the committed schema, then every operation is valid", () => {
    const errors = validate(committedSchema(), parse(readFileSync(join(IN_REPO, "operations.graphql"), "utf8")));
    expect(errors.map((e) => e.message)).toEqual([]);
  });

  it.skipIf(!sharedPresent)("when ../shared/contract/operations.graphql is validated against the committed schema, then every operation is valid", () => {
    const errors = validate(committedSchema(), parse(readFileSync(join(SHARED, "operations.graphql"), "utf8")));
    expect(errors.map((e) => e.message)).toEqual([]);
  });

  it("when the in-repo copy of the lifecycle contract (lifecycle.graphql, D-20..D-27) is validated against the committed schema, then every operation is valid", () => {
    const errors = validate(committedSchema(), parse(readFileSync(join(IN_REPO, "lifecycle.graphql"), "utf8")));
    expect(errors.map((e) => e.message)).toEqual([]);
  });

  it.skipIf(!sharedPresent)("when ../shared/contract/lifecycle.graphql is validated against the committed schema, then every operation is valid", () => {
    const errors = validate(committedSchema(), parse(readFileSync(join(SHARED, "lifecycle.graphql"), "utf8")));
    expect(errors.map((e) => e.message)).toEqual([]);
  });

  it("when the in-repo copy of the events contract (events.graphql, D-28..D-30) is validated against the committed schema, then every operation is valid", () => {
    const errors = validate(committedSchema(), parse(readFileSync(join(IN_REPO, "events.graphql"), "utf8")));
    expect(errors.map((e) => e.message)).toEqual([]);
  });

  it.skipIf(!sharedPresent)("when ../shared/contract/events.graphql is validated against the committed schema, then every operation is valid", () => {
    const errors = validate(committedSchema(), parse(readFileSync(join(SHARED, "events.graphql"), "utf8")));
    expect(errors.map((e) => e.message)).toEqual([]);
  });

  it.skipIf(!sharedPresent)("when the in-repo copies are compared with ../shared/contract, then they are the same text", () => {
    for (const file of CONTRACT_FILES) {
      expect(readFileSync(join(IN_REPO, file), "utf8"), file).toBe(readFileSync(join(SHARED, file), "utf8"));
    }
  });

  it("when the enums and inputs of inputs.graphql, lifecycle-inputs.graphql (which extends it) and events-inputs.graphql are looked up in the schema, then each exists with every value and field, of the same type", () => {
    if (!sharedPresent) console.log("../shared is absent: checking the in-repo copies of inputs.graphql, lifecycle-inputs.graphql and events-inputs.graphql");
    const folder = sharedPresent ? SHARED : IN_REPO;
    const contract = buildSchema(
      ["inputs.graphql", "lifecycle-inputs.graphql", "events-inputs.graphql"].map((file) => readFileSync(join(folder, file), "utf8")).join("\n"),
    );
    const ours = committedSchema();
    const contractTypes = Object.values(contract.getTypeMap()).filter((t) => !t.name.startsWith("__"));
    expect(contractTypes.length).toBeGreaterThan(10);
    for (const type of contractTypes) {
      const mine = ours.getType(type.name);
      if (isEnumType(type)) {
        expect(isEnumType(mine), `${type.name} is an enum`).toBe(true);
        const values = isEnumType(mine) ? mine.getValues().map((v) => v.name) : [];
        for (const value of type.getValues()) expect(values, `${type.name}.${value.name}`).toContain(value.name);
      } else if (isInputObjectType(type)) {
        expect(isInputObjectType(mine), `${type.name} is an input`).toBe(true);
        if (!isInputObjectType(mine)) continue;
        const fields = mine.getFields();
        for (const field of Object.values(type.getFields())) {
          expect(fields[field.name], `${type.name}.${field.name}`).toBeDefined();
          expect(String(fields[field.name].type), `${type.name}.${field.name}`).toBe(String(field.type));
        }
        // The schema may add optional fields only: a new required field would break the contract's callers.
        for (const field of Object.values(fields)) {
          if (!type.getFields()[field.name]) expect(isNonNullType(field.type), `${type.name}.${field.name} is optional`).toBe(false);
        }
      }
    }
  });
});
