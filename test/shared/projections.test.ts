import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/shared/config.js";
import { allFragments, minifyCypher } from "../../src/shared/neo4j/queries.js";

/**
 * Issue 11, point 1: every record's projection and every key formula is written once, as a
 * fragment (cypher/fragments), and is what the TypeScript record says. Adding a read field to a
 * record means its fragment and its type; forgetting either, or projecting the record by hand in
 * a query, fails here.
 */

// ---------------------------------------------------------------------------------------------
// Reading TypeScript declarations and Cypher map projections

/**
 * The fields an interface or class of `file` declares (name -> optional), read with the TypeScript
 * compiler, so the record type itself is the list: a field added to it is seen here.
 */
function declaredFields(file: string, typeName: string): Map<string, boolean> {
  const source = ts.createSourceFile(file, readFileSync(join(PROJECT_ROOT, file), "utf8"), ts.ScriptTarget.Latest, true);
  for (const statement of source.statements) {
    if (!(ts.isInterfaceDeclaration(statement) || ts.isClassDeclaration(statement)) || statement.name?.text !== typeName) continue;
    // Inherited fields would not be seen below: a record that extends another needs this test taught.
    if (ts.isInterfaceDeclaration(statement) && statement.heritageClauses?.length) throw new Error(`${typeName} extends another type`);
    const fields = new Map<string, boolean>();
    for (const member of statement.members) {
      if (!(ts.isPropertySignature(member) || ts.isPropertyDeclaration(member)) || !ts.isIdentifier(member.name)) continue;
      if (ts.isPropertyDeclaration(member) && member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) continue;
      fields.set(member.name.text, member.questionToken !== undefined);
    }
    return fields;
  }
  throw new Error(`no interface or class ${typeName} in ${file}`);
}

/** String literals and `quoted` names blanked (same length), so that braces and commas in them do not count. */
function blankStrings(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, (s) => s[0] + " ".repeat(s.length - 2) + s[0]);
}

/** The index of the bracket closing the one at `open` (strings already blanked). */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if ("([{".includes(text[i]!)) depth++;
    else if (")]}".includes(text[i]!) && --depth === 0) return i;
  }
  throw new Error(`unbalanced brackets after: ${text.slice(open, open + 80)}`);
}

/** The entries of a map body "a, .b, c: f(x, y)" split at its own commas. */
function entries(body: string): string[] {
  const blank = blankStrings(body);
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < blank.length; i++) {
    if ("([{".includes(blank[i]!)) depth++;
    else if (")]}".includes(blank[i]!)) depth--;
    else if (blank[i] === "," && depth === 0) {
      out.push(body.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (body.trim() !== "") out.push(body.slice(start).trim());
  return out;
}

/** The key an entry of a map projection or literal gives: `.name` -> name, `name: expr` -> name; null for `@include`. */
function keyOf(entry: string): string | null {
  if (entry.startsWith("@")) return null;
  const m = /^\.([A-Za-z_]\w*)$/.exec(entry) ?? /^([A-Za-z_]\w*)\s*:/.exec(entry);
  if (!m) throw new Error(`not a map entry: ${entry}`);
  return m[1]!;
}

interface Projection {
  variable: string;
  /** The map's entries as written: `.id`, `partnerSince: e.since`, `@partner`, `@customer(c)`. */
  entries: string[];
}

/**
 * Every map projection `variable {...}` in Cypher text (comments dropped), nested ones included;
 * not the property maps of patterns (`(:Partner {id: $id})`, a label before the brace) nor
 * subquery braces (`EXISTS {`, `CALL (me) {`).
 */
function projections(text: string): Projection[] {
  const blank = blankStrings(minifyCypher(text));
  const found: Projection[] = [];
  for (const m of blank.matchAll(/(?<![\w:.$@])([A-Za-z_]\w*) ?\{/g)) {
    if (/^[A-Z]+$/.test(m[1]!)) continue; // EXISTS {, COUNT {, RETURN {: keywords, not variables
    const open = m.index! + m[0].length - 1;
    found.push({ variable: m[1]!, entries: entries(blank.slice(open + 1, closing(blank, open))) });
  }
  return found;
}

function cypherFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? cypherFiles(path) : entry.endsWith(".cypher") ? [path] : [];
  });
}

/** Every Cypher file of cypher/ (queries, fragments, migrations): project path -> text. */
const CYPHER = new Map(
  cypherFiles(join(PROJECT_ROOT, "cypher")).map((path) => [relative(PROJECT_ROOT, path), readFileSync(path, "utf8")] as const),
);
const QUERIES = [...CYPHER].filter(([path]) => path.startsWith("cypher/queries/"));

