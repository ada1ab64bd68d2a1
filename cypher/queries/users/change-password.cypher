// Only when the current hash is still the one checked, so two concurrent changes cannot both win.
MATCH (u:User {id: $userId})
WHERE u.passwordHash = $expectedHash
// A new sessionVersion signs out every other session: their tokens carry the old one.
SET u.passwordHash = $newHash, u.mustChangePassword = false,
    u.passwordChangedAt = datetime({epochMillis: timestamp()}), u.sessionVersion = coalesce(u.sessionVersion, 0) + 1
RETURN u {@user} AS user,
       u.sessionVersion AS sessionVersion
