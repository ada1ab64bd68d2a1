import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/shared/config.js";
import { localSecret } from "../../src/shared/local-secret.js";

const run = promisify(execFile);

describe("local secrets (.local/jwt-secret, .local/demo-password)", () => {
  // The CI failure this guards against: on a fresh clone, parallel test workers created the JWT
  // secret at once and one of them read the file between truncation and write: an empty key.
  it("when 8 processes ask for the same new secret at the same moment, then all get one and the same full-length secret", async () => {
    const dir = mkdtempSync(join(tmpdir(), "csp-secret-"));
    const startAt = Date.now() + 2_500; // every child is loaded before any of them starts
    const script = `
      import { localSecret } from ${JSON.stringify(join(PROJECT_ROOT, "src/shared/local-secret.ts"))};
      while (Date.now() < ${startAt}) {}
      process.stdout.write(localSecret(${JSON.stringify(dir)}, "jwt-secret", 48));`;
    const outputs = await Promise.all(
      Array.from({ length: 8 }, () =>
        run(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: PROJECT_ROOT }).then((r) => r.stdout),
      ),
    );
    expect(new Set(outputs).size).toBe(1);
    expect(outputs[0]).toHaveLength(64); // 48 bytes in base64url
    expect(readFileSync(join(dir, "jwt-secret"), "utf8")).toBe(outputs[0]);
    expect(readdirSync(dir)).toEqual(["jwt-secret"]); // no candidate files left behind
  });

  it("when the secret exists, then it is reused; when it is empty, then the error names the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "csp-secret-"));
    const first = localSecret(dir, "demo-password", 12);
    expect(localSecret(dir, "demo-password", 12)).toBe(first);
    writeFileSync(join(dir, "empty"), "\n");
    expect(() => localSecret(dir, "empty", 12)).toThrow(join(dir, "empty"));
  });
});
