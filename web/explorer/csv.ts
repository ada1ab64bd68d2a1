// The current view as CSV (RFC 4180: CRLF, fields quoted when they hold a comma, a quote or a line
// break): one row per node drawn and not filtered out, with the edges that tie it to the others
// (withoutProvider: "true" for a customer in the D-27 list as far as the page has loaded it).
import type { Channel } from "./channel.js";

export const CSV_COLUMNS = ["kind", "id", "name", "countryCode", "domainOrMpnId", "productFamilies", "withoutProvider", "resellerOfRecord", "sharedWith", "partnerSince"] as const;

function field(value: string): string {
  // A leading =, +, - or @ would be a formula in a spreadsheet: prefixed with ' (OWASP's advice for CSV injection).
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The rows of the nodes in `visible`: the caller's organisation, then partners in the order drawn, then customers by name. */
export function channelCsv(channel: Channel, visible: Set<string>): string {
  const self = channel.nodes.get(channel.self.id)!;
  const nodes = [self, ...channel.partnerNodes(), ...channel.customers()].filter((node) => visible.has(node.id));
  const rows = nodes.map((node) => {
    const incoming = channel.edgesInto(node.id);
    const sharedWith = incoming.filter((edge) => edge.kind === "shared").map((edge) => edge.source).sort();
    const ofRecord = incoming.some((edge) => edge.kind === "resellerOfRecord");
    return [
      node.kind,
      node.id,
      node.label,
      node.countryCode,
      node.detail,
      node.productFamilies.join(";"),
      node.withoutProvider ? "true" : "",
      node.kind === "customer" ? String(ofRecord) : "",
      sharedWith.join(";"),
      node.partnerSince ?? "",
    ];
  });
  return [CSV_COLUMNS.join(","), ...rows.map((row) => row.map(field).join(","))].join("\r\n") + "\r\n";
}
