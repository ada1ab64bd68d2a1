// D-20: deletes partner x's RESELLER_OF_RECORD edge into customer c (c and every partner with an
// edge into it already locked, src/shared/shared-counters.ts) and takes it out of the counts it
// was in: every partnership of x with another partner of c loses c (one per such partnership),
// and x's sharedCustomerCount loses one when the edge was `shared`. Touches that one customer's
// edges and x's partnerships with its other partners, never x's other customers. The remaining
// edges' flags are refreshed afterwards (counters/refresh-customer-flags). No row: no such edge.
// The walk starts at the customer (the hint): matched as one pattern without it, the planner once
// expanded the partner's edges (146k for the largest reseller at 1M) to find this one.
MATCH (c:Customer {id: $customerId})<-[e:RESELLER_OF_RECORD]-(x:Partner {id: $partnerId})
USING INDEX c:Customer(id)
CALL (x, c) {
  // The customer's other partners first (collect: the planner may not start from x's partnerships,
  // a provider's thousands of resellers), then each one's partnership with x, if any.
  MATCH (c)<-[:RESELLER_OF_RECORD]-(y:Partner)
  WHERE y <> x
  WITH x, collect(y) AS others
  UNWIND others AS y
  MATCH (x)-[ip:INDIRECT_PROVIDER_OF]-(y)
  SET ip.sharedCustomerCount = coalesce(ip.sharedCustomerCount, 1) - 1
  RETURN count(ip) AS partnerships
}
WITH x, e, partnerships, CASE WHEN e.shared THEN 1 ELSE 0 END AS wasShared
SET x.sharedCustomerCount = coalesce(x.sharedCustomerCount, 0) - wasShared
DELETE e
RETURN partnerships, wasShared = 1 AS wasShared
