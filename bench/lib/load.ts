/**
 * The load: autocannon (programmatic API) against an HTTP server, and the floor's equivalent, a
 * loop of N concurrent workers sending one Cypher statement each through neo4j-driver, for the
 * same duration. Latencies are kept per request (ms, fractional) for exact percentiles.
 */
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import neo4j, { type Driver } from "neo4j-driver";
import { percentile } from "./stats.js";

export interface LoadResult {
  requests: number;
  /** Connection errors, timeouts and non-2xx answers. */
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
}

function summarize(latencies: number[], errors: number, seconds: number): LoadResult {
  return {
    requests: latencies.length,
    errors,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    mean: latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : Number.NaN,
  };
}

export interface HttpLoadOptions {
  url: string;
  body: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
}

export function httpLoad(options: HttpLoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  let failed = 0;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        method: "POST",
        headers: { "content-type": "application/json", ...options.headers },
        body: options.body,
        connections: options.connections,
        pipelining: 1,
        duration: options.seconds,
        timeout: 30,
      },
      (error, result) => {
        if (error) return reject(error);
        const seconds = (performance.now() - started) / 1000;
        resolve(summarize(latencies, failed + result.errors, Math.min(seconds, result.duration || seconds)));
      },
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
      else failed += 1;
    });
  });
}

export interface FloorLoadOptions {
  driver: Driver;
  database: string;
  query: string;
  params: Record<string, unknown>;
  connections: number;
  seconds: number;
}

/**
 * N workers, each sending the statement in an auto-commit transaction (RUN and PULL pipelined:
 * one round trip) and reading every record, until the duration is over.
 */
export async function floorLoad(options: FloorLoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const end = started + options.seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const session = options.driver.session({ database: options.database, defaultAccessMode: neo4j.session.READ });
      try {
        await session.run(options.query, options.params);
        latencies.push(performance.now() - t0);
      } catch {
        errors += 1;
      } finally {
        await session.close();
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  return summarize(latencies, errors, (performance.now() - started) / 1000);
}

export interface Sample {
  status: number;
  /** x-cypher-queries */
  queries: number;
  data: unknown;
  errors: unknown[] | undefined;
  ms: number;
}

export async function sampleRequest(url: string, body: string, headers: Record<string, string>): Promise<Sample> {
  const t0 = performance.now();
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  const json = (await response.json()) as { data?: unknown; errors?: unknown[] };
  return {
    status: response.status,
    queries: Number(response.headers.get("x-cypher-queries") ?? Number.NaN),
    data: json.data ?? null,
    errors: json.errors,
    ms: performance.now() - t0,
  };
}
