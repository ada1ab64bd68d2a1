import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../src/shared/ids.js";
import { startTestApp, uniqueTag, tokenGetter, type TestApp } from "../support/app.js";

interface SharedCustomers {
  totalCount: number;
  pageInfo?: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: { id: string; companyName: string; domain?: string } }[];
}

interface IndirectResellersData {
  me: {
    partner: {
      indirectResellers?: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        edges: { cursor: string; node: { id: string; name: string; countryCode: string; mpnId: string; sharedCustomers: SharedCustomers } }[];
      };
    } | null;
  };
}

interface IndirectProvidersData {
  me: {
    partner: {
      indirectProviders?: { id: string; name: string; countryCode: string; sharedCustomers: SharedCustomers }[];
    } | null;
  };
}

interface DirectoryData {
  providerDirectory: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: { id: string; name: string; countryCode: string } }[];
  };
}

interface ChannelStatsData {
  channelStats: { providers: number; resellers: number; customers: number; sharedCustomers: number; customersWithoutProvider: number };
}

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: { id: string; companyName: string; domain: string } }[];
}

let app: TestApp;

const tokenOf = tokenGetter(() => app);

// Demo ids are generated at load time; DEMO.md fixes the MPN IDs, which are unique.
const partnerIdByMpn = new Map<string, string>();
const partnerId = (mpnId: string) => {
  const id = partnerIdByMpn.get(mpnId);
  if (!id) throw new Error(`demo partner ${mpnId} is missing from the test database`);
  return id;
};
const CONTOSO = "1000001";
const FABRIKAM = "1000002";
const ADATUM = "2000001";
const LITWARE = "2000002";
const NORTHWIND = "2000003";
const TAILSPIN = "2000004";

// A provider that is not ACTIVE: the directory must not show it (D-8). Its name starts like
// Fabrikam's and its country is Fabrikam's, so the search and country filters would catch it.
const tag = uniqueTag();
const pending = {
  id: newId("Partner"),
  name: `Fabrikam Pending Review ${tag}`,
  mpnId: `9${Date.now().toString().slice(-6)}${Math.floor(Math.random() * 1000).toString().padStart(3, "0")}`,
  domain: `pending-${tag}.example`,
};

beforeAll(async () => {
  app = await startTestApp();
  const partners = await app.cypher<{ mpnId: string; id: string }>("MATCH (p:Partner) RETURN p.mpnId AS mpnId, p.id AS id");
  for (const p of partners) partnerIdByMpn.set(p.mpnId, p.id);
  await app.cypher(
    `CREATE (p:Partner:Provider {
       id: $id, kind: 'PROVIDER', name: $name, nameLower: toLower($name), mpnId: $mpnId, countryCode: 'DE',
       tenantDomain: $domain, enrollmentStatus: 'UNDER_REVIEW',
       addressLine1: '1 Test Way', addressCity: 'Berlin', addressPostalCode: '10115', addressCountryCode: 'DE',
       primaryContactName: 'Pending Contact', primaryContactEmail: 'contact@' + $domain, primaryContactPhone: null,
       supportEmail: 'support@' + $domain, supportPhone: null, supportWebsite: null,
       createdAt: datetime({epochMillis: timestamp()})
     })`,
    pending,
  );
});
afterAll(async () => {
  await app?.cypher("MATCH (p:Partner {id: $id}) DETACH DELETE p", { id: pending.id });
  await app?.close();
});

const sharedNames = (shared: SharedCustomers) => shared.edges.map((e) => e.node.companyName);

