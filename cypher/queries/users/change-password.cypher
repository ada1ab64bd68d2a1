// Only when the current hash is still the one checked, so two concurrent changes cannot both win.
MATCH (u:User {id: $userId})
WHERE u.passwordHash = $expectedHash
SET u.passwordHash = $newHash, u.mustChangePassword = false, u.passwordChangedAt = datetime()
RETURN u {.id, .email, .displayName, .agentRole, .adminRole, .mustChangePassword, .createdAt} AS user
