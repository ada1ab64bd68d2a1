// D-4: the primary contact confirmed the address; review can start. The token is single use:
// its hash moves to usedVerificationTokenHash, kept only so that a second use reads CONFLICT.
MATCH (p:Partner {id: $partnerId})
WHERE p.enrollmentStatus = 'PENDING_EMAIL_VERIFICATION' AND p.verificationTokenHash = $tokenHash
SET p.enrollmentStatus = 'UNDER_REVIEW',
    p.usedVerificationTokenHash = p.verificationTokenHash,
    p.verificationTokenHash = null,
    p.verificationExpiresAt = null,
    p.emailVerifiedAt = datetime({epochMillis: timestamp()})
RETURN p {@partner} AS partner,
       p.primaryContactEmail AS contactEmail, p.primaryContactName AS contactName
