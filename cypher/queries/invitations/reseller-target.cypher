// The reseller a provider invites, by MPN ID (D-9), and whether the two are partners already.
MATCH (me:Provider {id: $viewerPartnerId})
OPTIONAL MATCH (target:Partner {mpnId: $resellerMpnId})
RETURN target {@partner} AS target,
       target IS NOT NULL AND EXISTS { (me)-[:INDIRECT_PROVIDER_OF]->(target) } AS alreadyPartners
