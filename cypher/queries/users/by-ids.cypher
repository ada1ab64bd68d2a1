// Users by id, only those of the caller's own organisation (T-1), or the caller itself.
UNWIND $ids AS id
MATCH (u:User {id: id})
WHERE u.id = $viewerUserId OR EXISTS { (u)-[:MEMBER_OF]->(:Partner {id: $viewerPartnerId}) }
RETURN u {@user} AS user
