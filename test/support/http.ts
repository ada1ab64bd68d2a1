import { createServer, type AddressInfo } from "node:net";
import { expect } from "vitest";

/** An HTTP answer as received, before any GraphQL client would read it: status, headers, raw text. */
export interface Raw {
  status: number;
  headers: Headers;
  text: string;
  json: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } | null;
}

export async function send(url: string, init: RequestInit = {}): Promise<Raw> {
  const response = await fetch(url, init);
  const text = await response.text();
  let json: Raw["json"] = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export function post(url: string, body: string | Uint8Array, headers: Record<string, string> = {}): Promise<Raw> {
  return send(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
}

/** A refusal as the API makes them: JSON, a code, no HTML, no stack, no file path. */
export function expectJsonRefusal(result: Raw, status: number, code: string): void {
  expect(result.status, result.text).toBe(status);
  expect(result.headers.get("content-type")).toMatch(/json/);
  expect(result.json?.errors?.[0]?.extensions?.code, result.text).toBe(code);
  expect(result.text).not.toMatch(/<html|<pre|<!DOCTYPE/i);
  expect(result.text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\/work\/|\.ts:\d+/);
}

/** A TCP port on 127.0.0.1 that was free a moment ago (for a process the test starts). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
