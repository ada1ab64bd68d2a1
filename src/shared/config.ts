import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { localSecret } from "./local-secret.js";

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const LOCAL_DIR = join(PROJECT_ROOT, ".local");

export interface Neo4jSettings {
  uri: string;
  username: string;
  password: string;
  database: string;
}

export interface Config {
  port: number;
  production: boolean;
  publicUrl: string;
  jwtSecret: Uint8Array;
  /** Where emails are written when no SMTP server is configured. */
  mailDir: string;
  smtpUrl: string | undefined;
  /** Set only when the environment names an existing Neo4j; otherwise a local one is started. */
  neo4j: Neo4jSettings | undefined;
  /** Cypher transaction timeout. */
  queryTimeoutMs: number;
  /** Expose the number of Cypher queries of each request (header x-cypher-queries). */
  exposeQueryCount: boolean;
}

function intFromEnv(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** Development keeps a generated secret in .local so tokens survive restarts; production must set one. */
function jwtSecret(env: NodeJS.ProcessEnv, production: boolean): Uint8Array {
  if (env.JWT_SECRET) {
    if (env.JWT_SECRET.length < 32) throw new Error("JWT_SECRET must be at least 32 characters");
    return new TextEncoder().encode(env.JWT_SECRET);
  }
  if (production) throw new Error("JWT_SECRET is required when NODE_ENV=production");
  return new TextEncoder().encode(localSecret(LOCAL_DIR, "jwt-secret", 48));
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === "production";
  const port = intFromEnv("PORT", 4000, env);
  return {
    port,
    production,
    publicUrl: (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, ""),
    jwtSecret: jwtSecret(env, production),
    mailDir: resolve(env.MAIL_DIR || join(LOCAL_DIR, "mail")),
    smtpUrl: env.SMTP_URL || undefined,
    neo4j: env.NEO4J_URI
      ? {
          uri: env.NEO4J_URI,
          username: env.NEO4J_USERNAME || "neo4j",
          password: env.NEO4J_PASSWORD || "",
          database: env.NEO4J_DATABASE || "neo4j",
        }
      : undefined,
    queryTimeoutMs: intFromEnv("NEO4J_QUERY_TIMEOUT_MS", 15_000, env),
    exposeQueryCount: env.EXPOSE_QUERY_COUNT ? env.EXPOSE_QUERY_COUNT === "true" : !production,
  };
}
