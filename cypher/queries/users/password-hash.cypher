MATCH (u:User {id: $userId})
RETURN u.passwordHash AS passwordHash