// ---------------------------------------------------------------------------------------------
// The records and their fragments

interface RecordSpec {
  fragment: string;
  type: string;
  file: string;
  /** Where the record's map is in the fragment: the whole fragment (a map body) unless said. */
  mapAfter?: string;
}

const RECORDS: RecordSpec[] = [
  { fragment: "customer", type: "CustomerRecord", file: "src/modules/customers/customer.type.ts" },
  { fragment: "subscription", type: "SubscriptionRecord", file: "src/modules/customers/customer.type.ts" },
  { fragment: "service-health", type: "ServiceHealth", file: "src/modules/customers/customer.type.ts" },
  { fragment: "customer-channel-paths", type: "ChannelPathRecord", file: "src/modules/customers/customer.type.ts", mapAfter: "collect(" },
  { fragment: "partner", type: "PartnerRecord", file: "src/modules/partners/partner.type.ts" },
  { fragment: "partner-profile", type: "PartnerProfile", file: "src/modules/partners/partner.type.ts" },
  { fragment: "user", type: "UserRecord", file: "src/modules/users/user.type.ts" },
  { fragment: "relationship-request", type: "RelationshipRequestRecord", file: "src/modules/invitations/invitation.type.ts" },
  // D-23: the receiving reseller's view of a PROVIDER_RESELLER request, a record of its own.
  { fragment: "partnership-invitation", type: "PartnershipInvitationRecord", file: "src/modules/relationships/relationship.type.ts" },
  // D-25: granular delegated admin, its state computed by the fragment at the request's time.
  { fragment: "delegated-admin", type: "DelegatedAdminRecord", file: "src/modules/delegated-admin/delegated-admin.type.ts" },
  { fragment: "offer", type: "OfferRecord", file: "src/modules/offers/offer.type.ts" },
  { fragment: "lead", type: "LeadRecord", file: "src/modules/leads/lead.repository.ts" },
  { fragment: "service-request", type: "ServiceRequestRecord", file: "src/modules/service/service.repository.ts" },
  { fragment: "audit-event", type: "AuditEventRecord", file: "src/modules/audit/audit.type.ts" },
  { fragment: "order", type: "OrderRecord", file: "src/modules/orders/order.type.ts" },
  { fragment: "channel-stats", type: "ChannelStats", file: "src/modules/stats/stats.type.ts", mapAfter: "RETURN " },
  // D-28: a channel event, as the feed, the live subscriptions and the webhooks read it.
  { fragment: "channel-event", type: "ChannelEventRecord", file: "src/modules/events/channel-event.type.ts" },
  // D-30: a webhook (never its secret) and one delivery attempt of its log.
  { fragment: "webhook", type: "WebhookRecord", file: "src/modules/webhooks/webhook.type.ts" },
  { fragment: "webhook-delivery", type: "WebhookDeliveryRecord", file: "src/modules/webhooks/webhook.type.ts" },
];

/** The keys of a record's map as its fragment writes them. */
function fragmentKeys(spec: RecordSpec): string[] {
  const fragment = allFragments().get(spec.fragment);
  if (!fragment) throw new Error(`no cypher/fragments/${spec.fragment}.cypher`);
  let body = fragment.body;
  if (spec.mapAfter) {
    const blank = blankStrings(body);
    const open = blank.indexOf("{", blank.indexOf(spec.mapAfter));
    body = body.slice(open + 1, closing(blank, open));
  }
  return entries(body).map((entry) => {
    const key = keyOf(entry);
    if (key === null) throw new Error(`${fragment.file}: a record's fragment lists its keys itself, found ${entry}`);
    return key;
  });
}

/**
 * How a fragment's keys and a record's fields differ; [] when they agree. The fragment has exactly
 * the record's required fields; an optional field (`partnerSince?`) is one a query adds where it
 * has it, never the fragment.
 */
function mismatches(keys: readonly string[], fields: ReadonlyMap<string, boolean>, spec: RecordSpec): string[] {
  const problems: string[] = [];
  for (const [field, optional] of fields) {
    if (!optional && !keys.includes(field)) problems.push(`${spec.type} has ${field}, cypher/fragments/${spec.fragment}.cypher does not`);
    if (optional && keys.includes(field)) problems.push(`${spec.type}.${field} is optional (added by the queries that have it), yet the fragment has it`);
  }
  for (const key of keys) if (!fields.has(key)) problems.push(`cypher/fragments/${spec.fragment}.cypher has ${key}, ${spec.type} does not`);
  if (new Set(keys).size !== keys.length) problems.push(`cypher/fragments/${spec.fragment}.cypher has a key twice`);
  return problems;
}

