// D-23, C12: the partnership invitations addressed to the caller's reseller that are PENDING and
// not past expiresAt at $now (the app's clock), newest first, keyset-paged on (createdAt, id),
// each with the provider that sent it (T-3: its public profile). Only listed properties leave the
// graph: never tokenHash (T-5). A provider caller has none (no ADDRESSED_TO edge reaches it).
MATCH (me:Reseller {id: $viewerPartnerId})
WITH me, datetime({epochMillis: $now}) AS now
CALL (me, now) {
  MATCH (r:RelationshipRequest {kind: 'PROVIDER_RESELLER'})-[:ADDRESSED_TO]->(me)
  WHERE r.status = 'PENDING' AND r.expiresAt > now
  RETURN count(r) AS totalCount
}
CALL (me, now) {
  MATCH (p:Provider)-[:SENT]->(r:RelationshipRequest {kind: 'PROVIDER_RESELLER'})-[:ADDRESSED_TO]->(me)
  WHERE r.status = 'PENDING' AND r.expiresAt > now
    AND ($afterKey IS NULL OR r.createdAt < datetime($afterKey) OR (r.createdAt = datetime($afterKey) AND r.id < $afterId))
  WITH r, p ORDER BY r.createdAt DESC, r.id DESC LIMIT $limit
  RETURN collect(r {@partnership-invitation(p)}) AS nodes
}
RETURN totalCount, nodes
