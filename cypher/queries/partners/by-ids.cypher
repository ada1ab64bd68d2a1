// Partners by id that the caller may see (T-3): its own organisation, organisations it has a
// partnership edge with, and ACTIVE providers (the directory, D-8).
UNWIND $ids AS id
MATCH (p:Partner {id: id})
OPTIONAL MATCH (p)-[edge:INDIRECT_PROVIDER_OF]-(me:Partner {id: $viewerPartnerId})
WITH p, edge
WHERE p.id = $viewerPartnerId OR edge IS NOT NULL OR (p:Provider AND p.enrollmentStatus = 'ACTIVE')
RETURN p {@partner, partnerSince: edge.since.epochMillis} AS partner
