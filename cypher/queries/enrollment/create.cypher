// A new enrollment (D-1..D-5): the partner, PENDING_EMAIL_VERIFICATION with the hash of its
// primary contact's verification token (T-5), and its global admin (ADMIN_AGENT + GLOBAL_ADMIN, D-5).
CREATE (p:Partner {
  id: $partner.id, kind: $partner.kind, name: $partner.name, nameLower: toLower($partner.name),
  mpnId: $partner.mpnId, countryCode: $partner.countryCode, tenantDomain: $partner.tenantDomain,
  enrollmentStatus: 'PENDING_EMAIL_VERIFICATION',
  addressLine1: $partner.addressLine1, addressCity: $partner.addressCity,
  addressPostalCode: $partner.addressPostalCode, addressCountryCode: $partner.addressCountryCode,
  primaryContactName: $partner.primaryContactName, primaryContactEmail: $partner.primaryContactEmail,
  primaryContactPhone: $partner.primaryContactPhone,
  supportEmail: $partner.supportEmail, supportPhone: $partner.supportPhone, supportWebsite: $partner.supportWebsite,
  verificationTokenHash: $verificationTokenHash,
  verificationExpiresAt: datetime({epochMillis: $verificationExpiresAtMs}),
  createdAt: datetime({epochMillis: timestamp()})
})
FOREACH (_ IN CASE WHEN $partner.kind = 'PROVIDER' THEN [1] ELSE [] END | SET p:Provider)
FOREACH (_ IN CASE WHEN $partner.kind = 'RESELLER' THEN [1] ELSE [] END | SET p:Reseller)
CREATE (u:User {
  id: $admin.id, email: $admin.email, displayName: $admin.displayName,
  agentRole: 'ADMIN_AGENT', adminRole: 'GLOBAL_ADMIN',
  passwordHash: $admin.passwordHash, mustChangePassword: false,
  createdAt: datetime({epochMillis: timestamp()})
})-[:MEMBER_OF]->(p)
RETURN p {@partner} AS partner,
       u {@user} AS globalAdmin
