/**
 * The writes bench's load: autocannon POSTing a different body per request (SubmitOrder for the
 * next customer of a rotation, so requests do not all queue on one customer's lock), and telling
 * apart the answers that carry GraphQL `errors` (HTTP 200 too). Latencies are kept per request
 * (ms) for exact percentiles, as bench/lib/load.ts does.
 */
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import type { LoadResult } from "./load.js";
import { percentile } from "./stats.js";

export interface WriteLoadResult extends LoadResult {
  /** 2xx answers with GraphQL errors (not counted in `requests`, `rps` or the latencies). */
  graphqlErrors: number;
  /** The first such error, for the report. */
  firstError?: string;
}

/** Hands out request bodies in turn; shared by every load of a run, so each load continues the rotation. */
export class Rotation {
  private next = 0;
  constructor(private readonly bodies: readonly string[]) {
    if (bodies.length === 0) throw new Error("Rotation: no bodies");
  }

  take(): string {
    const body = this.bodies[this.next % this.bodies.length];
    this.next += 1;
    return body;
  }
}

export interface WriteLoadOptions {
  url: string;
  /** A fixed body, or a rotation of bodies (one per request). */
  body: string | Rotation;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
}

export function writeLoad(options: WriteLoadOptions): Promise<WriteLoadResult> {
  const latencies: number[] = [];
  let failed = 0;
  let graphqlErrors = 0;
  let firstError: string | undefined;
  // autocannon calls the request's onResponse (with the body) just before it emits `response`
  // (with the time), for the same connection: the body's verdict waits there for its latency.
  const clean = new Map<object, boolean>();
  const started = performance.now();
  const { body } = options;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        method: "POST",
        headers: { "content-type": "application/json", ...options.headers },
        connections: options.connections,
        pipelining: 1,
        duration: options.seconds,
        timeout: 30,
        requests: [
          {
            method: "POST",
            ...(typeof body === "string" ? { body } : { setupRequest: (request) => ({ ...request, body: body.take() }) }),
            onResponse: (status, text, context) => {
              const ok = !text.includes('"errors"');
              clean.set(context, ok);
              if (!ok && status >= 200 && status < 300) {
                graphqlErrors += 1;
                firstError ??= text.slice(0, 400);
              }
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        const seconds = Math.min((performance.now() - started) / 1000, result.duration || Number.POSITIVE_INFINITY);
        resolve({
          requests: latencies.length,
          errors: failed + result.errors,
          seconds,
          rps: latencies.length / seconds,
          p50: percentile(latencies, 50),
          p90: percentile(latencies, 90),
          p99: percentile(latencies, 99),
          mean: latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : Number.NaN,
          graphqlErrors,
          ...(firstError ? { firstError } : {}),
        });
      },
    );
    instance.on("response", (client, statusCode, _bytes, responseTime) => {
      const context = contextOf(client);
      const ok = clean.get(context);
      clean.delete(context);
      if (statusCode < 200 || statusCode >= 300) failed += 1;
      else if (ok) latencies.push(responseTime);
    });
  });
}

/** The per-connection context object autocannon passes to onResponse (one request in flight per connection: pipelining 1). */
function contextOf(client: unknown): object {
  return (client as { requestIterator: { context: object } }).requestIterator.context;
}
