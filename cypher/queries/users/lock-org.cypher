// User administration (C6) starts by write-locking the caller's organisation, so that concurrent
// changes to its users serialise and "the last global admin" is counted after the others committed.
MATCH (p:Partner {id: $viewerPartnerId})
SET p.usersVersion = coalesce(p.usersVersion, 0) + 1
RETURN p.id AS id
