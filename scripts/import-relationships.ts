/**
 * D-13: import a partner's existing customer relationships (customers already transacting with it
 * through other portals) from a CSV file, so they appear in its customer list.
 *
 *   npm run import:relationships -- --file customers.csv --partner-mpn 2000001 [--dry-run]
 *
 * The CSV (RFC 4180, UTF-8, header line required) has the columns `companyName,domain,countryCode`.
 * Every row is validated first; if any is bad, the line numbers and reasons are printed and
 * nothing is imported. Then customers are merged by domain (an existing customer is kept as it
 * is) and the partner's RESELLER_OF_RECORD edges are merged, in batches of 1,000 rows, one
 * transaction per batch. Re-running the same file changes nothing.
 *
 * Neo4j: NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE as for `npm start`; unset, the
 * local development instance (scripts/neo4j-local.ts) is used, and started if needed.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { CsvError, parse } from "csv-parse/sync";
import neo4j from "neo4j-driver";
import { openConfiguredDatabase } from "../src/app/database.js";
import { recordAudit } from "../src/shared/audit.js";
import { loadConfig } from "../src/shared/config.js";
import { GraphQLError } from "graphql";
import { newId } from "../src/shared/ids.js";
import type { Executor } from "../src/shared/neo4j/executor.js";
import { countCustomerEdges } from "../src/shared/shared-counters.js";
import { countryCode, domain, text } from "../src/shared/validation.js";
import { isMainModule } from "./main-module.js";

export const BATCH_SIZE = 1000;
export const COLUMNS = ["companyName", "domain", "countryCode"] as const;

export interface ImportOptions {
  /** Path of the CSV file. */
  file: string;
  /** MPN ID of the partner (provider or reseller) whose relationships these are. */
  partnerMpnId: string;
  /** Validate and count what would change, write nothing. */
  dryRun?: boolean;
  batchSize?: number;
}

export interface ImportRow {
  /** 1-based line of the file where the record ends (the header is line 1). */
  line: number;
  companyName: string;
  domain: string;
  countryCode: string;
}

export interface RowError {
  line: number;
  message: string;
}

export interface ImportReport {
  partner: { id: string; name: string; kind: string };
  rows: number;
  batches: number;
  customersCreated: number;
  relationshipsCreated: number;
  dryRun: boolean;
}

/** The file (or the partner) is not importable; nothing was written. */
export class ImportRejected extends Error {
  constructor(readonly errors: RowError[]) {
    super(`nothing imported: ${errors.length} problem(s):\n${errors.map((e) => `  line ${e.line}: ${e.message}`).join("\n")}`);
    this.name = "ImportRejected";
  }
}

/** Parses and validates every row; returns the rows or throws ImportRejected listing every bad line. */
export function parseRelationshipsCsv(content: string): ImportRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // Any of the three line endings ends a record (csv-parse would otherwise take the first one it
    // sees for the whole file); inside quotes they are part of the field (RFC 4180).
    records = parse(content, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      record_delimiter: ["\r\n", "\n", "\r"],
    }) as never;
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines ?? 0;
      throw new ImportRejected([{ line, message: `not valid CSV (RFC 4180): ${error.message}` }]);
    }
    throw error;
  }
  const [header, ...data] = records;
  if (!header) throw new ImportRejected([{ line: 1, message: `empty file: expected the header ${COLUMNS.join(",")}` }]);
  const names = header.record.map((name) => name.trim());
  if (names.length !== COLUMNS.length || COLUMNS.some((column, i) => names[i] !== column)) {
    throw new ImportRejected([{ line: header.info.lines, message: `the header must be exactly ${COLUMNS.join(",")}, got ${names.join(",")}` }]);
  }

  const errors: RowError[] = [];
  const rows: ImportRow[] = [];
  const lineOfDomain = new Map<string, number>();
  for (const { record, info } of data) {
    const line = info.lines;
    if (record.length !== COLUMNS.length) {
      errors.push({ line, message: `expected ${COLUMNS.length} fields (${COLUMNS.join(",")}), got ${record.length}` });
      continue;
    }
    try {
      const row: ImportRow = {
        line,
        companyName: text("companyName", record[0]),
        domain: domain("domain", record[1]),
        countryCode: countryCode("countryCode", record[2]),
      };
      const seen = lineOfDomain.get(row.domain);
      if (seen !== undefined) {
        errors.push({ line, message: `domain: ${row.domain} is already on line ${seen} (one customer per domain)` });
        continue;
      }
      lineOfDomain.set(row.domain, line);
      rows.push(row);
    } catch (error) {
      if (error instanceof GraphQLError) errors.push({ line, message: error.message });
      else throw error;
    }
  }
  if (errors.length > 0) throw new ImportRejected(errors);
  return rows;
}

