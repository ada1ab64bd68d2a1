// DELEGATED_ADMIN_EXPIRING and DELEGATED_ADMIN_EXPIRED (issue 14, D-28, D-25): a relationship's
// expiry is computed when read (fragments/delegated-admin-status.cypher), so nothing is written when
// it happens; the expiry sweep (src/modules/events/expiry-sweep.ts, events/expiry-*) writes the two
// events, once each, and marks the relationship (`expiringEventAt`, `expiredEventAt`) in the same
// transaction. Only a relationship that does not auto-extend ever expires: its stored `autoExtend`
// is false (D-25: never true with GLOBAL_ADMINISTRATOR, refused when requested). The sweep seeks
// this index (status = 'ACTIVE', autoExtend = false, endsAt in a window around now), so a pass
// reads the few ACTIVE relationships without auto-extension that end near now, never the default,
// auto-extending relationships every reseller holds with each customer (~146k for the largest at
// 1M customers).
CREATE INDEX delegated_admin_expiry IF NOT EXISTS FOR (g:DelegatedAdminRelationship) ON (g.status, g.autoExtend, g.endsAt);
