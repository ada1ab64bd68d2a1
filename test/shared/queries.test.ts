import { describe, expect, it } from "vitest";
import { readMigrations } from "../../src/shared/neo4j/migrate.js";
import {
  allFragments,
  allQueries,
  cypherFragment,
  expandFragments,
  fragmentsFrom,
  minifyCypher,
} from "../../src/shared/neo4j/queries.js";

describe("minifyCypher", () => {
  it("when a query has comments and indentation, then it sends one line without them", () => {
    const text = "// why this query\nMATCH (p:Partner {id: $id})\n  /* a block\n comment */ RETURN p.name // the name\n";
    expect(minifyCypher(text)).toBe("MATCH (p:Partner {id: $id}) RETURN p.name");
  });

  it("when a string or a quoted name holds comment marks, quotes or spaces, then they stay as written", () => {
    const text = `RETURN "a  // b" AS x, 'it\\'s  /* c */' AS y, \`odd  name\` AS z, "\\u0000" + "\\"" AS w`;
    expect(minifyCypher(text)).toBe(text);
  });

  it("when a comment holds an apostrophe, then it does not open a string", () => {
    expect(minifyCypher("// the caller's user\nRETURN 1")).toBe("RETURN 1");
  });

  it("when every named query is minified, then none is empty and none still holds a line comment outside strings", () => {
    const queries = allQueries();
    expect(queries.size).toBeGreaterThan(40);
    for (const [name, text] of queries) {
      expect(text, name).not.toBe("");
      expect(text.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, ""), name).not.toMatch(/\/\/|\n/);
    }
  });
});

/** Cypher text with its string literals and `quoted` names emptied: what is left is code. */
function code(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
}

describe("fragments (@name, cypher/fragments)", () => {
  const fragments = fragmentsFrom([
    { name: "thing", text: "// @params t\n// A thing.\n.id, .name, createdAt: @t.createdAt.epochMillis // trailing note\n" },
    { name: "key", text: "// @params owner, sortKey, id\n@owner.id + \"\\u0000\" + @sortKey + \"\\u0000\" + @id" },
    { name: "thing-key", text: "// @params p, t\n@key(@p, @t.nameLower, @t.id)" },
    { name: "wrap", text: "// @params x\n[@x]" },
  ]);

  it("when a query includes a fragment with an argument, then the text has the fragment with the argument in its place", () => {
    expect(minifyCypher(expandFragments("MATCH (c:Thing)\nRETURN c {@thing(c)} AS thing", fragments, "q"))).toBe(
      "MATCH (c:Thing) RETURN c {.id, .name, createdAt: c.createdAt.epochMillis} AS thing",
    );
  });

  it("when the fragment's file ends with a line comment, then the rest of the including line is still code", () => {
    expect(expandFragments("RETURN x {@thing(x), extra: 1} AS x", fragments, "q")).toBe(
      "RETURN x {.id, .name, createdAt: x.createdAt.epochMillis, extra: 1} AS x",
    );
  });

  it("when a fragment includes another with its own parameters as arguments, then both expand", () => {
    expect(expandFragments("SET e.listKey = @thing-key(sender, c)", fragments, "q")).toBe(
      'SET e.listKey = sender.id + "\\u0000" + c.nameLower + "\\u0000" + c.id',
    );
  });

  it("when an argument holds commas inside brackets, strings or a nested include, then it stays one argument", () => {
    expect(expandFragments('RETURN @key(p, coalesce(a, "x, y"), [1, 2]) AS k', fragments, "q")).toBe(
      'RETURN p.id + "\\u0000" + coalesce(a, "x, y") + "\\u0000" + [1, 2] AS k',
    );
    expect(expandFragments("RETURN @wrap(@wrap(1)) AS w", fragments, "q")).toBe("RETURN [[1]] AS w");
  });

  it("when @ stands in a string literal, a quoted name or a comment, then it is left as written", () => {
    const text = "// mail @thing\nRETURN 'a@thing' AS a, \"@key\" AS b, `@wrap` AS c /* @nothing */";
    expect(expandFragments(text, fragments, "q")).toBe(text);
  });

  it("when an argument's text looks like an include, then it is expanded once, where it is written, never inside the fragment", () => {
    const f = fragmentsFrom([
      { name: "twice", text: "// @params a\n@a + @a" },
      { name: "one", text: "1" },
    ]);
    expect(expandFragments("RETURN @twice(@one) AS n", f, "q")).toBe("RETURN 1 + 1 AS n");
  });

  it("when a query names an unknown fragment, then loading fails naming the fragment, the file and the known ones", () => {
    expect(() => expandFragments("RETURN c {@thingy(c)}", fragments, "cypher/queries/x/y.cypher")).toThrow(
      'cypher/queries/x/y.cypher: unknown Cypher fragment "@thingy" (no cypher/fragments/thingy.cypher); known: key, thing, thing-key, wrap',
    );
  });

  it("when fragments include each other in a circle, then loading fails naming the chain instead of recursing", () => {
    const circular = fragmentsFrom([
      { name: "a", text: "x + @b" },
      { name: "b", text: "@c" },
      { name: "c", text: "@a" },
    ]);
    expect(() => expandFragments("RETURN @a", circular, "q")).toThrow("q (in @a -> @b -> @c): Cypher fragment cycle: @a -> @b -> @c -> @a");
    expect(() => expandFragments("RETURN 1", fragmentsFrom([{ name: "self", text: "@self" }]), "q")).not.toThrow();
    expect(() => expandFragments("RETURN @self", fragmentsFrom([{ name: "self", text: "@self" }]), "q")).toThrow("cycle: @self -> @self");
  });

  it("when an include has the wrong number of arguments or no closing parenthesis, then loading fails saying so", () => {
    expect(() => expandFragments("RETURN c {@thing}", fragments, "q")).toThrow("q: @thing takes 1 (t), given 0; see cypher/fragments/thing.cypher");
    expect(() => expandFragments("RETURN @key(a, b)", fragments, "q")).toThrow("@key takes 3 (owner, sortKey, id), given 2");
    expect(() => expandFragments("RETURN @wrap(a", fragments, "q")).toThrow('q: "@wrap(" has no closing ")"');
  });

  it("when a fragment declares a parameter it never uses, or one named like a fragment, then loading fails", () => {
    expect(() => fragmentsFrom([{ name: "f", text: "// @params a, b\n@a" }])).toThrow('parameter "b" is declared but never used as @b');
    expect(() => fragmentsFrom([{ name: "f", text: "// @params g\n@g" }, { name: "g", text: "1" }])).toThrow(
      'parameter "g" has the name of a fragment',
    );
    expect(() => fragmentsFrom([{ name: "Bad name", text: "1" }])).toThrow("kebab-case");
  });

  it("when every fragment of cypher/fragments is expanded alone, then it expands (no unknown include, no cycle) and leaves no @ in code", () => {
    expect(allFragments().size).toBeGreaterThan(10);
    for (const fragment of allFragments().values()) {
      const args = fragment.params.map((p) => `arg_${p}`);
      const text = cypherFragment(fragment.name, ...args);
      expect(code(text), fragment.name).not.toContain("@");
      for (const arg of args) expect(text, `${fragment.name} uses ${arg}`).toContain(arg);
    }
  });

  it("when every query and migration is loaded, then no @ is left in their code: every include was expanded", () => {
    for (const [name, text] of allQueries()) expect(code(text), name).not.toContain("@");
    for (const migration of readMigrations()) {
      for (const statement of migration.statements) expect(code(minifyCypher(statement)), migration.name).not.toContain("@");
    }
  });
});
