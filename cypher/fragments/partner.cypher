// A partner as every query returns it: PartnerRecord (src/modules/partners/partner.type.ts),
// inside the map projection of the partner: `p {@partner}`. The record's optional keys are the
// query's to add where it has them: `p {@partner, partnerSince: e.since.epochMillis}`.
.id, .kind, .name, .nameLower, .mpnId, .countryCode, .enrollmentStatus
