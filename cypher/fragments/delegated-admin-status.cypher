// @params g, now
// The status of delegated admin relationship `g` as read at `now` (D-25; MODEL.md, "Lifecycle"):
// a PENDING_APPROVAL relationship whose request has expired reads EXPIRED; an ACTIVE one past its
// stored endsAt reads EXPIRED unless it auto-extends (never with GLOBAL_ADMINISTRATOR); otherwise
// the stored status. The `status` of fragments/delegated-admin.cypher, and what the list's status
// filter compares without projecting the rest (delegated-admin/list). EXPIRED is never stored:
// a relationship reading EXPIRED is stored ACTIVE or PENDING_APPROVAL, TERMINATED is stored as is.
CASE
  WHEN @g.status = 'PENDING_APPROVAL' AND any(daExpiry IN [(daRequest:RelationshipRequest)-[:REQUESTS]->(@g) | daRequest.expiresAt] WHERE daExpiry <= @now) THEN 'EXPIRED'
  WHEN @g.status = 'ACTIVE' AND @g.endsAt <= @now AND NOT @delegated-admin-extends(@g) THEN 'EXPIRED'
  ELSE @g.status
END
