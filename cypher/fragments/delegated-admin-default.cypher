// @params activatedAt
// D-25: the properties of the default delegated admin relationship, ACTIVE from `activatedAt`:
// USER_ADMINISTRATOR, LICENSE_ADMINISTRATOR, HELPDESK_ADMINISTRATOR, SERVICE_SUPPORT_ADMINISTRATOR
// (in DelegatedAdminRole's order), 730 days, auto-extend on. What a reseller gets when a customer
// accepts its invitation (D-14, D-16) or its import (D-13), what a legacy `delegatedAdmin` grant
// becomes (migrations/0009), and what the demo and seed:scale write: inside the property map of
// the CREATE, after the id: `(g:DelegatedAdminRelationship {id: $id, @delegated-admin-default(t)})`.
// Cypher outside cypher/ (seed:scale) takes it from cypherFragment("delegated-admin-default", "t").
status: 'ACTIVE',
roles: ['USER_ADMINISTRATOR', 'LICENSE_ADMINISTRATOR', 'HELPDESK_ADMINISTRATOR', 'SERVICE_SUPPORT_ADMINISTRATOR'],
durationDays: 730, autoExtend: true,
createdAt: @activatedAt, activatedAt: @activatedAt, endsAt: @activatedAt + duration({days: 730})