describe("indirect resellers (C16, D-9, D-11)", () => {
  it.each(["ga", "aa", "sa", "ha"])(
    "when %s@contosodist.example lists its indirect resellers, then it gets Adatum IT and Litware Cloud with the 3 customers each shares with Contoso",
    async (local) => {
      const result = await app.op<IndirectResellersData>("IndirectResellers", { first: 20 }, await tokenOf(`${local}@contosodist.example`));
      expect(result.errors).toBeUndefined();
      const connection = result.data!.me.partner!.indirectResellers!;
      expect(connection.totalCount).toBe(2);
      expect(connection.pageInfo.hasNextPage).toBe(false);
      expect(
        connection.edges.map(({ node }) => ({
          id: node.id,
          name: node.name,
          countryCode: node.countryCode,
          mpnId: node.mpnId,
          totalCount: node.sharedCustomers.totalCount,
          shared: sharedNames(node.sharedCustomers),
        })),
      ).toEqual([
        {
          id: partnerId(ADATUM),
          name: "Adatum IT",
          countryCode: "US",
          mpnId: ADATUM,
          totalCount: 3,
          shared: ["Alpine Ski House", "Blue Yonder Airlines", "Proseware"],
        },
        {
          id: partnerId(LITWARE),
          name: "Litware Cloud",
          countryCode: "US",
          mpnId: LITWARE,
          totalCount: 3,
          shared: ["Coho Winery", "Graphic Design Institute", "Proseware"],
        },
      ]);
    },
  );

  it("when Fabrikam lists its indirect resellers, then it gets Litware and Northwind with the customers each shares with Fabrikam", async () => {
    const result = await app.op<IndirectResellersData>("IndirectResellers", { first: 20 }, await tokenOf("ga@fabrikamsupply.example"));
    expect(result.errors).toBeUndefined();
    const connection = result.data!.me.partner!.indirectResellers!;
    expect(connection.totalCount).toBe(2);
    expect(connection.edges.map(({ node }) => [node.name, node.countryCode, node.sharedCustomers.totalCount, sharedNames(node.sharedCustomers)])).toEqual([
      ["Litware Cloud", "US", 2, ["Fourth Coffee", "Graphic Design Institute"]],
      ["Northwind Services", "DE", 2, ["Humongous Insurance", "Trey Research"]],
    ]);
  });

  it("when Contoso pages its indirect resellers one at a time, then the second page continues after the first", async () => {
    const token = await tokenOf("ga@contosodist.example");
    const first = await app.op<IndirectResellersData>("IndirectResellers", { first: 1 }, token);
    const page1 = first.data!.me.partner!.indirectResellers!;
    expect(page1.edges.map((e) => e.node.name)).toEqual(["Adatum IT"]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await app.op<IndirectResellersData>("IndirectResellers", { first: 1, after: page1.pageInfo.endCursor }, token);
    const page2 = second.data!.me.partner!.indirectResellers!;
    expect(page2.edges.map((e) => e.node.name)).toEqual(["Litware Cloud"]);
    expect(page2.pageInfo.hasNextPage).toBe(false);
    expect(page2.totalCount).toBe(2);
  });

  it("when a reseller runs IndirectResellers, then the `... on Provider` part is absent: its organisation is a Reseller", async () => {
    const result = await app.op<IndirectResellersData>("IndirectResellers", { first: 20 }, await tokenOf("ga@adatum.example"));
    expect(result.errors).toBeUndefined();
    expect(result.data!.me.partner).toEqual({});
  });
});

describe("indirect providers (C16, D-9, D-11)", () => {
  const providersOf = async (email: string) => {
    const result = await app.op<IndirectProvidersData>("IndirectProviders", {}, await tokenOf(email));
    expect(result.errors).toBeUndefined();
    return result.data!.me.partner!.indirectProviders!.map((p) => ({
      id: p.id,
      name: p.name,
      countryCode: p.countryCode,
      totalCount: p.sharedCustomers.totalCount,
      hasNextPage: p.sharedCustomers.pageInfo!.hasNextPage,
      shared: p.sharedCustomers.edges.map((e) => `${e.node.companyName} <${e.node.domain}>`),
    }));
  };

  it("when Litware lists its indirect providers, then it gets Contoso and Fabrikam with the customers each shares with Litware", async () => {
    expect(await providersOf("ga@litware.example")).toEqual([
      {
        id: partnerId(CONTOSO),
        name: "Contoso Distribution",
        countryCode: "US",
        totalCount: 3,
        hasNextPage: false,
        shared: ["Coho Winery <cohowinery.example>", "Graphic Design Institute <graphicdesign.example>", "Proseware <proseware.example>"],
      },
      {
        id: partnerId(FABRIKAM),
        name: "Fabrikam Supply",
        countryCode: "DE",
        totalCount: 2,
        hasNextPage: false,
        shared: ["Fourth Coffee <fourthcoffee.example>", "Graphic Design Institute <graphicdesign.example>"],
      },
    ]);
  });

  it("when the shared customers are selected with the providers, then the list brings them along, in the viewer's statement (1 query); when two aliases ask for different pages, then each still gets its own page", async () => {
    const token = await tokenOf("ga@litware.example");
    // A caller's first request teaches this process its organisation: from then on the list's read
    // is planned before execution and goes out with the viewer query.
    await app.op("IndirectProviders", {}, token);
    const folded = await app.op<{ me: { partner: { indirectProviders: unknown[] } } }>("IndirectProviders", {}, token);
    expect(folded.errors).toBeUndefined();
    expect(folded.queryCount).toBe(1);

    // Two different pages cannot come with the list: the field's own loader serves each.
    const split = await app.gql<{ me: { partner: { indirectProviders: { id: string; all: Page; firstOne: Page }[] } } }>(
      `query { me { partner { ... on Reseller { indirectProviders {
         id
         all: sharedCustomers(first: 20) { totalCount pageInfo { hasNextPage endCursor } edges { node { id companyName domain } } }
         firstOne: sharedCustomers(first: 1) { totalCount pageInfo { hasNextPage endCursor } edges { node { id companyName domain } } }
       } } } } }`,
      { token },
    );
    expect(split.errors).toBeUndefined();
    expect(split.queryCount).toBeGreaterThan(2);
    const providers = (folded.data!.me.partner.indirectProviders as { id: string; sharedCustomers: Page }[]).map((p) => [p.id, p.sharedCustomers]);
    expect(split.data!.me.partner.indirectProviders.map((p) => [p.id, p.all])).toEqual(providers);
    for (const p of split.data!.me.partner.indirectProviders) {
      expect(p.firstOne.edges).toEqual(p.all.edges.slice(0, 1));
      expect(p.firstOne.pageInfo.hasNextPage).toBe(p.all.totalCount > 1);
    }

    // The second page, asked for with the list (after: the first page's end), continues it.
    const contoso = split.data!.me.partner.indirectProviders.find((p) => p.id === partnerId(CONTOSO))!;
    const next = await app.gql<{ me: { partner: { indirectProviders: { id: string; sharedCustomers: Page }[] } } }>(
      `query ($after: String) { me { partner { ... on Reseller { indirectProviders {
         id sharedCustomers(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id companyName domain } } }
       } } } } }`,
      { token, variables: { after: contoso.firstOne.pageInfo.endCursor } },
    );
    expect(next.errors).toBeUndefined();
    expect(next.queryCount).toBe(1);
    expect(next.data!.me.partner.indirectProviders.find((p) => p.id === contoso.id)!.sharedCustomers.edges).toEqual(contoso.all.edges.slice(1, 3));
  });

  it("when Tailspin, which has no provider, lists its indirect providers, then the list is empty", async () => {
    expect(await providersOf("ga@tailspin.example")).toEqual([]);
  });

  it("when Northwind lists its indirect providers, then it gets Fabrikam with Humongous Insurance and Trey Research", async () => {
    const providers = await providersOf("ha@northwind.example");
    expect(providers.map((p) => [p.name, p.totalCount, p.shared])).toEqual([
      ["Fabrikam Supply", 2, ["Humongous Insurance <humongous.example>", "Trey Research <treyresearch.example>"]],
    ]);
  });

  it("when a provider runs IndirectProviders, then the `... on Reseller` part is absent", async () => {
    const result = await app.op<IndirectProvidersData>("IndirectProviders", {}, await tokenOf("ga@fabrikamsupply.example"));
    expect(result.errors).toBeUndefined();
    expect(result.data!.me.partner).toEqual({});
  });
});

describe("provider directory (D-8, T-3)", () => {
  // Other test files may add ACTIVE providers of their own while this runs, so the checks are
  // "these are in, those are out", not exact lists.
  const directory = async (variables: Record<string, unknown>, email = "ga@adatum.example") => {
    const result = await app.op<DirectoryData>("ProviderDirectory", { first: 100, ...variables }, await tokenOf(email));
    expect(result.errors).toBeUndefined();
    return result.data!.providerDirectory;
  };

  it("when a reseller lists the directory, then the ACTIVE demo providers are in and a provider under review is not", async () => {
    const list = await directory({});
    const listed = list.edges.map((e) => e.node);
    expect(listed).toEqual(
      expect.arrayContaining([
        { id: partnerId(CONTOSO), name: "Contoso Distribution", countryCode: "US" },
        { id: partnerId(FABRIKAM), name: "Fabrikam Supply", countryCode: "DE" },
      ]),
    );
    expect(listed.map((p) => p.id)).not.toContain(pending.id);
    // Resellers are not providers, whatever their status.
    expect(listed.map((p) => p.id)).not.toContain(partnerId(ADATUM));
    expect(list.totalCount).toBe(listed.length);
  });

  it("when the directory is filtered by countryCode DE, then Fabrikam is the demo provider listed and the one under review is not", async () => {
    const list = await directory({ countryCode: "DE" });
    const listed = list.edges.map((e) => e.node);
    expect(listed.every((p) => p.countryCode === "DE")).toBe(true);
    expect(listed.map((p) => p.name)).toContain("Fabrikam Supply");
    expect(listed.map((p) => p.name)).not.toContain("Contoso Distribution");
    expect(listed.map((p) => p.id)).not.toContain(pending.id);
  });

  it("when the directory is searched for \"fab\" (or \"FAB\"), then Fabrikam is found and the pending Fabrikam-named provider is not", async () => {
    for (const search of ["fab", "FAB"]) {
      const listed = (await directory({ search })).edges.map((e) => e.node);
      expect(listed.map((p) => p.name)).toContain("Fabrikam Supply");
      expect(listed.every((p) => p.name.toLowerCase().includes("fab"))).toBe(true);
      expect(listed.map((p) => p.id)).not.toContain(pending.id);
    }
  });

  it("when a bad countryCode is given, then the request fails with BAD_USER_INPUT naming countryCode", async () => {
    const result = await app.op<DirectoryData>("ProviderDirectory", { countryCode: "ZZ" }, await tokenOf("ga@adatum.example"));
    expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(result.errors?.[0]?.message).toContain("countryCode");
  });

  it.each(["none@adatum.example", "uma@contosodist.example", "ha@tailspin.example", "operator@platform.example"])(
    "when %s (any signed-in user) lists the directory, then it is allowed",
    async (email) => {
      const list = await directory({ search: "contoso" }, email);
      expect(list.edges.map((e) => e.node.name)).toContain("Contoso Distribution");
    },
  );

  it("when nobody is signed in, then the directory is refused with UNAUTHENTICATED", async () => {
    const result = await app.op<DirectoryData>("ProviderDirectory", { first: 5 }, null);
    expect(result.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(result.data?.providerDirectory ?? null).toBeNull();
  });
});

describe("channel stats (C16)", () => {
  // Values per operations.graphql's ChannelStats comment, counted from DEMO.md:
  // - providers: a reseller's indirect providers (1 for a provider); resellers: a provider's
  //   indirect resellers (1 for a reseller);
  // - sharedCustomers: customers that a partnered organisation is also reseller of record for;
  // - customersWithoutProvider: customers no provider can order for (D-12): 0 for a provider (it
  //   is of record itself), City Power for Adatum, Lucerne for Northwind, Margie's for Tailspin.
  it.each([
    ["ga@contosodist.example", { providers: 1, resellers: 2, customers: 6, sharedCustomers: 5, customersWithoutProvider: 0 }],
    ["ga@fabrikamsupply.example", { providers: 1, resellers: 2, customers: 4, sharedCustomers: 4, customersWithoutProvider: 0 }],
    ["ga@adatum.example", { providers: 1, resellers: 1, customers: 4, sharedCustomers: 3, customersWithoutProvider: 1 }],
    ["ga@litware.example", { providers: 2, resellers: 1, customers: 4, sharedCustomers: 4, customersWithoutProvider: 0 }],
    ["ga@northwind.example", { providers: 1, resellers: 1, customers: 3, sharedCustomers: 2, customersWithoutProvider: 1 }],
    ["ga@tailspin.example", { providers: 0, resellers: 1, customers: 1, sharedCustomers: 0, customersWithoutProvider: 1 }],
  ])("when %s asks for its channel stats, then the counts are those of DEMO.md: %j", async (email, expected) => {
    const result = await app.op<ChannelStatsData>("ChannelStats", {}, await tokenOf(email));
    expect(result.errors).toBeUndefined();
    expect(result.data!.channelStats).toEqual(expected);
  });
});

describe("node(id) on partners (T-3, T-4)", () => {
  const nodeAs = async (email: string, id: string) => {
    const result = await app.op<{ node: { id: string } | null }>("NodeById", { id }, await tokenOf(email));
    expect(result.errors).toBeUndefined();
    return result.data!.node;
  };

  it("when Adatum asks for its own organisation, then node resolves", async () => {
    expect(await nodeAs("ga@adatum.example", partnerId(ADATUM))).toEqual({ id: partnerId(ADATUM) });
  });

  it("when Adatum asks for its indirect provider Contoso, then node resolves", async () => {
    expect(await nodeAs("ga@adatum.example", partnerId(CONTOSO))).toEqual({ id: partnerId(CONTOSO) });
  });

  it("when Adatum asks for Fabrikam, an ACTIVE provider it is not partnered with, then node resolves (the directory is public, D-8)", async () => {
    expect(await nodeAs("ga@adatum.example", partnerId(FABRIKAM))).toEqual({ id: partnerId(FABRIKAM) });
  });

  it("when Contoso asks for its indirect reseller Litware, then node resolves", async () => {
    expect(await nodeAs("ga@contosodist.example", partnerId(LITWARE))).toEqual({ id: partnerId(LITWARE) });
  });

  it.each([
    ["Northwind", NORTHWIND],
    ["Litware", LITWARE],
    ["Tailspin", TAILSPIN],
  ])("when Adatum asks for %s, a reseller it has no partnership with, then node is null as for an unknown id", async (_name, mpnId) => {
    expect(await nodeAs("ga@adatum.example", partnerId(mpnId))).toBeNull();
    expect(await nodeAs("ga@adatum.example", newId("Partner"))).toBeNull();
  });

  it("when Adatum asks for a provider that is not ACTIVE, then node is null", async () => {
    expect(await nodeAs("ga@adatum.example", pending.id)).toBeNull();
  });
});

describe("partnership lists on another organisation (T-3)", () => {
  interface NestedData {
    me: { partner: { indirectProviders: { name: string; indirectResellers: { totalCount: number; edges: unknown[] } }[] } };
  }

  it("when Litware reaches its providers' indirectResellers, then each is empty: a reseller does not see its provider's other resellers", async () => {
    const result = await app.gql<NestedData>(
      `query {
        me { partner { ... on Reseller { indirectProviders { name ... on Provider { indirectResellers(first: 20) { totalCount edges { node { id name } } } } } } } }
      }`,
      { token: await tokenOf("ga@litware.example") },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.me.partner.indirectProviders.map((p) => [p.name, p.indirectResellers.totalCount, p.indirectResellers.edges])).toEqual([
      ["Contoso Distribution", 0, []],
      ["Fabrikam Supply", 0, []],
    ]);
  });

  it("when Adatum reaches Fabrikam through node(id), then Fabrikam's indirect resellers and shared customers are empty", async () => {
    const result = await app.gql<{ node: { name: string; indirectResellers: { totalCount: number }; sharedCustomers: { totalCount: number } } }>(
      `query ($id: ID!) {
        node(id: $id) { ... on Provider { name indirectResellers { totalCount } sharedCustomers { totalCount } } }
      }`,
      { variables: { id: partnerId(FABRIKAM) }, token: await tokenOf("ga@adatum.example") },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.node).toEqual({ name: "Fabrikam Supply", indirectResellers: { totalCount: 0 }, sharedCustomers: { totalCount: 0 } });
  });
});
