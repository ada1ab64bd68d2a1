// A reseller's indirect providers (D-9); only the caller's own reseller organisation (T-3).
UNWIND $ids AS resellerId
MATCH (r:Reseller {id: resellerId})<-[e:INDIRECT_PROVIDER_OF]-(p:Provider)
WHERE r.id = $viewerPartnerId
WITH resellerId, p, e ORDER BY p.nameLower, p.id
RETURN resellerId, collect(p {.id, .kind, .name, .nameLower, .mpnId, .countryCode, .enrollmentStatus, partnerSince: e.since}) AS providers
