// Read after lock-org: the caller's current roles, the target user if it is in the caller's
// organisation (T-1, T-4: another organisation's user reads as missing), and the number of
// global admins of the organisation.
MATCH (p:Partner {id: $viewerPartnerId})
OPTIONAL MATCH (viewer:User {id: $viewerUserId})-[:MEMBER_OF]->(p)
OPTIONAL MATCH (target:User {id: $targetUserId})-[:MEMBER_OF]->(p)
RETURN viewer.agentRole AS viewerAgentRole,
       viewer.adminRole AS viewerAdminRole,
       target {.id, .agentRole, .adminRole} AS target,
       COUNT { (p)<-[:MEMBER_OF]-(ga:User) WHERE ga.adminRole = $globalAdminRole } AS globalAdmins,
       EXISTS { MATCH (:User {email: $email}) } AS emailTaken
