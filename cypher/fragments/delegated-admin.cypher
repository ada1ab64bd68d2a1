// @params g, me, now
// A granular delegated admin relationship (GDAP, D-25) as every query returns it:
// DelegatedAdminRecord (src/modules/delegated-admin/delegated-admin.type.ts), inside the map
// projection of relationship `g`: `g {@delegated-admin(g, me, now)}`. `now` is the request's time
// from the app's clock (src/shared/clock.ts), `datetime({epochMillis: $now})`; `me` the caller's
// organisation. The state is computed here, at `now`, and nothing is written for it (MODEL.md,
// "Lifecycle"): the status is fragments/delegated-admin-status.cypher's (EXPIRED once a pending
// request or an ACTIVE term without auto-extension has ended); an ACTIVE one past its stored
// endsAt that auto-extends (never with GLOBAL_ADMINISTRATOR) reads its endsAt as the first
// endsAt + k x 180 days (k >= 1) after now (180 days = 15,552,000,000 ms). The customer only
// while `me` is still its reseller of record (T-2); else null.
.id, .roles, .durationDays, .autoExtend, .createdAt, .activatedAt, .terminatedAt,
status: @delegated-admin-status(@g, @now),
endsAt: CASE
  WHEN @g.status = 'ACTIVE' AND @g.endsAt <= @now AND @delegated-admin-extends(@g)
    THEN datetime({epochMillis: @g.endsAt.epochMillis + ((@now.epochMillis - @g.endsAt.epochMillis) / 15552000000 + 1) * 15552000000})
  ELSE @g.endsAt
END,
customer: head([(@g)-[:FOR_CUSTOMER]->(daCustomer:Customer) WHERE EXISTS { (@me)-[:RESELLER_OF_RECORD]->(daCustomer) } | daCustomer {@customer(daCustomer)}])
