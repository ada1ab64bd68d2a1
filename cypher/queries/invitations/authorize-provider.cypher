// D-9: the reseller (the caller's organisation) authorizes the provider. MERGE: accepting twice,
// or an existing partnership, leaves one edge with its first date. `created`: a new edge has no
// shared-customer count yet (src/shared/shared-counters.ts sets it in the same transaction).
// The provider's primary contact and the reseller's name are for the D-24 mail.
MATCH (p:Provider {id: $providerId})
MATCH (r:Reseller {id: $viewerPartnerId})
MERGE (p)-[e:INDIRECT_PROVIDER_OF]->(r)
  ON CREATE SET e.since = datetime({epochMillis: $now}),
                e.listKey = @partnership-list-key(p, r)
RETURN e.sharedCustomerCount IS NULL AS created,
       p {@partner, partnerSince: e.since} AS provider,
       p.primaryContactEmail AS providerContactEmail, r.name AS resellerName, r.mpnId AS resellerMpnId
