// D-22: deletes the partnership of provider p and reseller r (both locked,
// src/shared/shared-counters.ts) and returns the customers the two shared, whose edges' `shared`
// flags are refreshed afterwards (counters/refresh-customer-flags, which moves the partners'
// counts). Those customers are found as fragments/shared-customer-page.cypher finds them: walking
// the side with fewer customers (fragments/smaller-side.cypher: degrees from the count store), only
// its edges flagged `shared`, each checked for the other side. No row: no such partnership.
MATCH (p:Provider {id: $providerId})-[ip:INDIRECT_PROVIDER_OF]->(r:Reseller {id: $resellerId})
@smaller-side(p, r)
CALL (small, large) {
  MATCH (small)-[e:RESELLER_OF_RECORD]->(c:Customer)
  WHERE e.shared AND EXISTS { (large)-[:RESELLER_OF_RECORD]->(c) }
  RETURN collect(c.id) AS customerIds
}
DELETE ip
RETURN customerIds
