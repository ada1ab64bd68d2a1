// D-7: a user's two roles, within the caller's organisation only (T-1).
MATCH (u:User {id: $userId})-[:MEMBER_OF]->(:Partner {id: $viewerPartnerId})
SET u.agentRole = $agentRole, u.adminRole = $adminRole
RETURN u {@user} AS user
