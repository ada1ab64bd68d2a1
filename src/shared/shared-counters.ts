import type { Tx } from "./neo4j/executor.js";

/**
 * The stored counts of shared customers (D-11, migrations/0007): each RESELLER_OF_RECORD edge's
 * `shared` flag, each partner's `sharedCustomerCount` and each INDIRECT_PROVIDER_OF edge's
 * `sharedCustomerCount`. Reads take them as they are (ChannelStats, sharedCustomers' totalCount),
 * so every write that creates one of those edges keeps them, in its own transaction.
 *
 * Deleting either edge (D-20, D-22) adjusts the same values, touching only what that edge counted.
 *
 * Concurrency: a count is read and written back, so the transaction first write-locks what it
 * counts on (the customers, then every partner with an edge into them; for a partnership, its two
 * organisations). Two writers meeting on a customer or a partner run one after the other, and the
 * second sees the first's committed edges. Every lock statement (counters/lock-*, and the
 * relationships module's) takes its nodes in id order (ORDER BY id before the SET), and the
 * classes in one order (customers, then partners): two writers meeting on the same customers or
 * partners (two acceptances, the two ends of a customer's relationships) wait for one another
 * instead of each holding what the other needs. A deadlock left (an edge merged before the locks
 * are taken locks its nodes then) makes Neo4j abort one transaction with a transient error, which
 * the executor's retry policy runs again (src/shared/neo4j/executor.ts). The tests' concurrent writers
 * did not go wrong without these locks either (merging an edge already locks its two nodes, and no
 * counted SET lost an update in 60 tries): they are kept as the guarantee, for the few statements
 * they cost on rare writes.
 */

/** Ids in the order every lock statement takes them (a sorted seek list, then ORDER BY id in the statement). */
function lockOrder(ids: readonly string[]): string[] {
  return [...new Set(ids)].sort();
}

/** Write-locks the customers, then every partner with an edge into them (each in id order): before their edges' counts are read. */
export async function lockCustomers(tx: Tx, customerIds: string[]): Promise<void> {
  if (customerIds.length === 0) return;
  await tx.run("counters/lock-customers", { customerIds: lockOrder(customerIds) });
  await tx.run("counters/lock-partners-of-customers", { customerIds: lockOrder(customerIds) });
}

/** After RESELLER_OF_RECORD edges into `customerIds` were merged in this transaction. */
export async function countCustomerEdges(tx: Tx, customerIds: string[]): Promise<void> {
  if (customerIds.length === 0) return;
  await lockCustomers(tx, customerIds);
  await tx.run("counters/count-new-customer-edges", { customerIds });
  await tx.run("counters/refresh-customer-flags", { customerIds });
}

/**
 * D-20: deletes `partnerId`'s RESELLER_OF_RECORD edge into `customerId` and keeps the counts, after
 * lockCustomers(tx, [customerId]). It touches that one customer: its edges (the deleted one's flag
 * taken off the partner's count, the others' flags refreshed), the partner's partnerships with the
 * customer's other partners (one less each), and those partners' counts; never a scan of the
 * partner's customers. False when there is no such edge (nothing written).
 */
export async function deleteCustomerEdge(tx: Tx, partnerId: string, customerId: string): Promise<boolean> {
  const [row] = await tx.run("counters/delete-customer-edge", { partnerId, customerId });
  if (!row) return false;
  await tx.run("counters/refresh-customer-flags", { customerIds: [customerId] });
  return true;
}

/**
 * D-22: deletes the partnership of `providerId` and `resellerId` and keeps the counts, after
 * lockPartnership: the customers the two shared are the only ones touched (their edges' flags
 * refreshed, the partners' counts moved by the flags that flipped). False when there is no such
 * partnership (nothing written).
 */
export async function deletePartnership(tx: Tx, providerId: string, resellerId: string): Promise<boolean> {
  const [row] = await tx.run<{ customerIds: string[] }>("counters/delete-partnership", { providerId, resellerId });
  if (!row) return false;
  if (row.customerIds.length > 0) await tx.run("counters/refresh-customer-flags", { customerIds: row.customerIds });
  return true;
}

/** Before merging (or deleting) the partnership of `providerId` and `resellerId`: lock both organisations, in id order, whichever side calls. */
export async function lockPartnership(tx: Tx, providerId: string, resellerId: string): Promise<void> {
  await tx.run("counters/lock-partners", { partnerIds: lockOrder([providerId, resellerId]) });
}

/** After a partnership was created in this transaction (after lockPartnership). */
export async function countNewPartnership(tx: Tx, providerId: string, resellerId: string): Promise<void> {
  const [row] = await tx.run<{ customerIds: string[] }>("counters/count-partnership", { providerId, resellerId });
  if (row && row.customerIds.length > 0) await tx.run("counters/refresh-customer-flags", { customerIds: row.customerIds });
}

/** From scratch, for partners written in bulk (the demo): their edges' flags and counts, and their partnerships' counts. */
export async function recountPartners(tx: Tx, partnerIds: string[], providerIds: string[]): Promise<void> {
  await tx.run("counters/recount-partners", { partnerIds });
  await tx.run("counters/recount-partnerships", { providerIds });
}
