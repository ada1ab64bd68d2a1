// Removes a user of the caller's organisation (T-1), with its edges.
MATCH (u:User {id: $userId})-[:MEMBER_OF]->(:Partner {id: $viewerPartnerId})
WITH u, u.id AS id
DETACH DELETE u
RETURN id
