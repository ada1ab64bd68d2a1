import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { logger } from "../shared/logger.js";

export interface DrainOutcome {
  /** Requests still unanswered when the grace period ended (their connections were destroyed). */
  cutOff: number;
}

/**
 * Graceful shutdown of the HTTP server, so that every request the server has started to read is
 * answered, and none runs after the database is closed:
 *
 * 1. the listening socket closes: no new connection is accepted;
 * 2. every answer from then on (including those under way) carries `Connection: close`, so the
 *    client sends nothing more on that connection and Node closes it once the answer is out;
 * 3. connections with no request under way are destroyed, now and whenever one becomes idle:
 *    Node counts a connection busy as soon as the first byte of a request has been parsed (and
 *    one that never received a byte is destroyed here), so a request is either read and
 *    answered, or never read at all (the client sees a reset and may send it again: it did not
 *    run). Apollo's drain plugin instead half-closed idle sockets with `socket.end()`, and a
 *    request already on its way was then run, but its answer could not be written ("socket
 *    hang up" after a committed write);
 * 4. when the last connection has closed, or the grace period has passed (then the remaining
 *    connections are destroyed and the count is logged), `drain` resolves; the caller then stops
 *    Apollo and closes the driver.
 */
export class HttpDrain {
  private draining = false;
  private closed: Promise<void> | undefined;
  private readonly open = new Set<ServerResponse>();
  private readonly sockets = new Set<Socket>();

  constructor(private readonly server: Server) {
    // Before Express's own listener, so that an answer Express sends synchronously is marked too.
    server.prependListener("request", (_req: IncomingMessage, res: ServerResponse) => this.track(res));
    server.on("connection", (socket: Socket) => {
      this.sockets.add(socket);
      socket.once("close", () => this.sockets.delete(socket));
    });
  }

  /** True once shutdown has begun (`/readyz` says so). */
  get isDraining(): boolean {
    return this.draining;
  }

  /** Requests read and not yet answered. */
  get inFlight(): number {
    return this.open.size;
  }

  private track(res: ServerResponse): void {
    this.open.add(res);
    if (this.draining) res.setHeader("connection", "close");
    res.once("close", () => {
      this.open.delete(res);
      // A connection whose last answer went out before shutdown began (kept alive) is idle now.
      if (this.draining) setImmediate(() => this.closeIdle());
    });
  }

  /**
   * Node's closeIdleConnections destroys connections between two requests, but not one that has
   * not received its first byte yet (a client opened it, or keeps it ready): those are destroyed
   * here; one that has received a byte is reading a request, which will be answered.
   */
  private closeIdle(): void {
    this.server.closeIdleConnections();
    for (const socket of this.sockets) if (socket.bytesRead === 0) socket.destroy();
  }

  async drain(graceMs: number): Promise<DrainOutcome> {
    // Resolves once the last connection has closed.
    const closed = (this.closed ??= new Promise<void>((resolve) => this.server.close(() => resolve())));
    if (!this.draining) {
      this.draining = true;
      for (const res of this.open) if (!res.headersSent) res.setHeader("connection", "close");
      logger.info({ inFlight: this.open.size }, "draining HTTP connections");
    }
    this.closeIdle();
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<"grace">((resolve) => {
      timer = setTimeout(() => resolve("grace"), graceMs);
    });
    try {
      if ((await Promise.race([closed, graceOver])) !== "grace") return { cutOff: 0 };
    } finally {
      clearTimeout(timer);
    }
    const cutOff = this.open.size;
    logger.warn({ cutOff, graceMs }, "shutdown grace period over: closing connections with requests still unanswered");
    this.server.closeAllConnections();
    await closed;
    return { cutOff };
  }
}
