// D-20: deletes partner x's RESELLER_OF_RECORD edge into customer c (c and every partner with an
// edge into it already locked, src/shared/shared-counters.ts) and takes it out of the counts it
// was in: every partnership of x with another partner of c loses c (one per such partnership),
// and x's sharedCustomerCount loses one when the edge was `shared`. Touches that one customer's
// edges and x's partnerships with its other partners, never x's other customers. The remaining
// edges' flags are refreshed afterwards (counters/refresh-customer-flags). No row: no such edge.
MATCH (x:Partner {id: $partnerId})-[e:RESELLER_OF_RECORD]->(c:Customer {id: $customerId})
CALL (x, c) {
  MATCH (c)<-[:RESELLER_OF_RECORD]-(y:Partner)-[ip:INDIRECT_PROVIDER_OF]-(x)
  SET ip.sharedCustomerCount = coalesce(ip.sharedCustomerCount, 1) - 1
  RETURN count(ip) AS partnerships
}
WITH x, e, partnerships, CASE WHEN e.shared THEN 1 ELSE 0 END AS wasShared
SET x.sharedCustomerCount = coalesce(x.sharedCustomerCount, 0) - wasShared
DELETE e
RETURN partnerships, wasShared = 1 AS wasShared
