// A partnership just created (its two organisations locked): the customers both have, counted on
// the edge and returned, so that their edges' `shared` flags can be refreshed.
MATCH (p:Provider {id: $providerId})-[ip:INDIRECT_PROVIDER_OF]->(r:Reseller {id: $resellerId})
CALL (p, r) {
  MATCH (r)-[:RESELLER_OF_RECORD]->(c:Customer)
  WHERE EXISTS { (p)-[:RESELLER_OF_RECORD]->(c) }
  RETURN collect(c.id) AS customerIds
}
SET ip.sharedCustomerCount = size(customerIds)
RETURN customerIds
