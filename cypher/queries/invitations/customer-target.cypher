// Before inviting a customer by address (D-14, D-16): the named provider when it is one of the
// caller's indirect providers ($providerId null: none asked), and whether the customer of the
// invited domain (D-18) is already the caller's (and, for D-16, also that provider's).
// Nothing is said about a customer that is not the caller's (T-4).
MATCH (me:Partner {id: $viewerPartnerId})
OPTIONAL MATCH (provider:Provider {id: $providerId})-[:INDIRECT_PROVIDER_OF]->(me)
OPTIONAL MATCH (me)-[:RESELLER_OF_RECORD]->(mine:Customer {domain: $domain})
RETURN provider {@partner} AS provider,
       mine IS NOT NULL AS alreadyMine,
       mine IS NOT NULL AND provider IS NOT NULL AND EXISTS { (provider)-[:RESELLER_OF_RECORD]->(mine) } AS alreadyProviders
