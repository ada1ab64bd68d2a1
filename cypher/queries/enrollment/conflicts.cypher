// enrollPartner's uniqueness checks, each backed by a constraint (MPN ID D-2, tenant domain, user email).
RETURN EXISTS { MATCH (:Partner {mpnId: $mpnId}) } AS mpnIdTaken,
       EXISTS { MATCH (:Partner {tenantDomain: $tenantDomain}) } AS tenantDomainTaken,
       EXISTS { MATCH (:User {email: $adminEmail}) } AS adminEmailTaken