/**
 * Imports (or, dry run, previews) the relationships of the CSV for the partner. Validation comes
 * first and covers the whole file, so a bad row anywhere means nothing is written.
 */
export async function importRelationships(executor: Executor, options: ImportOptions): Promise<ImportReport> {
  const rows = parseRelationshipsCsv(await readFile(options.file, "utf8"));
  const exec = executor.forRequest({ operation: options.dryRun ? "import-relationships-dry-run" : "import-relationships" });
  const [found] = await exec.read<{ partner: { id: string; kind: string; name: string; enrollmentStatus: string } }>(
    "invitations/import-partner",
    { partnerMpnId: options.partnerMpnId },
  );
  if (!found) throw new ImportRejected([{ line: 0, message: `--partner-mpn: no partner has the MPN ID ${options.partnerMpnId}` }]);
  const partner = found.partner;

  const size = options.batchSize ?? BATCH_SIZE;
  const report: ImportReport = {
    partner: { id: partner.id, name: partner.name, kind: partner.kind },
    rows: rows.length,
    batches: 0,
    customersCreated: 0,
    relationshipsCreated: 0,
    dryRun: options.dryRun === true,
  };
  for (let start = 0; start < rows.length; start += size) {
    // Ids and the time are made before the transaction, so a retried batch writes the same values.
    const batch = rows.slice(start, start + size).map((row) => ({
      id: newId("Customer"),
      // D-25: a reseller's new relationship comes with the default delegated admin relationship.
      relationshipId: newId("DelegatedAdminRelationship"),
      companyName: row.companyName,
      domain: row.domain,
      countryCode: row.countryCode,
    }));
    const now = neo4j.int(Date.now());
    const counts = options.dryRun
      ? (await exec.read<{ customersCreated: number; relationshipsCreated: number }>("invitations/import-preview", { partnerId: partner.id, rows: batch }))[0]
      : await exec.transaction("WRITE", async (tx) => {
          const [result] = await tx.run<{ customersCreated: number; relationshipsCreated: number; changedCustomerIds: string[] }>(
            "invitations/import-batch",
            { partnerId: partner.id, rows: batch, now },
          );
          await countCustomerEdges(tx, result.changedCustomerIds);
          // An audit event for a batch that changed something; a re-run that changes nothing leaves no trace.
          if (result.changedCustomerIds.length > 0) {
            await recordAudit(tx, { operation: "importRelationships", viewer: null, partnerId: partner.id, targetIds: result.changedCustomerIds });
          }
          return result;
        });
    report.batches += 1;
    report.customersCreated += counts.customersCreated;
    report.relationshipsCreated += counts.relationshipsCreated;
  }
  return report;
}

async function cli(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      file: { type: "string" },
      "partner-mpn": { type: "string" },
      "dry-run": { type: "boolean", default: false },
    },
    strict: true,
  });
  if (!values.file || !values["partner-mpn"]) {
    throw new Error("usage: npm run import:relationships -- --file <csv> --partner-mpn <MPN ID> [--dry-run]");
  }
  const config = loadConfig();
  const database = await openConfiguredDatabase(config, { queryTimeoutMs: Math.max(config.queryTimeoutMs, 60_000) });
  try {
    const report = await importRelationships(database.executor, {
      file: values.file,
      partnerMpnId: values["partner-mpn"],
      dryRun: values["dry-run"],
    });
    const verb = report.dryRun ? "would create" : "created";
    console.log(
      `${report.dryRun ? "[dry run] " : ""}${report.partner.name} (${report.partner.kind}): ${report.rows} row(s) in ${report.batches} batch(es); ` +
        `${verb} ${report.customersCreated} customer(s) and ${report.relationshipsCreated} reseller relationship(s).`,
    );
  } finally {
    await database.close();
  }
}

if (isMainModule(import.meta.url)) {
  cli(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
