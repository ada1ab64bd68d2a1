import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { SinkCommand, SinkCounts } from "../sinks.js";

const ENTRY = fileURLToPath(new URL("../sinks.ts", import.meta.url));

type Reply = { id: number; ok: boolean; result?: unknown; error?: string };
type Without<T> = T extends unknown ? Omit<T, "id"> : never;

/** The subscribers and webhook receivers of the writes bench (bench/sinks.ts) in a child process. */
export class Sinks {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on("message", (message: Reply) => {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(`sinks: ${message.error}`));
    });
    child.on("exit", (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`sinks exited (${code})`));
      this.pending.clear();
    });
  }

  /** The receivers' process (its CPU time is on the same cores as the API's and Neo4j's: bench/writes.ts reports it). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  static start(): Promise<Sinks> {
    const child = fork(ENTRY, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    return new Promise((resolve, reject) => {
      child.once("exit", (code) => reject(new Error(`sinks exited during start (${code})`)));
      child.on("message", function onReady(message: { type?: string }) {
        if (message.type !== "ready") return;
        child.off("message", onReady);
        child.removeAllListeners("exit");
        resolve(new Sinks(child));
      });
    });
  }

  private call<T>(command: Without<SinkCommand>): Promise<T> {
    const id = (this.nextId += 1);
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ ...command, id });
    });
  }

  /** graphql-ws clients on `apiUrl` (http://.../graphql), one per token; resolves when all are connected. */
  subscribe(apiUrl: string, tokens: string[]): Promise<void> {
    return this.call({ cmd: "subscribe", url: apiUrl, tokens });
  }

  unsubscribe(): Promise<void> {
    return this.call({ cmd: "unsubscribe" });
  }

  /** The webhook receiver's port on 127.0.0.1 (started on first call). */
  webhookPort(): Promise<number> {
    return this.call({ cmd: "webhook-listen" });
  }

  counts(): Promise<SinkCounts> {
    return this.call({ cmd: "counts" });
  }

  reset(): Promise<void> {
    return this.call({ cmd: "reset" });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    await Promise.race([this.call({ cmd: "stop" }).catch(() => undefined), new Promise((r) => setTimeout(r, 10_000))]);
    if (this.child.exitCode === null) this.child.kill("SIGTERM");
    await exited;
  }
}
