import { lookup as dnsLookup } from "node:dns/promises";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { BadUserInputError } from "../../shared/errors.js";
import { echo } from "../../shared/validation.js";

/**
 * Where a webhook may point (D-30, SSRF). Production: only https, and the host must resolve (every
 * address dns.lookup gives) to public unicast addresses: none loopback, private (RFC 1918),
 * link-local (169.254/16 with the cloud metadata service, fe80::/10), unique-local (fc00::/7),
 * unspecified, carrier-grade NAT (100.64/10), multicast, broadcast, reserved or documentation, nor
 * an IPv6 form of any of them (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d (::/96), NAT64,
 * 6to4, Teredo); and the port must be 443 (the default) or 8443. Development adds http and https to
 * localhost, 127.0.0.1 and [::1] (any port), which must then resolve to loopback only.
 * Always: an absolute URL of at most 2,000 characters, no user name or password, no fragment.
 *
 * A refused address reads the same whatever the reason (does not resolve, private, loopback, ...):
 * one message naming D-30, in the API's error and the delivery log, so neither tells a caller what
 * a name resolves to inside the network; the reason and the addresses go to the server log only
 * (UrlRefused#detail).
 *
 * Checked when the webhook is created (BAD_USER_INPUT naming input.url) and again at every
 * delivery, where the connection is pinned to the addresses just checked: `lookup()` is given to
 * http(s).request, which connects only to what it returns, so a name that resolves to a public
 * address at the check and to a private one a moment later (DNS rebinding) is refused at connect
 * time. Redirects are never followed (a 3xx is a failed attempt).
 */

/** One resolved address, as dns.lookup({ all: true }) gives them. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const MAX_URL_LENGTH = 2_000;
const RESOLVE_TIMEOUT_MS = 5_000;

/** The hosts development allows over http (as URL#hostname writes them). */
const DEVELOPMENT_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** Why a URL or an address is refused: `rule` for BAD_USER_INPUT, `message` for the caller and the delivery log, `detail` for the server log only. */
export class UrlRefused extends Error {
  readonly detail: string;
  constructor(
    readonly rule: string,
    message: string,
    detail?: string,
  ) {
    super(message);
    this.detail = detail ?? message;
  }
}

/** The one refusal of an address (D-30), whatever the reason: never the addresses, never whether the name resolved. */
export function addressRefusal(production: boolean): string {
  return production
    ? "the URL is refused (D-30): its host must resolve to public addresses only (no loopback, private, link-local or other special-purpose address)."
    : "the URL is refused (D-30): its host must resolve to public addresses only (no loopback, private, link-local or other special-purpose address), or be localhost, 127.0.0.1 or [::1] in development.";
}

/** D-30 in production: the ports a webhook may use (443 is https's default). */
export const PRODUCTION_PORTS = ["", "443", "8443"] as const;

export interface UrlPolicyOptions {
  production: boolean;
  resolve?: Resolver;
}

export class UrlPolicy {
  readonly production: boolean;
  readonly resolve: Resolver;

  constructor(options: UrlPolicyOptions) {
    this.production = options.production;
    this.resolve = options.resolve ?? systemResolver;
  }

