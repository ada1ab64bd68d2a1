// A partner's enrollment state, write-locked first so that concurrent decisions serialise.
MATCH (p:Partner {id: $partnerId})
SET p.enrollmentUpdatedAt = datetime({epochMillis: timestamp()})
WITH p
RETURN p.id AS id, p.enrollmentStatus AS status
