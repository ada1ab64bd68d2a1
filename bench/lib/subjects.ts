/**
 * Who the benchmark calls the API as: global admins of organisations of different sizes, picked
 * with Cypher at the start of each run (by number of customers of record), and the ids each
 * operation needs (a customer with channel paths, the cursor of a deep page).
 */
import neo4j from "neo4j-driver";
import { issueToken } from "../../src/shared/auth/jwt.js";
import { encodeCursor } from "../../src/shared/graphql/connection.js";
import { read, type Database } from "./neo4j.js";

export type SubjectKey = "reseller-largest" | "reseller-median" | "provider-largest" | "provider-median";

export interface Subject {
  key: SubjectKey;
  partnerId: string;
  partnerName: string;
  kind: "PROVIDER" | "RESELLER";
  /** Customers of record. */
  customers: number;
  /** Partnership edges (a reseller's providers, a provider's resellers). */
  partners: number;
  userId: string;
  email: string;
  token: string;
}

interface Candidate {
  partnerId: string;
  partnerName: string;
  kind: "PROVIDER" | "RESELLER";
  customers: number;
  partners: number;
  userId: string;
  email: string;
  sessionVersion: number;
}

/**
 * Global admins (no temporary password) of ACTIVE organisations; only organisations of the
 * synthetic channel (`scale: true`) when it is there, so the demo channel beside it does not
 * count as "the median reseller".
 */
const CANDIDATES = `
CALL () {
  MATCH (s:Partner) WHERE s.scale = true
  RETURN count(s) > 0 AS scaleOnly
}
MATCH (p:Partner {enrollmentStatus: 'ACTIVE'})
WHERE NOT scaleOnly OR p.scale = true
MATCH (u:User)-[:MEMBER_OF]->(p)
WHERE u.adminRole = 'GLOBAL_ADMIN' AND coalesce(u.mustChangePassword, false) = false
WITH p, u ORDER BY u.email
WITH p, head(collect(u)) AS u
RETURN p.id AS partnerId, p.name AS partnerName, p.kind AS kind,
       COUNT { (p)-[:RESELLER_OF_RECORD]->() } AS customers,
       COUNT { (p)-[:INDIRECT_PROVIDER_OF]-() } AS partners,
       u.id AS userId, u.email AS email, coalesce(u.sessionVersion, 0) AS sessionVersion
ORDER BY customers DESC, partnerId`;

export async function pickSubjects(db: Database, jwtSecret: Uint8Array): Promise<{ subjects: Subject[]; scaleOnly: boolean }> {
  const rows = await read<Candidate>(db, CANDIDATES);
  const [{ scaleOnly } = { scaleOnly: false }] = await read<{ scaleOnly: boolean }>(
    db,
    "MATCH (s:Partner) WHERE s.scale = true RETURN count(s) > 0 AS scaleOnly",
  );
  const resellers = rows.filter((r) => r.kind === "RESELLER");
  const providers = rows.filter((r) => r.kind === "PROVIDER");
  const picks: [SubjectKey, Candidate | undefined][] = [
    ["reseller-largest", resellers[0]],
    ["reseller-median", resellers.length > 1 ? resellers[Math.floor(resellers.length / 2)] : undefined],
    ["provider-largest", providers[0]],
    ["provider-median", providers.length > 1 ? providers[Math.floor(providers.length / 2)] : undefined],
  ];
  const subjects: Subject[] = [];
  for (const [key, candidate] of picks) {
    if (!candidate) continue;
    subjects.push({
      key,
      partnerId: candidate.partnerId,
      partnerName: candidate.partnerName,
      kind: candidate.kind,
      customers: candidate.customers,
      partners: candidate.partners,
      userId: candidate.userId,
      email: candidate.email,
      // The runner gives the API process the same JWT secret, so a token is as good as signIn's.
      token: await issueToken(candidate.userId, candidate.sessionVersion, jwtSecret),
    });
  }
  return { subjects, scaleOnly };
}

/** A customer of the subject's that has the most channel paths (then subscriptions), among its first 2,000 by name. */
export async function customerWithPaths(db: Database, subject: Subject): Promise<string | null> {
  const [row] = await read<{ id: string }>(
    db,
    `MATCH (me:Partner {id: $partnerId})-[:RESELLER_OF_RECORD]->(c:Customer)
     WITH me, c ORDER BY c.companyNameLower, c.id LIMIT 2000
     WITH c,
          COUNT { MATCH (p:Provider)-[:INDIRECT_PROVIDER_OF]->(r:Reseller)-[:RESELLER_OF_RECORD]->(c) WHERE p = me OR r = me } AS paths,
          COUNT { (c)-[:HAS_SUBSCRIPTION]->() } AS subscriptions
     RETURN c.id AS id ORDER BY paths DESC, subscriptions DESC, c.companyNameLower, c.id LIMIT 1`,
    { partnerId: subject.partnerId },
  );
  return row?.id ?? null;
}

export interface DeepPage {
  /** The 1-based page reached (the wanted one, or the subject's last page). */
  page: number;
  wanted: number;
  /** Keyset cursor of the API (base64url JSON [companyNameLower, id]) after the previous page's last item; null for page 1. */
  cursor: string | null;
  /** The peer's offset cursor for the same position (graphql-relay's "arrayconnection:<offset>"). */
  peerCursor: string | null;
  /** Items before the page. */
  offset: number;
}

/** The cursor of page `wanted` (first: pageSize) of the subject's customers, from Cypher; the last page when there are fewer. */
export async function deepPage(db: Database, subject: Subject, wanted: number, pageSize: number): Promise<DeepPage> {
  const lastPage = Math.max(1, Math.ceil(subject.customers / pageSize));
  const page = Math.min(wanted, lastPage);
  const offset = (page - 1) * pageSize;
  if (page === 1) return { page, wanted, cursor: null, peerCursor: null, offset };
  const [row] = await read<{ key: string; id: string }>(
    db,
    `MATCH (:Partner {id: $partnerId})-[:RESELLER_OF_RECORD]->(c:Customer)
     WITH c ORDER BY c.companyNameLower, c.id SKIP $skip LIMIT 1
     RETURN c.companyNameLower AS key, c.id AS id`,
    { partnerId: subject.partnerId, skip: neo4j.int(offset - 1) },
  );
  if (!row) throw new Error(`no customer #${offset} for ${subject.partnerName}`);
  return {
    page,
    wanted,
    cursor: encodeCursor(row.key, row.id),
    peerCursor: Buffer.from(`arrayconnection:${offset - 1}`, "utf8").toString("base64"),
    offset,
  };
}
