// D-6: a new temporary password (only its scrypt hash), to be changed at the next sign-in (T-6).
// A new sessionVersion signs out the user's existing sessions (their tokens carry the old one).
MATCH (u:User {id: $userId})-[:MEMBER_OF]->(:Partner {id: $viewerPartnerId})
SET u.passwordHash = $passwordHash, u.mustChangePassword = true,
    u.passwordChangedAt = datetime({epochMillis: timestamp()}), u.sessionVersion = coalesce(u.sessionVersion, 0) + 1
RETURN u {@user} AS user