/**
 * Map projections in queries that are not records, each with why. Every other projection in a
 * query includes a fragment: a hand-written copy of a record could miss the next field added.
 */
const NOT_RECORDS: Record<string, string> = {
  "cypher/queries/auth/viewer.cypher u": "the Viewer (src/shared/auth/viewer.ts): roles, operator flag and session version, for authorization",
  "cypher/queries/auth/viewer.cypher p": "the Viewer's organisation (id, kind, enrollmentStatus), for authorization",
  "cypher/queries/users/admin-state.cypher target": "the target user's id and roles, checked again under the lock (user.repository.ts); not returned",
  "cypher/queries/webhooks/start-attempt.cypher w": "what the dispatcher needs to make an attempt (url, sealed secret: D-30, src/modules/webhooks/dispatcher.ts); never returned by the API",
};

/** Keys a query adds to a record besides the record's optional fields, each with why. */
const QUERY_EXTRAS: Record<string, string[]> = {
  // The partners and subscriptions selected along with the page (look-ahead), primed into their loaders.
  "cypher/queries/customers/list.cypher customer": ["partners", "subscriptions"],
  // The review queue's keyset is (createdAt, id): PartnerRecord & { createdAt } in enrollment.resolver.ts.
  "cypher/queries/enrollment/pending.cypher partner": ["createdAt"],
};

// ---------------------------------------------------------------------------------------------

