// Whether the demo is loaded, and whether the database holds anything else (never load over it).
OPTIONAL MATCH (d:Demo)
RETURN d IS NOT NULL AS loaded, d.passwordHash AS passwordHash,
       COUNT { MATCH (n) WHERE n:Partner OR n:Customer OR n:User } AS businessNodes
