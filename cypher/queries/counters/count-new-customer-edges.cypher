// Partnership counts for the RESELLER_OF_RECORD edges this transaction created into the given
// customers (locked, with their partners): a new edge x -> c adds c to every partnership of x with
// another partner y of c. A new edge has no `shared` flag yet; when both x -> c and y -> c are
// new (D-16 creates the reseller's and the provider's at once) the pair is counted once.
MATCH (c:Customer) WHERE c.id IN $customerIds
MATCH (c)<-[n:RESELLER_OF_RECORD]-(x:Partner) WHERE n.shared IS NULL
MATCH (c)<-[o:RESELLER_OF_RECORD]-(y:Partner)
WHERE y <> x AND (o.shared IS NOT NULL OR elementId(y) < elementId(x))
MATCH (x)-[ip:INDIRECT_PROVIDER_OF]-(y)
WITH ip, count(*) AS added
SET ip.sharedCustomerCount = coalesce(ip.sharedCustomerCount, 0) + added
RETURN count(ip) AS partnerships
