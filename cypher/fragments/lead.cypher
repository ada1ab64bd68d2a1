// A lead as every query returns it: LeadRecord (src/modules/leads/lead.repository.ts), inside the
// map projection of the lead: `l {@lead}`.
.id, .companyName, .contactEmail, .source, .status, .createdAt
