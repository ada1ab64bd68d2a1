// replan=skip
// After events/expiry-lock, in the same transaction: the expiry event relationship $id owes at $now
// (D-28, D-25), marked on it, or no row. Decided on the committed state under the lock, with the
// status as every read computes it (fragments/delegated-admin-status.cypher):
// - DELEGATED_ADMIN_EXPIRED once, when a stored ACTIVE relationship reads EXPIRED (past endsAt, no
//   auto-extension), marked expiredEventAt. A PENDING_APPROVAL one whose request expired also reads
//   EXPIRED but gets no event: it never gave access, and its request's expiry is not an event (D-28);
// - DELEGATED_ADMIN_EXPIRING once, when it reads ACTIVE, will not auto-extend, and ends within
//   $noticeDays, marked expiringEventAt; none for one already expired (it gets EXPIRED alone).
// Returns what the event names: its holder (the one organisation it concerns), the customer's name
// and the end.
MATCH (holder:Partner)-[:HOLDS_DELEGATED_ADMIN]->(g:DelegatedAdminRelationship {id: $id})
OPTIONAL MATCH (g)-[:FOR_CUSTOMER]->(c:Customer)
WITH holder, g, c, datetime({epochMillis: $now}) AS now
WITH holder, g, c, now, @delegated-admin-status(g, now) AS readStatus
WITH holder, g, c, now,
  CASE
    WHEN g.status = 'ACTIVE' AND readStatus = 'EXPIRED' AND g.expiredEventAt IS NULL
      THEN 'DELEGATED_ADMIN_EXPIRED'
    WHEN readStatus = 'ACTIVE' AND NOT @delegated-admin-extends(g)
      AND g.endsAt <= now + duration({days: $noticeDays}) AND g.expiringEventAt IS NULL AND g.expiredEventAt IS NULL
      THEN 'DELEGATED_ADMIN_EXPIRING'
  END AS type
WHERE type IS NOT NULL
SET g.expiredEventAt = CASE WHEN type = 'DELEGATED_ADMIN_EXPIRED' THEN now ELSE g.expiredEventAt END,
  g.expiringEventAt = CASE WHEN type = 'DELEGATED_ADMIN_EXPIRING' THEN now ELSE g.expiringEventAt END
RETURN type, holder.id AS holderId, c.companyName AS customerName, g.endsAt AS endsAt
