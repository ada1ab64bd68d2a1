// A lead of the caller's organisation (C11, D-15, T-1); `leads/list` reads this shape.
MATCH (me:Partner {id: $viewerPartnerId})
CREATE (me)-[:OWNS]->(l:Lead {
  id: $id, companyName: $companyName, contactEmail: $contactEmail, source: $source, status: 'NEW',
  createdAt: datetime({epochMillis: $now})
})
RETURN l {@lead} AS lead
