// @params p
// The organisation profile of partner `p` (C8): PartnerProfile (src/modules/partners/partner.type.ts),
// inside the map projection of the partner: `p {@partner-profile(p)}`.
.id, .kind, .mpnId, .countryCode, .tenantDomain, .enrollmentStatus, legalName: @p.name,
address: {line1: @p.addressLine1, city: @p.addressCity, postalCode: @p.addressPostalCode, countryCode: @p.addressCountryCode},
primaryContact: {name: @p.primaryContactName, email: @p.primaryContactEmail, phone: @p.primaryContactPhone},
supportContact: {email: @p.supportEmail, phone: @p.supportPhone, website: @p.supportWebsite}
