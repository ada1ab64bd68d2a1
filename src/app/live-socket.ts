import type { Socket } from "node:net";
import { WebSocket } from "ws";

/**
 * The live connection's WebSocket (issue 14, the cost of live subscribers on writes): the `ws`
 * class the WebSocketServer makes for each connection (its `WebSocket` option), with sends
 * coalesced per connection. The one change is here; graphql-ws and ws are used as they are.
 *
 * Why: graphql-ws sends each `next` message and waits for ws's callback (the bytes handed to the
 * kernel) before it takes the subscription's next event. Under load the hub hands over the events
 * of a sequencing batch together (several per batch), so each subscriber's socket took them as one
 * write system call each: the largest part of what a live subscriber cost the API per write
 * (CPU profiles of bench:writes' variant C, 2026-12-03).
 *
 * What changes, once `coalesce(raw)` is called with the connection's TCP socket (the upgrade
 * request's socket, which ws writes to):
 * - the first message of a turn of the event loop corks that socket; the turn's end
 *   (setImmediate) uncorks it, so the messages of one turn leave in one write;
 * - a message's callback comes as soon as ws has framed it (a microtask), not after the write,
 *   unless the socket's buffer is over its high-water mark (`writableNeedDrain`: the client reads
 *   slower than its events come): then at `drain` (or close). So a slow client still holds its
 *   subscriptions back as before, where LIVE_MAX_BUFFERED ends them (1013), with at most one
 *   buffer's worth (the socket's writableHighWaterMark, 16 KiB) more in memory than before.
 * Messages keep their order (ws's one sender); a send on a socket not open is ws's own (its callback
 * gets the error). Before `coalesce` (and on any other socket), sends are ws's.
 */
/** Messages sent, and the turns (writes) they took: per connection, or summed over a process's (LiveGauge). */
export interface SendCounts {
  messages: number;
  turns: number;
}

export class LiveWebSocket extends WebSocket {
  private raw: Socket | null = null;
  private corked = false;
  /** This connection's sends, counted from `coalesce` on (into `counts` when one is given). */
  sends: SendCounts = { messages: 0, turns: 0 };

  /** Coalesces this connection's sends on `raw`, the socket ws writes to (the upgrade request's); counted into `counts`. */
  coalesce(raw: Socket, counts?: SendCounts): void {
    this.raw = raw;
    if (counts) this.sends = counts;
  }

  override send(data: unknown, options?: unknown, cb?: (err?: Error) => void): void {
    if (typeof options === "function") {
      cb = options as (err?: Error) => void;
      options = undefined;
    }
    const raw = this.raw;
    if (!raw || this.readyState !== WebSocket.OPEN || raw.destroyed) {
      super.send(data as string, (options ?? {}) as object, cb);
      return;
    }
    if (!this.corked) {
      this.corked = true;
      this.sends.turns += 1;
      raw.cork();
      setImmediate(() => {
        this.corked = false;
        raw.uncork();
      });
    }
    this.sends.messages += 1;
    // A write error destroys the socket: ws closes the connection and graphql-ws ends its
    // subscriptions; the callbacks already made have nothing left to report.
    super.send(data as string, (options ?? {}) as object);
    if (!cb) return;
    const done = cb;
    if (!raw.writableNeedDrain) {
      queueMicrotask(() => done());
      return;
    }
    let called = false;
    const once = () => {
      if (called) return;
      called = true;
      raw.off("drain", once);
      raw.off("close", once);
      done();
    };
    raw.once("drain", once);
    raw.once("close", once);
  }
}
