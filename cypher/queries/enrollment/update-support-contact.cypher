// C9: the caller's own organisation only (T-1). The support contact is replaced as a whole:
// an omitted phone or website is cleared.
MATCH (p:Partner {id: $viewerPartnerId})
SET p.supportEmail = $supportContact.email,
    p.supportPhone = $supportContact.phone,
    p.supportWebsite = $supportContact.website,
    p.profileUpdatedAt = datetime({epochMillis: timestamp()})
RETURN p.id AS id
