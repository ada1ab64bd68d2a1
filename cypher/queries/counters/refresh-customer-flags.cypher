// After edges into the given customers (locked, with their partners) or a partnership between
// their partners changed: each edge's `shared` flag again (another reseller of record of the
// customer is partnered with the edge's owner), and each owner's sharedCustomerCount moved by the
// flags that flipped. Only changed flags are written.
MATCH (c:Customer) WHERE c.id IN $customerIds
MATCH (c)<-[e:RESELLER_OF_RECORD]-(y:Partner)
WITH y, e, EXISTS { MATCH (c)<-[:RESELLER_OF_RECORD]-(z:Partner) WHERE z <> y AND EXISTS { (z)-[:INDIRECT_PROVIDER_OF]-(y) } } AS shared
WHERE e.shared IS NULL OR e.shared <> shared
WITH y, e, shared, (CASE WHEN shared THEN 1 ELSE 0 END) - (CASE WHEN e.shared THEN 1 ELSE 0 END) AS delta
SET e.shared = shared
WITH y, sum(delta) AS change
WHERE change <> 0
SET y.sharedCustomerCount = coalesce(y.sharedCustomerCount, 0) + change
RETURN count(y) AS partners
