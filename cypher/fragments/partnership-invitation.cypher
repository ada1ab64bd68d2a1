// @params p
// A partnership invitation as the reseller it is addressed to reads it (D-23):
// PartnershipInvitationRecord (src/modules/relationships/relationship.type.ts), key for key, inside
// the map projection of the PROVIDER_RESELLER request, with `p` the provider that SENT it (its
// public profile, T-3): `r {@partnership-invitation(p)}`. Not the sender's view
// (fragments/relationship-request.cypher: kind, invitedEmail); never tokenHash (T-5).
.id, .status, .createdAt, .expiresAt, provider: @p {@partner}
