// D-6: a new user of the caller's organisation with a temporary password (only its scrypt hash).
MATCH (p:Partner {id: $viewerPartnerId})
CREATE (u:User {
  id: $user.id, email: $user.email, displayName: $user.displayName,
  agentRole: $user.agentRole, adminRole: $user.adminRole,
  passwordHash: $passwordHash, mustChangePassword: true,
  createdAt: datetime({epochMillis: timestamp()})
})-[:MEMBER_OF]->(p)
RETURN u {@user} AS user
