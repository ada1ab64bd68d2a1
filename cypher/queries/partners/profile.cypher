// The caller's own organisation profile (C8, T-1).
MATCH (p:Partner {id: $viewerPartnerId})
RETURN p {@partner-profile(p)} AS profile
