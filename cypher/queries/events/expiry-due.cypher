// replan=skip
// The delegated admin relationships that owe an expiry event at $now (D-28, D-25; the expiry sweep,
// src/modules/events/expiry-sweep.ts), at most $batch, soonest-ending first:
// - DELEGATED_ADMIN_EXPIRING: endsAt in ($now, $now + $noticeDays], not marked expiringEventAt;
// - DELEGATED_ADMIN_EXPIRED: endsAt in ($now - $lookbackDays, $now], not marked expiredEventAt
//   (a relationship that ended before the lookback, e.g. before events existed, gets none).
// Candidates only: events/expiry-lock then events/expiry-mark decide under the relationship's lock.
// One seek of the (status, autoExtend, endsAt) index (migrations/0014): ACTIVE relationships that
// do not auto-extend (a stored autoExtend is never true with GLOBAL_ADMINISTRATOR, D-25), ending
// in that window. $holderIds (tests on the shared database): only these holders' relationships; null: all.
// $afterMs/$afterId (keyset, null: from the start): only candidates after (endsAt, id) of the last one
// of the previous full batch, so a full batch of candidates that cannot be marked never hides the rest.
MATCH (g:DelegatedAdminRelationship)
WHERE g.status = 'ACTIVE' AND g.autoExtend = false
  AND g.endsAt > datetime({epochMillis: $now}) - duration({days: $lookbackDays})
  AND g.endsAt <= datetime({epochMillis: $now}) + duration({days: $noticeDays})
  AND CASE
    WHEN g.endsAt <= datetime({epochMillis: $now}) THEN g.expiredEventAt IS NULL
    ELSE g.expiringEventAt IS NULL AND g.expiredEventAt IS NULL
  END
  AND ($afterMs IS NULL OR g.endsAt > datetime({epochMillis: $afterMs})
    OR (g.endsAt.epochMillis = $afterMs AND g.id > $afterId))
  AND ($holderIds IS NULL OR EXISTS { (holder:Partner)-[:HOLDS_DELEGATED_ADMIN]->(g) WHERE holder.id IN $holderIds })
WITH g ORDER BY g.endsAt, g.id
LIMIT $batch
RETURN g.id AS id, g.endsAt.epochMillis AS endsAtMs
