// The organisation and user that send a request (for the email draft): the caller's own (T-1).
MATCH (u:User {id: $viewerUserId})-[:MEMBER_OF]->(p:Partner {id: $viewerPartnerId})
RETURN p {@partner} AS partner, u.displayName AS inviterName, u.email AS inviterEmail
