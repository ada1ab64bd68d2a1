// The operator's decision on an enrollment under review (D-4): ACTIVE or REJECTED.
MATCH (p:Partner {id: $partnerId})
WHERE p.enrollmentStatus = 'UNDER_REVIEW'
SET p.enrollmentStatus = $status,
    p.reviewedAt = datetime({epochMillis: timestamp()}),
    p.reviewedByUserId = $operatorUserId,
    p.reviewReason = $reason
RETURN p {@partner} AS partner,
       p.primaryContactEmail AS contactEmail, p.primaryContactName AS contactName
