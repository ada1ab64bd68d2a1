// D-23, T-4: a partnership invitation addressed to the caller's reseller, by id, write-locked first
// (lockedAt) so that its status is read after any concurrent change to it committed (D-17), with
// the provider that sent it and, beside that record, its primary contact (the D-24 mail's
// recipient, as invitations/lock-by-token and enrollment return theirs). No row: not one addressed
// to the caller (another reseller's, a customer invitation, no such id).
MATCH (me:Reseller {id: $viewerPartnerId})<-[:ADDRESSED_TO]-(r:RelationshipRequest {id: $id, kind: 'PROVIDER_RESELLER'})
SET r.lockedAt = datetime({epochMillis: $now})
WITH me, r
MATCH (p:Provider)-[:SENT]->(r)
RETURN r.status AS status, r.expiresAt <= datetime({epochMillis: $now}) AS expired,
       me {@partner} AS reseller,
       p {@partner} AS provider, p.primaryContactName AS providerContactName, p.primaryContactEmail AS providerContactEmail
