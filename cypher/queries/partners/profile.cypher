// The caller's own organisation profile (C8, T-1).
MATCH (p:Partner {id: $viewerPartnerId})
RETURN p {
  .id, .kind, .mpnId, .countryCode, .tenantDomain, .enrollmentStatus, legalName: p.name,
  address: {line1: p.addressLine1, city: p.addressCity, postalCode: p.addressPostalCode, countryCode: p.addressCountryCode},
  primaryContact: {name: p.primaryContactName, email: p.primaryContactEmail, phone: p.primaryContactPhone},
  supportContact: {email: p.supportEmail, phone: p.supportPhone, website: p.supportWebsite}
} AS profile
