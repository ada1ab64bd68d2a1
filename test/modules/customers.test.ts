import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../src/shared/ids.js";
import { startTestApp, uniqueTag, tokenGetter, type GqlResult, type TestApp } from "../support/app.js";
import { createChannel, listKeyOf, partnershipKeyOf } from "../support/fixtures.js";

interface PartnerRef {
  id: string;
  name: string;
  kind: string;
}

interface SubscriptionView {
  id: string;
  offerName: string;
  productFamily: string;
  quantity: number;
  status: string;
}

interface CustomerNode {
  id: string;
  companyName: string;
  domain: string;
  countryCode: string;
  partners: PartnerRef[];
  subscriptions: SubscriptionView[];
}

interface CustomersData {
  customers: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: CustomerNode }[];
  };
}

interface CustomerData {
  customer:
    | (CustomerNode & {
        channelPaths: { provider: { id: string; name: string }; reseller: { id: string; name: string }; providerCanOrder: boolean }[];
      })
    | null;
}

const names = (data: CustomersData | null) => data!.customers.edges.map((e) => e.node.companyName);

let app: TestApp;

// scrypt makes a sign-in cost a noticeable fraction of a second; one per user per file is enough.
const tokenOf = tokenGetter(() => app);

// Ids are generated at load time, so the tests look them up by what DEMO.md fixes: customer
// domains and partner MPN IDs (both unique by constraint).
const customerIdByDomain = new Map<string, string>();
const partnerIdByMpn = new Map<string, string>();
const customerId = (domain: string) => {
  const id = customerIdByDomain.get(domain);
  if (!id) throw new Error(`demo customer ${domain} is missing from the test database`);
  return id;
};
const partnerId = (mpnId: string) => {
  const id = partnerIdByMpn.get(mpnId);
  if (!id) throw new Error(`demo partner ${mpnId} is missing from the test database`);
  return id;
};

const ADATUM = "2000001";

beforeAll(async () => {
  app = await startTestApp();
  const customers = await app.cypher<{ domain: string; id: string }>("MATCH (c:Customer) RETURN c.domain AS domain, c.id AS id");
  for (const c of customers) customerIdByDomain.set(c.domain, c.id);
  const partners = await app.cypher<{ mpnId: string; id: string }>("MATCH (p:Partner) RETURN p.mpnId AS mpnId, p.id AS id");
  for (const p of partners) partnerIdByMpn.set(p.mpnId, p.id);
});
afterAll(async () => {
  await app?.close();
});

/** The request must have failed with BAD_USER_INPUT, and the message must name the argument. */
function expectBadInput(result: GqlResult<unknown>, field: string) {
  expect(result.errors, JSON.stringify(result.errors)).toHaveLength(1);
  const [error] = result.errors!;
  expect(error.extensions?.code).toBe("BAD_USER_INPUT");
  expect(error.message).toContain(field);
}

// DEMO.md, "Customers and their resellers of record", read per organisation and sorted by name.
const CUSTOMERS_OF: [email: string, customers: string[]][] = [
  [
    "ga@contosodist.example",
    ["Alpine Ski House", "Blue Yonder Airlines", "Coho Winery", "Graphic Design Institute", "Proseware", "Wingtip Toys"],
  ],
  ["ga@fabrikamsupply.example", ["Fourth Coffee", "Graphic Design Institute", "Humongous Insurance", "Trey Research"]],
  ["ga@adatum.example", ["Alpine Ski House", "Blue Yonder Airlines", "City Power & Light", "Proseware"]],
  ["ga@litware.example", ["Coho Winery", "Fourth Coffee", "Graphic Design Institute", "Proseware"]],
  ["ga@northwind.example", ["Humongous Insurance", "Lucerne Publishing", "Trey Research"]],
  ["ga@tailspin.example", ["Margie's Travel"]],
];

