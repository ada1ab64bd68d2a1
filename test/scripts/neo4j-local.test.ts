import { afterEach, describe, expect, it } from "vitest";
import { jarSets, pomXml } from "../../src/local/neo4j-local.js";

/**
 * Issue 12, point 6: the local development Neo4j serves Neo4j Browser at /browser/ when its HTTP
 * connector is on. Maven's neo4j artifact leaves the Browser out, so its jar is a second download
 * (org.neo4j.client:neo4j-browser) put on the classpath. Checked here without downloading or
 * starting anything; the start itself was checked by hand (README, "For operators").
 */
describe("local Neo4j: Neo4j Browser with NEO4J_HTTP_PORT (issue 12, point 6)", () => {
  const saved = process.env.NEO4J_HTTP_PORT;
  afterEach(() => {
    if (saved === undefined) delete process.env.NEO4J_HTTP_PORT;
    else process.env.NEO4J_HTTP_PORT = saved;
  });

  const artifacts = (instance: "dev" | "test") => jarSets(instance).map((set) => set.artifact.slice(0, 2).join(":"));

  it("when NEO4J_HTTP_PORT is set, then the dev instance fetches and runs with org.neo4j.client:neo4j-browser next to Neo4j", () => {
    process.env.NEO4J_HTTP_PORT = "7474";
    expect(artifacts("dev")).toEqual(["org.neo4j:neo4j", "org.neo4j.client:neo4j-browser"]);
    const browser = jarSets("dev")[1]!;
    expect(pomXml(browser)).toContain(
      `<dependency><groupId>org.neo4j.client</groupId><artifactId>neo4j-browser</artifactId><version>${browser.artifact[2]}</version></dependency>`,
    );
    // A 5.x Browser for the 5.x server.
    expect(browser.artifact[2]).toMatch(/^5\.\d+\.\d+$/);
    expect(browser.expectedJar).toBe(`neo4j-browser-${browser.artifact[2]}.jar`);
  });

  it("when NEO4J_HTTP_PORT is unset, or for the test instance whatever it says, then no Browser is fetched or served", () => {
    delete process.env.NEO4J_HTTP_PORT;
    expect(artifacts("dev")).toEqual(["org.neo4j:neo4j"]);
    process.env.NEO4J_HTTP_PORT = "7474";
    expect(artifacts("test")).toEqual(["org.neo4j:neo4j"]);
  });
});
