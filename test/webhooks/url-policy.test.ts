import { describe, expect, it } from "vitest";
import { UrlPolicy, UrlRefused, type Resolver } from "../../src/modules/webhooks/url-policy.js";

/** A resolver that answers from a table (no DNS): what a name resolves to is the test's choice. */
function table(entries: Record<string, string[]>): Resolver {
  return async (host) => {
    const addresses = entries[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
}

const names = table({
  "hooks.example.com": ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"],
  "localhost": ["127.0.0.1", "::1"],
  "rebind.example.com": ["93.184.216.34", "10.0.0.5"],
  "metadata.example.com": ["169.254.169.254"],
  "cgnat.example.com": ["100.64.1.2"],
  "mapped.example.com": ["::ffff:10.1.2.3"],
  "ula.example.com": ["fd12:3456:789a::1"],
});

const production = new UrlPolicy({ production: true, resolve: names });
const development = new UrlPolicy({ production: false, resolve: names });

async function refusal(policy: UrlPolicy, url: string): Promise<UrlRefused> {
  try {
    await policy.check(url);
  } catch (error) {
    expect(error).toBeInstanceOf(UrlRefused);
    return error as UrlRefused;
  }
  throw new Error(`${url} was accepted`);
}

describe("the webhook URL policy (D-30, SSRF)", () => {
  it("when production checks an https URL whose host resolves to public addresses only, then it is accepted", async () => {
    await expect(production.check("https://hooks.example.com/channel?x=1")).resolves.toBeInstanceOf(URL);
    await expect(production.check("https://93.184.216.34:8443/hook")).resolves.toBeInstanceOf(URL);
  });

  it.each([
    ["http://hooks.example.com/hook", "D-30", "https"],
    ["ftp://hooks.example.com/hook", "D-30", "https"],
    ["https://127.0.0.1/hook", "D-30", "loopback"],
    ["https://127.1.2.3/hook", "D-30", "loopback"],
    ["https://2130706433/hook", "D-30", "loopback"],
    ["https://10.0.0.1/hook", "D-30", "private"],
    ["https://192.168.1.10/hook", "D-30", "private"],
    ["https://172.16.0.1/hook", "D-30", "private"],
    ["https://169.254.169.254/latest/meta-data", "D-30", "link-local"],
    ["https://100.64.0.1/hook", "D-30", "carrier-grade NAT"],
    ["https://0.0.0.0/hook", "D-30", "unspecified"],
    ["https://255.255.255.255/hook", "D-30", "broadcast"],
    ["https://224.0.0.1/hook", "D-30", "multicast"],
    ["https://[::1]/hook", "D-30", "loopback"],
    ["https://[::]/hook", "D-30", "unspecified"],
    ["https://[fe80::1]/hook", "D-30", "link-local"],
    ["https://[fd00::1]/hook", "D-30", "unique-local"],
    ["https://[::ffff:127.0.0.1]/hook", "D-30", "loopback"],
    ["https://[::ffff:169.254.169.254]/hook", "D-30", "link-local"],
    ["https://[64:ff9b::a00:1]/hook", "D-30", "NAT64"],
    ["https://localhost/hook", "D-30", "loopback"],
    ["https://rebind.example.com/hook", "D-30", "private"],
    ["https://metadata.example.com/hook", "D-30", "link-local"],
    ["https://cgnat.example.com/hook", "D-30", "carrier-grade NAT"],
    ["https://mapped.example.com/hook", "D-30", "private"],
    ["https://ula.example.com/hook", "D-30", "unique-local"],
    ["https://nowhere.example.com/hook", "D-30", "does not resolve"],
    ["https://user:pass@hooks.example.com/hook", "credentials", "user name or password"],
    ["https://hooks.example.com/hook#part", "url format", "fragment"],
    ["/relative/hook", "url format", "absolute URL"],
    [`https://hooks.example.com/${"a".repeat(2_000)}`, "length", "2000"],
    ["https://[::7f00:1]/hook", "D-30", "IPv4-compatible"],
    ["https://[::a00:1]/hook", "D-30", "IPv4-compatible"],
    ["https://hooks.example.com:8080/hook", "D-30", "port 443 or 8443"],
    ["https://93.184.216.34:22/hook", "D-30", "port 443 or 8443"],
  ])("when production checks %s, then it is refused (rule %s: %s)", async (url, rule, text) => {
    const error = await refusal(production, url);
    expect(error.rule).toBe(rule);
    // The reason is in the detail (the server log); the message is what the caller and the delivery log get.
    expect(error.detail.replace(/,/g, "")).toContain(text);
  });

  it("when production refuses an address, then the message is the same whether the name does not resolve or resolves to a private, loopback or link-local address, names D-30, and never echoes an address", async () => {
    const messages = new Set<string>();
    for (const url of [
      "https://nowhere.example.com/hook",
      "https://rebind.example.com/hook",
      "https://metadata.example.com/hook",
      "https://mapped.example.com/hook",
      "https://localhost/hook",
      "https://10.0.0.1/hook",
      "https://[::7f00:1]/hook",
    ]) {
      const error = await refusal(production, url);
      expect(error.rule).toBe("D-30");
      messages.add(error.message);
      expect(error.message).not.toMatch(/\d+\.\d+\.\d+\.\d+|::|does not resolve/);
    }
    expect(messages.size).toBe(1);
    expect([...messages][0]).toContain("D-30");
  });

  it("when production checks the port, then 443 (default or written) and 8443 are accepted; development allows any port to its local hosts", async () => {
    for (const url of ["https://hooks.example.com/hook", "https://hooks.example.com:443/hook", "https://hooks.example.com:8443/hook"]) {
      await expect(production.check(url), url).resolves.toBeInstanceOf(URL);
    }
    expect((await refusal(production, "https://hooks.example.com:444/hook")).message).toContain("443 or 8443");
    await expect(development.check("http://127.0.0.1:4010/hook")).resolves.toBeInstanceOf(URL);
  });

  it("when development checks http to localhost, 127.0.0.1 or [::1], then it is accepted, and anything else follows the production rules", async () => {
    for (const url of ["http://localhost:4010/hook", "http://127.0.0.1:4010/hook", "http://[::1]:4010/hook", "https://localhost/hook"]) {
      await expect(development.check(url), url).resolves.toBeInstanceOf(URL);
    }
    expect((await refusal(development, "http://hooks.example.com/hook")).rule).toBe("D-30");
    expect((await refusal(development, "https://10.0.0.1/hook")).detail).toContain("private");
    expect((await refusal(development, "http://[::7f00:1]/hook")).rule).toBe("D-30");
    expect((await refusal(development, "http://[::ffff:127.0.0.1]/hook")).rule).toBe("D-30");
    expect((await refusal(development, "http://user:pw@localhost/hook")).rule).toBe("credentials");
  });

  it("when a name that passed the check resolves to a private address at delivery time (DNS rebinding), then the pinned lookup refuses the connection", async () => {
    let answer = ["93.184.216.34"];
    const policy = new UrlPolicy({ production: true, resolve: async () => answer.map((address) => ({ address, family: 4 })) });
    const url = await policy.check("https://hooks.example.com/hook");
    answer = ["10.0.0.5"];
    const lookup = policy.lookupFor(url);
    const result = await new Promise<{ error: unknown; address: unknown }>((resolve) =>
      (lookup as unknown as (h: string, o: object, cb: (e: unknown, a?: unknown) => void) => void)("hooks.example.com", { all: true }, (error, address) =>
        resolve({ error, address }),
      ),
    );
    expect(result.error).toBeInstanceOf(UrlRefused);
    expect((result.error as UrlRefused).detail).toContain("private");
    expect((result.error as UrlRefused).message).not.toContain("10.0.0.5");
    expect(result.address).toBeUndefined();
  });

  it("when the pinned lookup resolves only public addresses, then it hands exactly those to the connection", async () => {
    const url = await production.check("https://hooks.example.com/hook");
    const lookup = production.lookupFor(url) as unknown as (h: string, o: object, cb: (e: unknown, a?: unknown, f?: unknown) => void) => void;
    const one = await new Promise<unknown[]>((resolve) => lookup("hooks.example.com", {}, (...args) => resolve(args)));
    expect(one).toEqual([null, "93.184.216.34", 4]);
    const all = await new Promise<unknown[]>((resolve) => lookup("hooks.example.com", { all: true }, (...args) => resolve(args)));
    expect(all[0]).toBeNull();
    expect((all[1] as { address: string }[]).map((a) => a.address)).toEqual(["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"]);
  });
});