describe("customers (C1, T-2)", () => {
  it("when a reseller lists its customers, then it gets exactly its customers of record from DEMO.md, sorted by name", async () => {
    const token = await tokenOf("ga@adatum.example");
    const result = await app.op<CustomersData>("Customers", { first: 20 }, token);
    expect(result.errors).toBeUndefined();
    expect(names(result.data)).toEqual(["Alpine Ski House", "Blue Yonder Airlines", "City Power & Light", "Proseware"]);
    expect(result.data!.customers.totalCount).toBe(4);
  });

  it("when a provider lists its customers, then its direct customer is included and its resellers' other customers are not", async () => {
    const token = await tokenOf("ga@contosodist.example");
    const result = await app.op<CustomersData>("Customers", { first: 20 }, token);
    expect(names(result.data)).toEqual([
      "Alpine Ski House",
      "Blue Yonder Airlines",
      "Coho Winery",
      "Graphic Design Institute",
      "Proseware",
      "Wingtip Toys",
    ]);
  });

  it.each(CUSTOMERS_OF)("when %s lists its customers, then the list is its RESELLER_OF_RECORD row set of DEMO.md", async (email, expected) => {
    const result = await app.op<CustomersData>("Customers", { first: 20 }, await tokenOf(email));
    expect(result.errors).toBeUndefined();
    expect(names(result.data)).toEqual(expected);
    expect(result.data!.customers.totalCount).toBe(expected.length);
    expect(result.data!.customers.pageInfo.hasNextPage).toBe(false);
  });
});

