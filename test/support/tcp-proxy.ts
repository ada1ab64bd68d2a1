import { connect, createServer, type AddressInfo, type Server, type Socket } from "node:net";

/**
 * A TCP proxy on 127.0.0.1 between a driver and the test Neo4j, to take "the database" away and
 * bring it back without touching the real one. It counts the connections it is asked for, which
 * is how tests bound a driver's work (connection attempts) instead of timing it.
 */
export class TcpProxy {
  /** Connections accepted so far (forwarded or refused). */
  accepted = 0;
  port = 0;
  private server: Server | undefined;
  private mode: "forward" | "refuse" | "hang" = "forward";
  private readonly sockets = new Set<Socket>();

  constructor(private readonly target: { host: string; port: number }) {}

  static forBoltUri(uri: string): TcpProxy {
    const url = new URL(uri);
    return new TcpProxy({ host: url.hostname, port: Number(url.port || 7687) });
  }

  get uri(): string {
    return `bolt://127.0.0.1:${this.port}`;
  }

  /** Listens (on `port`, or a free one the first time) and forwards every connection. */
  async start(): Promise<void> {
    this.mode = "forward";
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Neo4j "killed": nothing listens on the port any more (connecting is refused) and every open connection is cut. */
  async kill(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    this.cutAll();
    await closed;
  }

  /** Neo4j "restarted": listening again on the same port. */
  restart(): Promise<void> {
    return this.start();
  }

  /**
   * Still listening, but every connection is reset as soon as it is accepted (and open ones are
   * cut), like a port nothing serves: the driver fails as with a killed Neo4j, and each of its
   * attempts is counted in `accepted`.
   */
  refuse(): void {
    this.mode = "refuse";
    this.cutAll();
  }

  /**
   * Still listening, but a connection accepted from now on gets no answer at all (like a Neo4j
   * that is hung, or still starting, or a network that drops packets); open ones are cut.
   */
  hang(): void {
    this.mode = "hang";
    this.cutAll();
  }

  /** After `refuse` or `hang`: forwards connections again (and cuts the hung ones). */
  serve(): void {
    this.mode = "forward";
    this.cutAll();
  }

  private cutAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  private accept(client: Socket): void {
    this.accepted += 1;
    if (this.mode === "refuse") {
      client.resetAndDestroy();
      return;
    }
    if (this.mode === "hang") {
      this.sockets.add(client);
      client.on("error", () => client.destroy()).on("close", () => this.sockets.delete(client));
      return;
    }
    const upstream = connect(this.target.port, this.target.host);
    this.sockets.add(client);
    this.sockets.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
