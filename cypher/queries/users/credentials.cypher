// Sign-in: the password hash is compared here and never leaves the server (T-5).
MATCH (u:User {email: $email})
RETURN u.passwordHash AS passwordHash, coalesce(u.sessionVersion, 0) AS sessionVersion,
       u {@user} AS user