describe("customers: where (search, countryCode, sharedWithPartnerId)", () => {
  it("when a provider searches a part of a company name in another case, then only the matching customers come back", async () => {
    const token = await tokenOf("ga@contosodist.example");
    const result = await app.op<CustomersData>("Customers", { first: 20, where: { search: "WING" } }, token);
    expect(result.errors).toBeUndefined();
    expect(names(result.data)).toEqual(["Wingtip Toys"]);
    expect(result.data!.customers.totalCount).toBe(1);

    const middle = await app.op<CustomersData>("Customers", { first: 20, where: { search: "Design Inst" } }, token);
    expect(names(middle.data)).toEqual(["Graphic Design Institute"]);
  });

  it("when a reseller searches a part of a domain that is not in the company name, then the customer is found by its domain", async () => {
    // "blueyonder" appears in the domain only; the name has a space ("Blue Yonder").
    const token = await tokenOf("ga@adatum.example");
    const result = await app.op<CustomersData>("Customers", { first: 20, where: { search: "blueyonder" } }, token);
    expect(result.errors).toBeUndefined();
    expect(result.data!.customers.edges.map((e) => e.node.domain)).toEqual(["blueyonder.example"]);
  });

  it("when a search matches only another organisation's customer, then the list is empty (the filter never widens T-2)", async () => {
    const token = await tokenOf("ga@adatum.example");
    const result = await app.op<CustomersData>("Customers", { first: 20, where: { search: "margie" } }, token);
    expect(result.errors).toBeUndefined();
    expect(result.data!.customers).toMatchObject({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it("when a provider filters by countryCode, then only its customers of that country come back, whatever the letter case", async () => {
    const token = await tokenOf("ga@fabrikamsupply.example");
    for (const countryCode of ["DE", "de"]) {
      const result = await app.op<CustomersData>("Customers", { first: 20, where: { countryCode } }, token);
      expect(result.errors).toBeUndefined();
      expect(names(result.data)).toEqual(["Humongous Insurance", "Trey Research"]);
      expect(result.data!.customers.edges.every((e) => e.node.countryCode === "DE")).toBe(true);
    }
    const us = await app.op<CustomersData>("Customers", { first: 20, where: { countryCode: "US" } }, token);
    expect(names(us.data)).toEqual(["Fourth Coffee", "Graphic Design Institute"]);
  });

  it("when Contoso filters by sharedWithPartnerId = Adatum IT, then only the customers both have a reseller relationship with come back (D-11)", async () => {
    const token = await tokenOf("ga@contosodist.example");
    const result = await app.op<CustomersData>("Customers", { first: 20, where: { sharedWithPartnerId: partnerId(ADATUM) } }, token);
    expect(result.errors).toBeUndefined();
    expect(names(result.data)).toEqual(["Alpine Ski House", "Blue Yonder Airlines", "Proseware"]);
    expect(result.data!.customers.totalCount).toBe(3);
  });

  it("when a reseller filters by sharedWithPartnerId = its provider, then it gets the same shared set from its side", async () => {
    const token = await tokenOf("ga@litware.example");
    const result = await app.op<CustomersData>("Customers", { first: 20, where: { sharedWithPartnerId: partnerId("1000002") } }, token);
    expect(result.errors).toBeUndefined();
    expect(names(result.data)).toEqual(["Fourth Coffee", "Graphic Design Institute"]);
  });

  it("when sharedWithPartnerId names an organisation the caller has no partnership with, then the list is empty", async () => {
    // Contoso and Northwind share no customer and have no edge; the filter must not reveal anything.
    const token = await tokenOf("ga@contosodist.example");
    const result = await app.op<CustomersData>("Customers", { first: 20, where: { sharedWithPartnerId: partnerId("2000003") } }, token);
    expect(result.errors).toBeUndefined();
    expect(result.data!.customers.totalCount).toBe(0);
  });

  it("when countryCode is not an ISO 3166-1 alpha-2 code, then the request fails with BAD_USER_INPUT naming where.countryCode", async () => {
    const token = await tokenOf("ga@contosodist.example");
    const result = await app.op<CustomersData>("Customers", { first: 20, where: { countryCode: "ZZ" } }, token);
    expectBadInput(result, "where.countryCode");
  });
});

describe("customers: keyset paging", () => {
  it("when Contoso pages through its customers two at a time following endCursor, then it gets all 6 once each, in the order of one big page", async () => {
    const token = await tokenOf("ga@contosodist.example");
    const whole = await app.op<CustomersData>("Customers", { first: 20 }, token);
    const expected = whole.data!.customers.edges.map((e) => e.node.id);
    expect(expected).toHaveLength(6);

    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: GqlResult<CustomersData> = await app.op<CustomersData>("Customers", { first: 2, after }, token);
      expect(page.errors).toBeUndefined();
      const connection = page.data!.customers;
      // totalCount is the whole filtered list, not the page.
      expect(connection.totalCount).toBe(6);
      expect(connection.edges.length).toBeLessThanOrEqual(2);
      seen.push(...connection.edges.map((e) => e.node.id));
      pages += 1;
      if (!connection.pageInfo.hasNextPage) break;
      expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)!.cursor);
      after = connection.pageInfo.endCursor;
      // A cursor that never advanced would loop forever; 6 rows cannot take more than 3 pages.
      expect(pages).toBeLessThan(4);
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expected);
  });

  it("when names are prefixes of one another or differ only in case, then pages follow (lower-cased name, id) exactly", async () => {
    // The page is an index seek on listKey = partner + U+0000 + name + U+0000 + id
    // (migrations/0006); U+0000 must sort before anything a name holds, or "abc" would come after
    // "abc d" here.
    const names = ["Abc", "abc d", "ABC", "Abc-", "ab", "A b", "a b", "Ábc", "abc", "Zeta", "abcd", "Abc D"];
    const local = await createChannel(app, `${uniqueTag()}k`, { names });
    try {
      const token = await app.signInOnce(local.resellerUsers.ga, local.password);
      const all = [...local.sharedCustomers, local.resellerOnlyCustomer];
      const lower = (s: string) => s.toLowerCase();
      const expected = [...all]
        .sort((a, b) => (lower(a.name) < lower(b.name) ? -1 : lower(a.name) > lower(b.name) ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map((c) => c.id);
      const seen: string[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 10; pages++) {
        const page: GqlResult<CustomersData> = await app.op<CustomersData>("Customers", { first: 3, after }, token);
        expect(page.errors).toBeUndefined();
        expect(page.data!.customers.totalCount).toBe(all.length);
        seen.push(...page.data!.customers.edges.map((e) => e.node.id));
        if (!page.data!.customers.pageInfo.hasNextPage) break;
        after = page.data!.customers.pageInfo.endCursor;
      }
      expect(seen).toEqual(expected);
    } finally {
      await local.remove();
    }
  });

  it.each([
    ["reseller-of-record", "customer", "(p:Partner)-[e:RESELLER_OF_RECORD]->(c:Customer)", listKeyOf("p", "c"), 10],
    ["partnership", "reseller (IndirectResellers)", "(p:Provider)-[e:INDIRECT_PROVIDER_OF]->(c:Reseller)", partnershipKeyOf("p", "c"), 3],
  ])("when every %s edge in the graph is read, then each carries the list key of its owner, the other end's name and id (else that %s would be missing from lists)", async (_kind, _missing, pattern, key, atLeast) => {
    const [row] = await app.cypher<{ edges: { toNumber(): number }; wrong: { toNumber(): number } }>(
      `MATCH ${pattern}
       RETURN count(e) AS edges, count(CASE WHEN e.listKey IS NULL OR e.listKey <> ${key} THEN 1 END) AS wrong`,
    );
    expect(row.edges.toNumber()).toBeGreaterThan(atLeast);
    expect(row.wrong.toNumber()).toBe(0);
  });

  it("when createdAt is read through the list (epoch milliseconds from Cypher) and through the customer, then both are the stored DateTime in ISO 8601", async () => {
    const token = await tokenOf("ga@contosodist.example");
    const list = await app.gql<{ customers: { edges: { node: { id: string; createdAt: string; subscriptions: { id: string; createdAt: string }[] } }[] } }>(
      "{ customers(first: 3) { edges { node { id createdAt subscriptions { id createdAt } } } } }",
      { token },
    );
    expect(list.errors).toBeUndefined();
    const nodes = list.data!.customers.edges.map((e) => e.node);
    expect(nodes.length).toBeGreaterThan(0);
    const stored = await app.cypher<{ id: string; at: string }>(
      `MATCH (c:Customer) WHERE c.id IN $ids RETURN c.id AS id, toString(c.createdAt) AS at
       UNION ALL
       MATCH (s:Subscription) WHERE s.id IN $subs RETURN s.id AS id, toString(s.createdAt) AS at`,
      { ids: nodes.map((n) => n.id), subs: nodes.flatMap((n) => n.subscriptions.map((x) => x.id)) },
    );
    const iso = new Map(stored.map((r) => [r.id, new Date(r.at).toISOString()]));
    for (const node of nodes) {
      expect(node.createdAt).toBe(iso.get(node.id));
      for (const sub of node.subscriptions) expect(sub.createdAt).toBe(iso.get(sub.id));
      const one = await app.gql<{ customer: { createdAt: string } }>("query ($id: ID!) { customer(id: $id) { createdAt } }", { token, variables: { id: node.id } });
      expect(one.data!.customer.createdAt).toBe(node.createdAt);
    }
  });

  it("when after is not a cursor this list returned, then the request fails with BAD_USER_INPUT naming after", async () => {
    const token = await tokenOf("ga@contosodist.example");
    for (const after of ["garbage!!", Buffer.from(JSON.stringify({ key: "x" })).toString("base64url")]) {
      const result = await app.op<CustomersData>("Customers", { first: 2, after }, token);
      expectBadInput(result, "after");
    }
  });

  it("when first is above the maximum page size of 100, then the request fails with BAD_USER_INPUT naming first", async () => {
    const token = await tokenOf("ga@contosodist.example");
    const result = await app.op<CustomersData>("Customers", { first: 101 }, token);
    expectBadInput(result, "first");
  });
});

describe("customers: partners on a customer (T-3)", () => {
  const partnersSeen = async (email: string, domain: string) => {
    const result = await app.op<CustomerData>("Customer", { id: customerId(domain) }, await tokenOf(email));
    expect(result.errors).toBeUndefined();
    return result.data!.customer!.partners.map((p) => `${p.name} (${p.kind})`).sort();
  };

  it("when Litware looks at Proseware, then it sees itself and Contoso but not Adatum, with which it has no partnership", async () => {
    expect(await partnersSeen("ga@litware.example", "proseware.example")).toEqual([
      "Contoso Distribution (PROVIDER)",
      "Litware Cloud (RESELLER)",
    ]);
  });

  it("when Adatum looks at Proseware, then it sees itself and Contoso but not Litware", async () => {
    expect(await partnersSeen("ga@adatum.example", "proseware.example")).toEqual([
      "Adatum IT (RESELLER)",
      "Contoso Distribution (PROVIDER)",
    ]);
  });

  it("when Contoso looks at Proseware, then it sees itself and both of its resellers of record", async () => {
    expect(await partnersSeen("ga@contosodist.example", "proseware.example")).toEqual([
      "Adatum IT (RESELLER)",
      "Contoso Distribution (PROVIDER)",
      "Litware Cloud (RESELLER)",
    ]);
  });

  it("when Fabrikam looks at Graphic Design Institute, then Contoso (a reseller of record, but no partner of Fabrikam) is hidden", async () => {
    expect(await partnersSeen("ga@fabrikamsupply.example", "graphicdesign.example")).toEqual([
      "Fabrikam Supply (PROVIDER)",
      "Litware Cloud (RESELLER)",
    ]);
  });

  it("when the partners are listed in the customer list, then they follow the same scope", async () => {
    const result = await app.op<CustomersData>("Customers", { first: 20, where: { search: "proseware" } }, await tokenOf("ga@litware.example"));
    expect(result.data!.customers.edges[0].node.partners.map((p) => p.name).sort()).toEqual(["Contoso Distribution", "Litware Cloud"]);
  });
});

// DEMO.md's subscription rule: every customer with a provider among its resellers of record has
// Microsoft 365 E3 (25), ordered by its first listed provider and sold through its first listed
// reseller; Alpine, Coho, Fourth Coffee, Humongous, Proseware and Wingtip also have Azure plan (1).
// Every partner of record of a customer sees all its subscriptions (T-2, D-21; MODEL.md), so e.g.
// Fabrikam sees GDI's (ordered by Contoso, sold through Litware) and Litware Proseware's (Contoso,
// Adatum); it changes only those sold through or ordered by it (test/modules/subscription-lifecycle.test.ts).
const E3 = "Microsoft 365 E3 OFFICE_365 x25";
const AZURE = "Azure plan AZURE x1";
const SUBSCRIPTIONS_OF: [email: string, byCustomer: Record<string, string[]>][] = [
  [
    "ga@contosodist.example",
    {
      "Alpine Ski House": [E3, AZURE],
      "Blue Yonder Airlines": [E3],
      "Coho Winery": [E3, AZURE],
      "Graphic Design Institute": [E3],
      Proseware: [E3, AZURE],
      "Wingtip Toys": [E3, AZURE],
    },
  ],
  [
    "ga@fabrikamsupply.example",
    { "Fourth Coffee": [E3, AZURE], "Graphic Design Institute": [E3], "Humongous Insurance": [E3, AZURE], "Trey Research": [E3] },
  ],
  [
    "ga@adatum.example",
    { "Alpine Ski House": [E3, AZURE], "Blue Yonder Airlines": [E3], "City Power & Light": [], Proseware: [E3, AZURE] },
  ],
  ["ga@litware.example", { "Coho Winery": [E3, AZURE], "Fourth Coffee": [E3, AZURE], "Graphic Design Institute": [E3], Proseware: [E3, AZURE] }],
  ["ga@northwind.example", { "Humongous Insurance": [E3, AZURE], "Lucerne Publishing": [], "Trey Research": [E3] }],
  ["ga@tailspin.example", { "Margie's Travel": [] }],
];

const describeSubscriptions = (subscriptions: SubscriptionView[]) =>
  subscriptions.map((s) => `${s.offerName} ${s.productFamily} x${s.quantity}`).sort();

describe("customers: subscriptions (T-2, D-21: every subscription of a customer of record)", () => {
  it.each(SUBSCRIPTIONS_OF)("when %s lists its customers, then each shows all its subscriptions, whoever sold or ordered them", async (email, expected) => {
    const result = await app.op<CustomersData>("Customers", { first: 20 }, await tokenOf(email));
    expect(result.errors).toBeUndefined();
    const actual = Object.fromEntries(result.data!.customers.edges.map((e) => [e.node.companyName, describeSubscriptions(e.node.subscriptions)]));
    const sorted = Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, [...v].sort()]));
    expect(actual).toEqual(sorted);
  });

  it("D-21: when Litware opens Proseware (sold through Adatum, ordered by Contoso, neither its own), then it reads both subscriptions, as a partner of record", async () => {
    const result = await app.op<CustomerData>("Customer", { id: customerId("proseware.example") }, await tokenOf("ga@litware.example"));
    expect(result.errors).toBeUndefined();
    expect(describeSubscriptions(result.data!.customer!.subscriptions)).toEqual([AZURE, E3]);
  });

  it("when Contoso opens its direct customer Wingtip Toys, then it sees its E3 and Azure subscriptions", async () => {
    const result = await app.op<CustomerData>("Customer", { id: customerId("wingtiptoys.example") }, await tokenOf("ga@contosodist.example"));
    expect(result.errors).toBeUndefined();
    expect(describeSubscriptions(result.data!.customer!.subscriptions)).toEqual([AZURE, E3]);
    expect(result.data!.customer!.subscriptions.every((s) => s.status === "ACTIVE" && s.id.length > 0)).toBe(true);
  });

  it("when Adatum opens Alpine Ski House, then it sees the E3 and Azure subscriptions sold through it", async () => {
    const result = await app.op<CustomerData>("Customer", { id: customerId("alpineskihouse.example") }, await tokenOf("ga@adatum.example"));
    expect(describeSubscriptions(result.data!.customer!.subscriptions)).toEqual([AZURE, E3]);
  });
});

