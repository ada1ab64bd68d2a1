/**
 * The demo channel of shared/contract/DEMO.md, as data. Names, emails, MPN IDs and edges are
 * those of DEMO.md; ids are generated at load time.
 */
export interface DemoPartner {
  kind: "PROVIDER" | "RESELLER";
  name: string;
  country: string;
  mpnId: string;
  domain: string;
  city: string;
  postalCode: string;
}

export const DEMO_PROVIDERS: DemoPartner[] = [
  { kind: "PROVIDER", name: "Contoso Distribution", country: "US", mpnId: "1000001", domain: "contosodist.example", city: "Seattle", postalCode: "98101" },
  { kind: "PROVIDER", name: "Fabrikam Supply", country: "DE", mpnId: "1000002", domain: "fabrikamsupply.example", city: "Berlin", postalCode: "10115" },
];

export const DEMO_RESELLERS: DemoPartner[] = [
  { kind: "RESELLER", name: "Adatum IT", country: "US", mpnId: "2000001", domain: "adatum.example", city: "Redmond", postalCode: "98052" },
  { kind: "RESELLER", name: "Litware Cloud", country: "US", mpnId: "2000002", domain: "litware.example", city: "Portland", postalCode: "97201" },
  { kind: "RESELLER", name: "Northwind Services", country: "DE", mpnId: "2000003", domain: "northwind.example", city: "Munich", postalCode: "80331" },
  { kind: "RESELLER", name: "Tailspin Solutions", country: "GB", mpnId: "2000004", domain: "tailspin.example", city: "London", postalCode: "EC1A 1BB" },
];

/** Reseller name -> its indirect providers (INDIRECT_PROVIDER_OF). */
export const DEMO_PARTNERSHIPS: Record<string, string[]> = {
  "Adatum IT": ["Contoso Distribution"],
  "Litware Cloud": ["Contoso Distribution", "Fabrikam Supply"],
  "Northwind Services": ["Fabrikam Supply"],
  "Tailspin Solutions": [],
};

export interface DemoCustomer {
  name: string;
  domain: string;
  country: string;
  /** RESELLER_OF_RECORD from, in DEMO.md's order. */
  partners: string[];
  azure: boolean;
}

export const DEMO_CUSTOMERS: DemoCustomer[] = [
  { name: "Alpine Ski House", domain: "alpineskihouse.example", country: "US", partners: ["Adatum IT", "Contoso Distribution"], azure: true },
  { name: "Blue Yonder Airlines", domain: "blueyonder.example", country: "US", partners: ["Adatum IT", "Contoso Distribution"], azure: false },
  { name: "City Power & Light", domain: "citypower.example", country: "US", partners: ["Adatum IT"], azure: false },
  { name: "Coho Winery", domain: "cohowinery.example", country: "US", partners: ["Litware Cloud", "Contoso Distribution"], azure: true },
  { name: "Fourth Coffee", domain: "fourthcoffee.example", country: "US", partners: ["Litware Cloud", "Fabrikam Supply"], azure: true },
  {
    name: "Graphic Design Institute",
    domain: "graphicdesign.example",
    country: "US",
    partners: ["Litware Cloud", "Contoso Distribution", "Fabrikam Supply"],
    azure: false,
  },
  { name: "Humongous Insurance", domain: "humongous.example", country: "DE", partners: ["Northwind Services", "Fabrikam Supply"], azure: true },
  { name: "Lucerne Publishing", domain: "lucerne.example", country: "DE", partners: ["Northwind Services"], azure: false },
  { name: "Margie's Travel", domain: "margiestravel.example", country: "GB", partners: ["Tailspin Solutions"], azure: false },
  { name: "Proseware", domain: "proseware.example", country: "US", partners: ["Adatum IT", "Litware Cloud", "Contoso Distribution"], azure: true },
  { name: "Trey Research", domain: "treyresearch.example", country: "DE", partners: ["Northwind Services", "Fabrikam Supply"], azure: false },
  { name: "Wingtip Toys", domain: "wingtiptoys.example", country: "US", partners: ["Contoso Distribution"], azure: true },
];

export const DEMO_OFFERS = [
  { key: "m365-e3", name: "Microsoft 365 E3", productFamily: "OFFICE_365" },
  { key: "m365-basic", name: "Microsoft 365 Business Basic", productFamily: "OFFICE_365" },
  { key: "azure-plan", name: "Azure plan", productFamily: "AZURE" },
  { key: "d365-sales", name: "Dynamics 365 Sales Enterprise", productFamily: "DYNAMICS_365" },
] as const;

export const DEMO_SERVICES = [
  { service: "Exchange Online", productFamily: "OFFICE_365" },
  { service: "Microsoft Teams", productFamily: "OFFICE_365" },
  { service: "SharePoint Online", productFamily: "OFFICE_365" },
  { service: "Azure Resource Manager", productFamily: "AZURE" },
  { service: "Dynamics 365 Sales", productFamily: "DYNAMICS_365" },
] as const;

export interface DemoUser {
  email: string;
  displayName: string;
  agentRole: string;
  adminRole: string;
  partner: string | null;
}

const FULL_ROLE_SET = [
  { local: "ga", agentRole: "ADMIN_AGENT", adminRole: "GLOBAL_ADMIN", title: "Global Admin" },
  { local: "aa", agentRole: "ADMIN_AGENT", adminRole: "NONE", title: "Admin Agent" },
  { local: "sa", agentRole: "SALES_AGENT", adminRole: "NONE", title: "Sales Agent" },
  { local: "ha", agentRole: "HELPDESK_AGENT", adminRole: "NONE", title: "Helpdesk Agent" },
  { local: "uma", agentRole: "NONE", adminRole: "USER_MANAGEMENT_ADMIN", title: "User Management Admin" },
  { local: "none", agentRole: "NONE", adminRole: "NONE", title: "No Role" },
];
const SMALL_ROLE_SET = FULL_ROLE_SET.filter((r) => r.local === "ga" || r.local === "ha");

export function demoUsers(): DemoUser[] {
  const users: DemoUser[] = [];
  for (const partner of [...DEMO_PROVIDERS, ...DEMO_RESELLERS]) {
    const full = partner.name === "Contoso Distribution" || partner.name === "Adatum IT";
    for (const role of full ? FULL_ROLE_SET : SMALL_ROLE_SET) {
      users.push({
        email: `${role.local}@${partner.domain}`,
        displayName: `${partner.name} ${role.title}`,
        agentRole: role.agentRole,
        adminRole: role.adminRole,
        partner: partner.name,
      });
    }
  }
  users.push({ email: "operator@platform.example", displayName: "Platform Operator", agentRole: "NONE", adminRole: "NONE", partner: null });
  return users;
}
