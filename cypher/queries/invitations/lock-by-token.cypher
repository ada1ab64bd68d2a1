// The request a link token names, write-locked first (the SET) so that concurrent attempts with
// one token run one after another and each reads the status the previous one committed (D-17).
// `expired` at the system's time ($now) or, for a link that creates or activates delegated admin,
// at the domain's ($domainNow, src/shared/clock.ts), so that a relationship whose request reads
// EXPIRED (fragments/delegated-admin.cypher) cannot be approved; the two are one time in production.
// The sender's primary contact is told of an acceptance after commit (D-24).
MATCH (r:RelationshipRequest {tokenHash: $tokenHash})
SET r.lockedAt = datetime({epochMillis: $now})
WITH r
MATCH (sender:Partner)-[:SENT]->(r)
OPTIONAL MATCH (r)-[:ADDRESSED_TO]->(reseller:Reseller)
OPTIONAL MATCH (r)-[:WITH_PROVIDER]->(provider:Provider)
OPTIONAL MATCH (r)-[:FOR_CUSTOMER]->(target:Customer)
OPTIONAL MATCH (existing:Customer {domain: r.invitedDomain})
RETURN r.id AS id, r.kind AS kind, r.status AS status,
       r.expiresAt <= datetime({epochMillis: $now}) OR r.expiresAt <= datetime({epochMillis: coalesce($domainNow, $now)}) AS expired,
       r.invitedDomain AS invitedDomain,
       sender {@partner} AS sender, sender.primaryContactEmail AS senderContactEmail,
       reseller.id AS resellerId, provider.id AS providerId, target.id AS targetCustomerId,
       existing.id AS existingCustomerId