describe("customers: customer(id) with channelPaths (T-3, D-12)", () => {
  const pathsSeen = async (email: string, domain: string) => {
    const result = await app.op<CustomerData>("Customer", { id: customerId(domain) }, await tokenOf(email));
    expect(result.errors).toBeUndefined();
    expect(result.data!.customer!.domain).toBe(domain);
    return result.data!.customer!.channelPaths.map((p) => `${p.provider.name} -> ${p.reseller.name}: ${p.providerCanOrder}`).sort();
  };

  it("when Adatum opens City Power & Light, then the one path Contoso -> Adatum shows that Contoso cannot order (D-12)", async () => {
    expect(await pathsSeen("ga@adatum.example", "citypower.example")).toEqual(["Contoso Distribution -> Adatum IT: false"]);
  });

  it("when Contoso opens Proseware, then it sees the paths through both of its resellers, and it can order on both", async () => {
    expect(await pathsSeen("ga@contosodist.example", "proseware.example")).toEqual([
      "Contoso Distribution -> Adatum IT: true",
      "Contoso Distribution -> Litware Cloud: true",
    ]);
  });

  it("when Litware opens Proseware, then it sees only paths through itself: Contoso -> Adatum is hidden", async () => {
    // MODEL.md: a path is (P)-[:INDIRECT_PROVIDER_OF]->(R)-[:RESELLER_OF_RECORD]->(c), and a
    // reseller sees its own paths (T-3). Litware is of record for Proseware and has two providers,
    // so Fabrikam -> Litware is a path too, one on which Fabrikam cannot order (as Contoso -> Adatum
    // for City Power & Light).
    const paths = await pathsSeen("ga@litware.example", "proseware.example");
    expect(paths).toContain("Contoso Distribution -> Litware Cloud: true");
    expect(paths.some((p) => p.includes("Adatum IT"))).toBe(false);
    expect(paths).toEqual(["Contoso Distribution -> Litware Cloud: true", "Fabrikam Supply -> Litware Cloud: false"]);
  });

  it("when Contoso opens its direct customer Wingtip Toys, then there is no channel path (no reseller)", async () => {
    expect(await pathsSeen("ga@contosodist.example", "wingtiptoys.example")).toEqual([]);
  });

  it("when Fabrikam opens Graphic Design Institute, then it sees Fabrikam -> Litware, on which it can order, and not Contoso's path", async () => {
    expect(await pathsSeen("ga@fabrikamsupply.example", "graphicdesign.example")).toEqual(["Fabrikam Supply -> Litware Cloud: true"]);
  });

  it("when a customer is opened by id, then its own fields are those of DEMO.md", async () => {
    const result = await app.op<CustomerData>("Customer", { id: customerId("citypower.example") }, await tokenOf("ga@adatum.example"));
    expect(result.data!.customer).toMatchObject({
      id: customerId("citypower.example"),
      companyName: "City Power & Light",
      domain: "citypower.example",
      countryCode: "US",
    });
  });
});

