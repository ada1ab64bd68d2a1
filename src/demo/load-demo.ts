import { hashPassword, verifyPassword } from "../shared/auth/password.js";
import { newId } from "../shared/ids.js";
import type { RequestExecutor } from "../shared/neo4j/executor.js";
import { recountPartners } from "../shared/shared-counters.js";
import {
  DEMO_CUSTOMERS,
  DEMO_OFFERS,
  DEMO_PARTNERSHIPS,
  DEMO_PROVIDERS,
  DEMO_RESELLERS,
  DEMO_SERVICES,
  demoUsers,
  type DemoPartner,
} from "./demo-data.js";

export type DemoOutcome = "loaded" | "already-loaded" | "password-reset" | "skipped-not-empty";

const SINCE = "2024-03-01T09:00:00.000Z";

function partnerProps(p: DemoPartner) {
  return {
    kind: p.kind,
    name: p.name,
    nameLower: p.name.toLowerCase(),
    mpnId: p.mpnId,
    countryCode: p.country,
    tenantDomain: p.domain,
    enrollmentStatus: "ACTIVE",
    addressLine1: "1 Demo Way",
    addressCity: p.city,
    addressPostalCode: p.postalCode,
    addressCountryCode: p.country,
    primaryContactName: `${p.name} Primary Contact`,
    primaryContactEmail: `contact@${p.domain}`,
    primaryContactPhone: null,
    supportEmail: `support@${p.domain}`,
    supportPhone: null,
    supportWebsite: `https://www.${p.domain}`,
  };
}

/** Everything the load query needs, with fresh ids and one scrypt hash per user. */
export async function demoParameters(password: string) {
  const partnerIds = new Map<string, string>();
  const partners = [...DEMO_PROVIDERS, ...DEMO_RESELLERS].map((p) => {
    const id = newId("Partner");
    partnerIds.set(p.name, id);
    return { id, props: partnerProps(p), createdAt: "2024-01-15T09:00:00.000Z" };
  });
  const idOf = (name: string) => {
    const id = partnerIds.get(name);
    if (!id) throw new Error(`demo data names an unknown partner: ${name}`);
    return id;
  };
  const partnerships = Object.entries(DEMO_PARTNERSHIPS).flatMap(([reseller, providers]) =>
    providers.map((provider) => ({ providerId: idOf(provider), resellerId: idOf(reseller), since: SINCE })),
  );
  const offerIds = new Map<string, string>(DEMO_OFFERS.map((o) => [o.key, newId("Offer")]));
  const offers = DEMO_OFFERS.map((o) => ({ id: offerIds.get(o.key)!, name: o.name, productFamily: o.productFamily }));

  const providerNames = new Set(DEMO_PROVIDERS.map((p) => p.name));
  const customers: { id: string; props: Record<string, unknown>; createdAt: string }[] = [];
  const resellerOfRecord: { partnerId: string; customerId: string; since: string }[] = [];
  // D-25: each reseller's relationship comes with the default delegated admin relationship, ACTIVE
  // since the relationship began (what an accepted invitation gives; a provider's gets none).
  const delegatedAdmin: { id: string; partnerId: string; customerId: string; since: string }[] = [];
  const subscriptions: Record<string, unknown>[] = [];
  for (const c of DEMO_CUSTOMERS) {
    const id = newId("Customer");
    customers.push({
      id,
      props: { companyName: c.name, companyNameLower: c.name.toLowerCase(), domain: c.domain, countryCode: c.country },
      createdAt: "2024-02-01T09:00:00.000Z",
    });
    for (const partner of c.partners) {
      resellerOfRecord.push({ partnerId: idOf(partner), customerId: id, since: SINCE });
      if (!providerNames.has(partner)) delegatedAdmin.push({ id: newId("DelegatedAdminRelationship"), partnerId: idOf(partner), customerId: id, since: SINCE });
    }
    const provider = c.partners.find((p) => providerNames.has(p));
    const reseller = c.partners.find((p) => !providerNames.has(p));
    if (!provider) continue;
    const base = { customerId: id, providerId: idOf(provider), resellerId: reseller ? idOf(reseller) : null };
    subscriptions.push({ ...base, id: newId("Subscription"), offerId: offerIds.get("m365-e3"), quantity: 25, createdAt: "2024-03-02T09:00:00.000Z" });
    if (c.azure) {
      subscriptions.push({ ...base, id: newId("Subscription"), offerId: offerIds.get("azure-plan"), quantity: 1, createdAt: "2024-03-03T09:00:00.000Z" });
    }
  }

  const users = await Promise.all(
    demoUsers().map(async (u) => ({
      id: newId("User"),
      partnerId: u.partner ? idOf(u.partner) : null,
      operator: u.partner === null,
      createdAt: "2024-01-15T09:00:00.000Z",
      props: {
        email: u.email,
        displayName: u.displayName,
        agentRole: u.agentRole,
        adminRole: u.adminRole,
        mustChangePassword: false,
        passwordHash: await hashPassword(password),
        demo: true,
      },
    })),
  );
  const services = DEMO_SERVICES.map((s) => ({ ...s, updatedAt: SINCE }));
  return {
    demoPasswordHash: await hashPassword(password),
    partners,
    partnerships,
    customers,
    resellerOfRecord,
    delegatedAdmin,
    offers,
    subscriptions,
    users,
    services,
  };
}

/**
 * Loads DEMO.md into an empty database, never over existing data. When the demo is already
 * there and DEMO_PASSWORD differs from the one it was loaded with, the demo users get the new
 * password, so "every demo user's password is DEMO_PASSWORD" stays true.
 */
export async function loadDemo(executor: RequestExecutor, password: string): Promise<DemoOutcome> {
  const [state] = await executor.read<{ loaded: boolean; passwordHash: string | null; businessNodes: number }>("demo/state");
  if (state.loaded) {
    if (await verifyPassword(password, state.passwordHash)) return "already-loaded";
    const users = await Promise.all(demoUsers().map(async (u) => ({ email: u.email, passwordHash: await hashPassword(password) })));
    await executor.write("demo/reset-passwords", { demoPasswordHash: await hashPassword(password), users });
    return "password-reset";
  }
  if (state.businessNodes > 0) return "skipped-not-empty";
  const parameters = await demoParameters(password);
  await executor.transaction("WRITE", async (tx) => {
    await tx.run("demo/load", parameters);
    await recountPartners(
      tx,
      parameters.partners.map((p) => p.id),
      parameters.partners.filter((p) => p.props.kind === "PROVIDER").map((p) => p.id),
    );
  });
  return "loaded";
}
