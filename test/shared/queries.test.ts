import { describe, expect, it } from "vitest";
import { allQueries, minifyCypher } from "../../src/shared/neo4j/queries.js";

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