  /** The parsed URL when its form is allowed (scheme, credentials, fragment, IP literal); UrlRefused otherwise. Nothing is resolved. */
  parse(raw: string): URL {
    if (raw.length > MAX_URL_LENGTH) throw new UrlRefused("length", `must be at most ${MAX_URL_LENGTH} characters.`);
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new UrlRefused("url format", `${echo(raw)} is not an absolute URL (e.g. https://hooks.example.com/channel).`);
    }
    if (url.username !== "" || url.password !== "") {
      throw new UrlRefused("credentials", "must not carry a user name or password: authenticate the deliveries with their signature (X-Channel-Signature).");
    }
    if (url.hash !== "" || raw.includes("#")) throw new UrlRefused("url format", "must not have a fragment (#...).");
    const development = this.isDevelopmentHost(url);
    if (url.protocol !== "https:" && !(url.protocol === "http:" && development)) {
      throw new UrlRefused(
        "D-30",
        this.production
          ? `must be an https URL (D-30), got ${echo(url.protocol.replace(/:$/, ""))}.`
          : `must be an https URL, or http to localhost, 127.0.0.1 or [::1] in development (D-30), got ${echo(raw)}.`,
      );
    }
    if (this.production && !(PRODUCTION_PORTS as readonly string[]).includes(url.port)) {
      throw new UrlRefused("D-30", `must use port 443 or 8443 in production (D-30), got ${echo(url.port)}.`);
    }
    const literal = ipLiteral(url.hostname);
    if (literal !== null) this.checkAddress(url, literal);
    return url;
  }

  /** The whole check at creation: the form, then every address the host resolves to. */
  async check(raw: string): Promise<URL> {
    const url = this.parse(raw);
    if (ipLiteral(url.hostname) === null) await this.addressesOf(url);
    return url;
  }

  /** Every address of the URL's host, each allowed; UrlRefused when one is not or none resolve. */
  async addressesOf(url: URL): Promise<ResolvedAddress[]> {
    const host = bareHost(url.hostname);
    let addresses: ResolvedAddress[];
    try {
      addresses = await withTimeout(this.resolve(host), RESOLVE_TIMEOUT_MS);
    } catch (error) {
      throw new UrlRefused("D-30", addressRefusal(this.production), `the host ${echo(host)} does not resolve (${(error as Error)?.message ?? String(error)}).`);
    }
    if (addresses.length === 0) throw new UrlRefused("D-30", addressRefusal(this.production), `the host ${echo(host)} does not resolve (no address).`);
    for (const address of addresses) this.checkAddress(url, address.address);
    return addresses;
  }

  /**
   * For http(s).request's `lookup` option: resolves the host now, refuses the connection (an
   * error, no socket) unless every address is allowed, and hands the request only those.
   */
  lookupFor(url: URL): LookupFunction {
    return ((hostname: string, options: { all?: boolean } | number | undefined, callback: (...args: unknown[]) => void) => {
      const all = typeof options === "object" && options !== null && options.all === true;
      this.addressesOf(url).then(
        (addresses) => {
          if (bareHost(hostname) !== bareHost(url.hostname)) {
            callback(new UrlRefused("D-30", addressRefusal(this.production), `unexpected host ${echo(hostname)} (the URL names ${echo(url.hostname)}).`));
          } else if (all) callback(null, addresses);
          else callback(null, addresses[0]!.address, addresses[0]!.family);
        },
        (error: unknown) => callback(error),
      );
    }) as unknown as LookupFunction;
  }

  private isDevelopmentHost(url: URL): boolean {
    return !this.production && DEVELOPMENT_HOSTS.has(url.hostname);
  }

  /** An address the URL may reach, or UrlRefused naming its class. */
  checkAddress(url: URL, address: string): void {
    let parsed: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      // process(): an IPv4-mapped IPv6 address (::ffff:127.0.0.1) is judged as the IPv4 address it is.
      parsed = ipaddr.process(address);
    } catch {
      throw new UrlRefused("D-30", addressRefusal(this.production), `${echo(bareHost(url.hostname))} resolves to ${echo(address)}, which is not an IP address.`);
    }
    let range: string = parsed.range();
    // IPv4-compatible IPv6 (::a.b.c.d, ::/96, deprecated): ipaddr.js calls it unicast; it embeds an IPv4 address.
    if (range === "unicast" && parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).parts.slice(0, 6).every((part) => part === 0)) range = "ipv4Compatible";
    if (range === "unicast") return;
    if (range === "loopback" && this.isDevelopmentHost(url)) return;
    throw new UrlRefused(
      "D-30",
      addressRefusal(this.production),
      `must not reach a ${RANGE_NAMES[range] ?? `special-purpose (${range})`} address (D-30): ${echo(bareHost(url.hostname))} is ${parsed.toString()}.`,
    );
  }
}

/** What each refused range is called in a message. */
const RANGE_NAMES: Record<string, string> = {
  unspecified: "unspecified",
  broadcast: "broadcast",
  multicast: "multicast",
  linkLocal: "link-local",
  loopback: "loopback",
  carrierGradeNat: "carrier-grade NAT",
  private: "private",
  reserved: "reserved",
  uniqueLocal: "unique-local",
  ipv4Mapped: "IPv4-mapped",
  ipv4Compatible: "IPv4-compatible (::/96)",
  rfc6052: "NAT64 (IPv4-embedded)",
  rfc6145: "IPv4-translated",
  "6to4": "6to4 (IPv4-embedded)",
  teredo: "Teredo (IPv4-embedded)",
};

/** URL#hostname writes IPv6 literals in brackets. */
function bareHost(hostname: string): string {
  return hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
}

/** The IP address a URL's host names literally, or null for a name. */
function ipLiteral(hostname: string): string | null {
  const host = bareHost(hostname);
  return ipaddr.isValid(host) && (host.includes(":") || ipaddr.IPv4.isValidFourPartDecimal(host)) ? host : null;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timed out")), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A UrlRefused as the BAD_USER_INPUT of `field` (createWebhook's input.url); its detail goes to `log` (the server log) only. */
export function asInputError(field: string, error: unknown, log?: (detail: string) => void): unknown {
  if (!(error instanceof UrlRefused)) return error;
  if (log && error.detail !== error.message) log(error.detail);
  return new BadUserInputError(field, error.rule, error.message);
}
