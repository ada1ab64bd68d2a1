// The shared-customer count of every partnership of the given providers, from scratch
// (migrations/0007 does the same for every partnership). Walks the reseller's customers, each
// checked for the provider (a customer has few resellers of record, so the check is cheap).
UNWIND $providerIds AS providerId
MATCH (p:Provider {id: providerId})-[ip:INDIRECT_PROVIDER_OF]->(r:Reseller)
SET ip.sharedCustomerCount = COUNT { MATCH (r)-[:RESELLER_OF_RECORD]->(c:Customer) WHERE EXISTS { (p)-[:RESELLER_OF_RECORD]->(c) } }
RETURN count(ip) AS partnerships
