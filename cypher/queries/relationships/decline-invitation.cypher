// D-23: a partnership invitation (locked and checked PENDING in this transaction) is DECLINED at
// $now. The hash stays, so its link is recognised and refused by its status (D-17).
MATCH (p:Provider)-[:SENT]->(r:RelationshipRequest {id: $id})
SET r.status = 'DECLINED', r.declinedAt = datetime({epochMillis: $now})
RETURN r {@partnership-invitation(p)} AS invitation
