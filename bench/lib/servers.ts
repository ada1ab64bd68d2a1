import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ServerWindow } from "./instrument.js";
import type { Database } from "./neo4j.js";

const ENTRY = fileURLToPath(new URL("../server.ts", import.meta.url));

type Reply = { id: number; ok: boolean; result?: unknown; error?: string };

/**
 * The environment of a benchmarked server: the bench's database, production settings, the bench's
 * JWT secret (the tokens it issues), warnings only, and the per-caller request rate out of the load
 * generator's reach (it sends as one caller, far faster than any client; the middleware still runs,
 * as in production). `extra`: what a bench adds.
 */
export function serverEnv(db: Database, secret: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NEO4J_URI: db.settings.uri,
    NEO4J_USERNAME: db.settings.username,
    NEO4J_PASSWORD: db.settings.password,
    NEO4J_DATABASE: db.settings.database,
    NODE_ENV: "production",
    JWT_SECRET: secret,
    LOG_LEVEL: "warn",
    RATE_LIMIT_PER_MINUTE: "100000000",
    ...extra,
  };
}

/** A benchmarked server (bench/server.ts) in a child process, so it does not share the load generator's event loop. */
export class ChildServer {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();

  private constructor(
    readonly kind: "api" | "peer",
    readonly url: string,
    private readonly child: ChildProcess,
  ) {
    child.on("message", (message: Reply) => {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(`${kind} server: ${message.error}`));
    });
    child.on("exit", (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`${kind} server exited (${code})`));
      this.pending.clear();
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * `root`: run bench/server.ts of another copy of the project (its src/ and cypher/, e.g. the
   * writes bench's copy without the outbox, bench/lib/no-outbox.ts), with that copy as the working
   * directory; default: this one.
   */
  static start(kind: "api" | "peer", env: Record<string, string>, root?: string): Promise<ChildServer> {
    const child = fork(root ? join(root, "bench", "server.ts") : ENTRY, [kind], {
      execArgv: ["--import", "tsx"],
      ...(root ? { cwd: root } : {}),
      // One API process unless the runner asks for workers (bench/run.ts --workers): a WEB_CONCURRENCY
      // of the shell does not turn every bench's server into a cluster.
      env: { ...process.env, WEB_CONCURRENCY: "1", ...env },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGTERM");
        reject(new Error(`${kind} server did not start within 120 s`));
      }, 120_000);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`${kind} server exited during start (${code})`));
      });
      child.on("message", function onReady(message: { type?: string; url?: string }) {
        if (message.type !== "ready" || !message.url) return;
        clearTimeout(timer);
        child.off("message", onReady);
        child.removeAllListeners("exit");
        resolve(new ChildServer(kind, message.url, child));
      });
    });
  }

  private call<T>(cmd: string): Promise<T> {
    const id = (this.nextId += 1);
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ id, cmd });
    });
  }

  windowStart(): Promise<void> {
    return this.call("window-start");
  }

  windowEnd(): Promise<ServerWindow> {
    return this.call("window-end");
  }

  profileStart(): Promise<void> {
    return this.call("profile-start");
  }

  profileStop(): Promise<CpuProfile> {
    return this.call("profile-stop");
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    await Promise.race([this.call("stop").catch(() => undefined), new Promise((r) => setTimeout(r, 10_000))]);
    if (this.child.exitCode === null) this.child.kill("SIGTERM");
    await exited;
  }
}

/** The parts of a V8 CPU profile (Profiler.stop) that bench/lib/profile.ts reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}
