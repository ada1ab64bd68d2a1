// The caller, read on every request so role changes and removals apply at once.
MATCH (u:User {id: $userId})
OPTIONAL MATCH (u)-[:MEMBER_OF]->(p:Partner)
RETURN u {.id, .email, .agentRole, .adminRole, .mustChangePassword, isOperator: u:Operator,
          sessionVersion: coalesce(u.sessionVersion, 0)} AS user,
       p {.id, .kind, .enrollmentStatus} AS partner