describe("customers: out of scope reads as absent (T-4)", () => {
  const NODE_QUERY = "query ($id: ID!) { node(id: $id) { id } }";
  // Well formed (cus_ + 26 base32 chars) but never stored: ids are 128 random bits.
  const RANDOM_ID = newId("Customer");
  const MALFORMED_ID = "cus_not-an-id";

  it.each([
    ["ga@adatum.example", "margiestravel.example"],
    ["ga@contosodist.example", "citypower.example"],
    ["ga@litware.example", "alpineskihouse.example"],
  ])("when %s asks for %s, another organisation's customer, then customer and node are null without error, as for an unknown id", async (email, domain) => {
    const token = await tokenOf(email);
    const results = await Promise.all(
      [customerId(domain), RANDOM_ID, MALFORMED_ID].map((id) => app.op<CustomerData>("Customer", { id }, token)),
    );
    for (const result of results) {
      expect(result.status).toBe(200);
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({ customer: null });
    }
    const nodes = await Promise.all(
      [customerId(domain), RANDOM_ID, MALFORMED_ID].map((id) => app.gql<{ node: unknown }>(NODE_QUERY, { variables: { id }, token })),
    );
    for (const result of nodes) {
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({ node: null });
    }
  });

  it("when a customer is in scope, then node(id) resolves it as a Customer (the null above is scope, not a broken node)", async () => {
    const id = customerId("margiestravel.example");
    const result = await app.gql<{ node: { __typename: string; id: string; companyName: string } | null }>(
      "query ($id: ID!) { node(id: $id) { __typename id ... on Customer { companyName } } }",
      { variables: { id }, token: await tokenOf("ga@tailspin.example") },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.node).toEqual({ __typename: "Customer", id, companyName: "Margie's Travel" });
  });
});

