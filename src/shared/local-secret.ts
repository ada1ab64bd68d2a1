import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A secret generated once and kept in a file (development only), safe when several processes
 * ask for it at the same moment, as parallel test workers on a fresh clone do: each writes its
 * candidate to a private file and hard-links it into place, which either wins whole or fails
 * with EEXIST. Nobody can read a half-written file, and everybody ends up with the first
 * secret written. (writeFileSync on the final name truncates first, so a reader racing it got
 * an empty secret.)
 */
export function localSecret(dir: string, name: string, bytes: number): string {
  const file = join(dir, name);
  const existing = readIfPresent(file);
  if (existing !== null) return checked(file, existing);
  mkdirSync(dir, { recursive: true });
  const candidate = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  writeFileSync(candidate, randomBytes(bytes).toString("base64url"), { mode: 0o600 });
  try {
    linkSync(candidate, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    unlinkSync(candidate);
  }
  return checked(file, readFileSync(file, "utf8"));
}

function readIfPresent(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

function checked(file: string, content: string): string {
  const secret = content.trim();
  if (secret.length < 16) throw new Error(`${file} holds no usable secret; delete it and a new one is generated`);
  return secret;
}