describe("record projections (cypher/fragments) against their TypeScript records", () => {
  it.each(RECORDS)(
    "when the $fragment fragment is compared with $type, then its keys are exactly the record's fields (optional ones excepted)",
    (spec) => {
      const fields = declaredFields(spec.file, spec.type);
      expect(fields.size, spec.type).toBeGreaterThan(0);
      expect(mismatches(fragmentKeys(spec), fields, spec)).toEqual([]);
    },
  );

  it("when CustomerRecord gains a field the customer fragment lacks, or the fragment loses one, then the comparison names it", () => {
    const spec = RECORDS[0]!;
    const fields = declaredFields(spec.file, spec.type);
    const keys = fragmentKeys(spec);
    expect(mismatches(keys, new Map([...fields, ["aFieldNoRecordHas", false]]), spec)).toEqual([
      "CustomerRecord has aFieldNoRecordHas, cypher/fragments/customer.cypher does not",
    ]);
    const dropped = keys[1]!;
    expect(mismatches(keys.filter((k) => k !== dropped), fields, spec)).toEqual([`CustomerRecord has ${dropped}, cypher/fragments/customer.cypher does not`]);
  });

  it("when a query adds keys to a record's fragment, then they are the record's optional fields or listed extras of that query", () => {
    const byFragment = new Map(RECORDS.map((spec) => [spec.fragment, spec]));
    const problems: string[] = [];
    let checked = 0;
    for (const [path, text] of QUERIES) {
      for (const projection of projections(text)) {
        const include = /^@([\w-]+)/.exec(projection.entries[0] ?? "")?.[1];
        const spec = include === undefined ? undefined : byFragment.get(include);
        if (!spec) continue;
        checked++;
        const fields = declaredFields(spec.file, spec.type);
        const allowed = QUERY_EXTRAS[`${path} ${spec.fragment}`] ?? [];
        for (const entry of projection.entries.slice(1)) {
          const key = keyOf(entry);
          if (key === null) problems.push(`${path}: ${projection.variable} includes a second fragment: ${entry}`);
          else if (!(fields.get(key) === true || allowed.includes(key))) {
            problems.push(`${path}: ${projection.variable} {@${spec.fragment}, ${key}}: ${key} is not an optional field of ${spec.type}`);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
    expect(problems).toEqual([]);
  });
});

describe("each projection and key formula is written once (cypher/**)", () => {
  it("when every query is read, then each map projection includes a fragment, except the listed shapes that are not records", () => {
    const literal: string[] = [];
    const listed = new Set<string>();
    for (const [path, text] of QUERIES) {
      for (const projection of projections(text)) {
        if (projection.entries[0]?.startsWith("@")) continue;
        const key = `${path} ${projection.variable}`;
        if (key in NOT_RECORDS) listed.add(key);
        else literal.push(`${key} {${projection.entries.join(", ")}}`);
      }
    }
    expect(literal).toEqual([]);
    // A listed shape that is gone should leave the list too.
    expect([...listed].sort()).toEqual(Object.keys(NOT_RECORDS).sort());
  });

  it("when every Cypher file is read, then no file but its fragment writes a map with all of a record's keys", () => {
    const problems: string[] = [];
    for (const spec of RECORDS) {
      const keys = fragmentKeys(spec);
      for (const [path, text] of CYPHER) {
        if (path === `cypher/fragments/${spec.fragment}.cypher`) continue;
        for (const projection of projections(text)) {
          const written = new Set(projection.entries.map(keyOf));
          if (keys.every((k) => written.has(k))) problems.push(`${path}: ${projection.variable} {${projection.entries.join(", ")}} copies @${spec.fragment}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("when every Cypher file is read, then no other file repeats a fragment's text (each run of 24+ characters between its @ references)", () => {
    const others = (own: string) => [...CYPHER].filter(([path]) => path !== own).map(([path, text]) => [path, minifyCypher(text)] as const);
    const problems: string[] = [];
    let pieces = 0;
    for (const fragment of allFragments().values()) {
      for (const piece of fragment.body.split(/@[A-Za-z_]\w*(?:-\w+)*/)) {
        const text = piece.trim();
        // A lone relationship step, `)-[:HAS_SUBSCRIPTION]->(`, is the graph's shape, not a copy.
        if (text.length < 24 || /^\)?<?-\[[^\]]*\]->?\(?$/.test(text)) continue;
        pieces++;
        for (const [path, other] of others(fragment.file)) if (other.includes(text)) problems.push(`${path} repeats ${fragment.file}: ${text}`);
      }
    }
    expect(pieces).toBeGreaterThan(15);
    expect(problems).toEqual([]);
  });

  it("when every Cypher file is read, then the listKey's separator is written only by the list-key fragments (migrations 0006, 0008, 0009, 0010, 0011 included)", () => {
    const writers = [...CYPHER].filter(([, text]) => /"\\u000[01]"/.test(minifyCypher(text))).map(([path]) => path);
    expect(writers.sort()).toEqual(["cypher/fragments/list-key-range.cypher", "cypher/fragments/list-key.cypher"]);
    const keyed = [...CYPHER].filter(([, text]) => /listKey\s*(:|=)\s*@/.test(minifyCypher(text))).map(([path]) => path);
    // Every statement that sets a listKey: the binds, the import, the partnership, the demo, the backfills.
    expect(keyed.sort()).toEqual([
      "cypher/migrations/0006_customer_list_key.cypher",
      "cypher/migrations/0008_partnership_list_key.cypher",
      "cypher/migrations/0009_delegated_admin_relationships.cypher",
      "cypher/migrations/0010_order_list_key.cypher",
      "cypher/migrations/0011_delegated_admin_list_key.cypher",
      // D-28: the one statement that writes channel events and their CONCERNS edges (the feed's key).
      "cypher/queries/audit/record.cypher",
      "cypher/queries/delegated-admin/create.cypher",
      "cypher/queries/demo/load.cypher",
      "cypher/queries/invitations/authorize-provider.cypher",
      "cypher/queries/invitations/bind-customer.cypher",
      "cypher/queries/invitations/bind-provider.cypher",
      "cypher/queries/invitations/import-batch.cypher",
      "cypher/queries/orders/create.cypher",
      // D-30: the one statement that logs a webhook delivery attempt (its LOGGED edge's key).
      "cypher/queries/webhooks/start-attempt.cypher",
    ]);
  });

  it("when the TypeScript that writes Cypher is read (src, scripts, test), then no listKey formula is written there (they use cypherFragment)", () => {
    const tsFiles = (dir: string): string[] =>
      readdirSync(dir).flatMap((entry) => {
        const path = join(dir, entry);
        return statSync(path).isDirectory() ? tsFiles(path) : entry.endsWith(".ts") ? [path] : [];
      });
    const problems: string[] = [];
    let files = 0;
    for (const dir of ["src", "scripts", "test"]) {
      for (const path of tsFiles(join(PROJECT_ROOT, dir))) {
        const where = relative(PROJECT_ROOT, path);
        if (where === "test/shared/queries.test.ts" || where === "test/shared/projections.test.ts") continue; // tests of the loader itself
        files++;
        const text = readFileSync(path, "utf8");
        // The key's separator concatenated in Cypher (`x.id + "\u0000" + ...`, in either escaping).
        for (const m of text.matchAll(/.{0,30}(?:"\\{1,2}u000[01]"\s*\+|\+\s*"\\{1,2}u000[01]").{0,30}/g)) problems.push(`${where}: ${m[0].trim()}`);
      }
    }
    expect(files).toBeGreaterThan(50);
    expect(problems).toEqual([]);
  });
});
