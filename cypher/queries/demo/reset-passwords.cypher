// DEMO_PASSWORD changed since the demo was loaded: every demo user gets the new one.
MATCH (d:Demo)
SET d.passwordHash = $demoPasswordHash
WITH d
UNWIND $users AS u
MATCH (n:User {email: u.email, demo: true})
SET n.passwordHash = u.passwordHash, n.mustChangePassword = false
RETURN count(n) AS updated
