// One audit event per successful mutation, in the mutation's own transaction (never secrets),
// and the channel events of the change (D-28), in the same statement, so an event exists exactly
// when its change committed. $events: [{id, type, subjectId, summary, partnerIds, customerId}]
// (src/shared/events.ts): an event concerns the organisations `partnerIds` and every partner of
// record of the customer `customerId` (or none) as this transaction leaves them. Each gets a CONCERNS edge
// with its feed's listKey. New events carry the label UnsequencedEvent until the sequencer
// gives them `seq` (migrations/0012).
CREATE (e:AuditEvent {
  id: $id, at: datetime({epochMillis: timestamp()}), operation: $operation,
  actorUserId: $actorUserId, actorEmail: $actorEmail, partnerId: $partnerId, targetIds: $targetIds
})
WITH e
OPTIONAL MATCH (p:Partner {id: $partnerId})
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | CREATE (p)-[:HAS_AUDIT_EVENT]->(e))
WITH e
CALL (e) {
  UNWIND $events AS draft
  CREATE (ev:ChannelEvent:UnsequencedEvent {
    id: draft.id, type: draft.type, at: e.at, subjectId: draft.subjectId, summary: draft.summary, auditEventId: e.id
  })
  WITH ev, draft
  CALL (ev, draft) {
    OPTIONAL MATCH (:Customer {id: draft.customerId})<-[:RESELLER_OF_RECORD]-(r:Partner)
    WITH ev, draft, collect(r.id) AS ofRecord
    UNWIND ofRecord + draft.partnerIds AS partnerId
    WITH DISTINCT ev, partnerId
    MATCH (p:Partner {id: partnerId})
    CREATE (ev)-[:CONCERNS {listKey: @event-list-key(p, ev)}]->(p)
    RETURN count(*) AS concerned
  }
  RETURN count(*) AS events
}
RETURN e.id AS id
