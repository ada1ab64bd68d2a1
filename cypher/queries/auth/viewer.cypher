// The caller, read on every request so role changes and removals apply at once. It also returns
// the caller's user and organisation records, which prime the loaders: `me` costs no query more.
MATCH (u:User {id: $userId})
OPTIONAL MATCH (u)-[:MEMBER_OF]->(p:Partner)
RETURN u {.id, .email, .agentRole, .adminRole, .mustChangePassword, isOperator: u:Operator,
          sessionVersion: coalesce(u.sessionVersion, 0)} AS user,
       p {.id, .kind, .enrollmentStatus} AS partner,
       u {.id, .email, .displayName, .agentRole, .adminRole, .mustChangePassword, .createdAt} AS userRecord,
       p {.id, .kind, .name, .nameLower, .mpnId, .countryCode, .enrollmentStatus, partnerSince: null} AS partnerRecord
