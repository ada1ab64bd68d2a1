// The partner a verification token belongs to, pending or already used, write-locked first so
// that two uses of one token serialise: the second reads the first's result (token cleared).
OPTIONAL MATCH (pending:Partner {verificationTokenHash: $tokenHash})
OPTIONAL MATCH (used:Partner {usedVerificationTokenHash: $tokenHash})
WITH coalesce(pending, used) AS p
WHERE p IS NOT NULL
SET p.enrollmentUpdatedAt = datetime({epochMillis: timestamp()})
WITH p
RETURN p.id AS id, p.enrollmentStatus AS status,
       coalesce(p.verificationTokenHash = $tokenHash, false) AS pending,
       p.verificationExpiresAt AS expiresAt
