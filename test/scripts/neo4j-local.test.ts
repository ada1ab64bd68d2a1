import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { initialPasswordArgs, jarSets, newPassword, pomXml } from "../../src/local/neo4j-local.js";

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

/**
 * A CI run failed before any test: the random password began with "-" (base64url's first character
 * is "-" for 1 start in 64), and neo4j-admin's option parser took it for an option ("Missing
 * required parameter: '<password>'").
 */
describe("local Neo4j: the generated password", () => {
  it("when the random bytes would make a password beginning with '-', then the password begins otherwise and keeps its length", () => {
    const bytes = Buffer.alloc(24, 0xf8); // base64url "-Pj4..."
    expect(bytes.toString("base64url").startsWith("-")).toBe(true);
    const password = newPassword(bytes);
    expect(password.startsWith("-")).toBe(false);
    expect(password).toHaveLength(32);
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it("when neo4j-admin sets a password beginning with '-', then it takes it as the password (the real tool, on a scratch home)", async () => {
    const dist = fs.readdirSync(path.resolve(".local/neo4j")).find((name) => name.startsWith("dist-"));
    expect(dist, "a Neo4j distribution in .local/neo4j (the global setup downloads it)").toBeDefined();
    const lib = path.resolve(".local/neo4j", dist!, "lib");
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "neo4j-password-"));
    try {
      fs.mkdirSync(path.join(home, "conf"));
      fs.writeFileSync(
        path.join(home, "conf", "neo4j.conf"),
        `server.directories.data=${home}/data\nserver.directories.logs=${home}/logs\nserver.directories.lib=${lib}\n`,
      );
      const { stdout } = await promisify(execFile)(process.env.JAVA_HOME ? `${process.env.JAVA_HOME}/bin/java` : "java", initialPasswordArgs(lib, "-starts-with-a-dash"), {
        cwd: home,
        env: { ...process.env, NEO4J_HOME: home, NEO4J_CONF: path.join(home, "conf") },
      });
      expect(stdout).toContain("Changed password for user 'neo4j'");
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  }, 120_000);
});