describe("customers: service health (C2)", () => {
  interface HealthData {
    customer: { id: string; serviceHealth: { service: string; status: string }[] } | null;
  }

  it("when Adatum asks for Alpine Ski House's service health, then it gets the services of its Office 365 and Azure subscriptions, all healthy", async () => {
    const id = customerId("alpineskihouse.example");
    const result = await app.op<HealthData>("ServiceHealth", { customerId: id }, await tokenOf("ga@adatum.example"));
    expect(result.errors).toBeUndefined();
    expect(result.data!.customer!.id).toBe(id);
    expect(result.data!.customer!.serviceHealth).toEqual([
      { service: "Azure Resource Manager", status: "HEALTHY" },
      { service: "Exchange Online", status: "HEALTHY" },
      { service: "Microsoft Teams", status: "HEALTHY" },
      { service: "SharePoint Online", status: "HEALTHY" },
    ]);
  });

  it("when a helpdesk agent asks for the service health of a customer with only E3, then only the Office 365 services are listed", async () => {
    const result = await app.op<HealthData>("ServiceHealth", { customerId: customerId("blueyonder.example") }, await tokenOf("ha@adatum.example"));
    expect(result.errors).toBeUndefined();
    expect(result.data!.customer!.serviceHealth.map((s) => s.service)).toEqual(["Exchange Online", "Microsoft Teams", "SharePoint Online"]);
  });

  it("when the customer has no subscription at all, then its service health is empty", async () => {
    const result = await app.op<HealthData>("ServiceHealth", { customerId: customerId("citypower.example") }, await tokenOf("ga@adatum.example"));
    expect(result.errors).toBeUndefined();
    expect(result.data!.customer!.serviceHealth).toEqual([]);
  });

  it("when the customer is another organisation's, then ServiceHealth reads null like any unknown id (T-4)", async () => {
    const result = await app.op<HealthData>("ServiceHealth", { customerId: customerId("humongous.example") }, await tokenOf("ga@adatum.example"));
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ customer: null });
  });
});
