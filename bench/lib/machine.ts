import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../src/shared/config.js";

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  ramGiB: number;
  os: string;
  /** 1-minute load average when the run started: other work on the machine skews the numbers. */
  loadAverageAtStart: number;
  loadAverageAtEnd?: number;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} (${os.platform()} ${os.arch()})`,
    loadAverageAtStart: Math.round(os.loadavg()[0] * 100) / 100,
  };
}

const PACKAGES = ["neo4j-driver", "@neo4j/graphql", "@apollo/server", "graphql", "type-graphql", "graphql-shield", "express", "autocannon"];

/** Installed versions of the packages that matter to the numbers. */
export function packageVersions(): Record<string, string> {
  const out: Record<string, string> = { node: process.version };
  for (const name of PACKAGES) {
    try {
      out[name] = (JSON.parse(readFileSync(join(PROJECT_ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
    } catch {
      out[name] = "not installed";
    }
  }
  return out;
}

export interface CodeVersion {
  /** HEAD of the work tree the API ran from. */
  commit: string;
  /** Files under src/ and cypher/ that differ from HEAD (the API measured is HEAD plus these). */
  changed: string[];
}

export function codeVersion(): CodeVersion | null {
  try {
    const git = (...args: string[]) => execFileSync("git", args, { cwd: PROJECT_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const commit = git("rev-parse", "HEAD").trim();
    const changed = git("status", "--porcelain", "--", "src", "cypher")
      .split("\n")
      .filter(Boolean)
      .map((line) => line.slice(3));
    return { commit, changed };
  } catch {
    return null;
  }
}
